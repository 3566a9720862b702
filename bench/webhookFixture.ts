/** What the webhook benchmarks share: the service over the emulator on loopback, and a flood sent from another process. */
import Fastify from "fastify";
import { execFile } from "child_process";
import { join } from "path";
import { promisify } from "util";
import { HttpDataverseClient } from "../src/dataverse-node/httpClient";
import { generateOrg } from "../src/emulator/generateOrg";
import { USERS } from "../src/emulator/sampleOrg";
import { registerEmulator, type Emulator } from "../src/emulator/server";
import { webhookConfig } from "../src/webhook/config";
import { englishTexts } from "../src/webhook/messageTexts";
import { membershipReaders } from "../src/webhook/roleHolders";
import { createWebhookService } from "../src/webhook/server";

export const SECRET = "a-benchmark-secret-of-some-length";
const run = promisify(execFile);

export interface WebhookBench {
  url: string;
  emulator: Emulator;
  /** The 100 generated users the events name. */
  users: string[];
  close: () => Promise<void>;
}

/**
 * The service with its default limits over an org of 100 users, but for two bounds the floods pass on
 * purpose: 10,000 pending users, and 4,000 connections (a flood's 2,000 in flight beside the burst's
 * kept-alive sockets or 1,000 slow connections; the default cap is 2,000).
 */
export async function startWebhookBench(): Promise<WebhookBench> {
  const data = generateOrg({ users: 100, roleAssignments: 200 });
  const dataverseApp = Fastify();
  const emulator = registerEmulator(dataverseApp, { seed: () => data, defaultCallerId: USERS.admin });
  const dataverseUrl = await dataverseApp.listen({ host: "127.0.0.1", port: 0 });
  const client = new HttpDataverseClient(dataverseUrl, () => Promise.resolve(null));
  const config = webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverseUrl });
  const service = createWebhookService(
    { ...config, maxPendingUsers: 10_000, limits: { ...config.limits, maxConnections: 4_000 } },
    { client, ...membershipReaders(client), texts: englishTexts() },
  );
  const url = await service.app.listen({ host: "127.0.0.1", port: 0, backlog: 4096 });
  return {
    url,
    emulator,
    users: data.systemusers.slice(-100).map((user) => String(user.systemuserid)),
    close: async () => {
      await service.close();
      await dataverseApp.close();
    },
  };
}

export interface FloodResult {
  seconds: number;
  /** CPU seconds this process (service and emulator) spent meanwhile. */
  serviceCpuSeconds: number;
  /** Events not answered 200. */
  failed: number;
  /** Dataverse requests per user. */
  perUser: number;
}

/** `events` Update events round-robin over the users, `inFlight` at a time, sent by bench/floodClient.ts in a process of its own. */
export async function flood(bench: WebhookBench, events: number, inFlight: number): Promise<FloodResult> {
  bench.emulator.requests.length = 0;
  const cpu = process.cpuUsage();
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", join(__dirname, "floodClient.ts"), bench.url, SECRET, String(events), String(inFlight), bench.users.join(",")],
    { maxBuffer: 1 << 20 },
  );
  const used = process.cpuUsage(cpu);
  const sent = JSON.parse(stdout) as { statuses: Record<string, number>; seconds: number };
  return {
    seconds: sent.seconds,
    serviceCpuSeconds: (used.user + used.system) / 1e6,
    failed: events - (sent.statuses["200"] ?? 0),
    perUser: bench.emulator.requests.length / bench.users.length,
  };
}
