/**
 * Webhook throughput: a burst of 1,000 Update events over 100 users, posted 50 at a time to the
 * service, which reads and stamps through the emulator. The model is a bulk change: Dataverse
 * performed the 1,000 operations, then its asynchronous service delivers them a few seconds later.
 * Prints events per second and Dataverse requests per distinct user (goal: at most 2).
 */
import Fastify from "fastify";
import { HttpDataverseClient } from "../src/dataverse/httpClient";
import { generateOrg } from "../src/emulator/generateOrg";
import { USERS } from "../src/emulator/sampleOrg";
import { registerEmulator } from "../src/emulator/server";
import { webhookConfig } from "../src/webhook/config";
import { englishTexts } from "../src/webhook/messageTexts";
import { readRoleHolders } from "../src/webhook/roleHolders";
import { createWebhookService } from "../src/webhook/server";
import { updateEvent } from "../tests/support/webhookPayloads";

const EVENTS = 1000;
const USER_COUNT = 100;
const PARALLEL = 50;
const SECRET = "a-benchmark-secret-of-some-length";
/** Seconds between a change and its asynchronous delivery are usual; this is above the service's clock-skew margin. */
const DELIVERY_DELAY_MS = 3_000;

export async function benchWebhook(): Promise<Record<string, string | number>> {
  const data = generateOrg({ users: USER_COUNT, roleAssignments: USER_COUNT * 2 });
  const dataverseApp = Fastify();
  const emulator = registerEmulator(dataverseApp, { seed: () => data, defaultCallerId: USERS.admin });
  const dataverseUrl = await dataverseApp.listen({ host: "127.0.0.1", port: 0 });
  const client = new HttpDataverseClient(dataverseUrl, () => Promise.resolve(null));
  const service = createWebhookService(webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverseUrl }), {
    client,
    roleHolders: (id) => readRoleHolders(client, id),
    texts: englishTexts(),
  });
  const url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  const users = data.systemusers.slice(-USER_COUNT).map((user) => String(user.systemuserid));

  const post = async (userId: string, operationCreatedOn: number) => {
    const response = await fetch(`${url}/dataverse/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-svcacct-key": SECRET },
      body: JSON.stringify({ ...updateEvent(userId), OperationCreatedOn: `/Date(${operationCreatedOn})/` }),
    });
    await response.arrayBuffer();
    return response.status;
  };

  const run = async () => {
    const operationsDone = Date.now(); // the bulk change; its events arrive after the async service's delay
    await new Promise((resolve) => setTimeout(resolve, DELIVERY_DELAY_MS));
    emulator.requests.length = 0;
    const started = process.hrtime.bigint();
    const statuses: number[] = [];
    for (let i = 0; i < EVENTS; i += PARALLEL) {
      statuses.push(...(await Promise.all(Array.from({ length: PARALLEL }, (_, j) => post(users[(i + j) % USER_COUNT], operationsDone)))));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { seconds, requests: emulator.requests.length, failed: statuses.filter((status) => status !== 200).length };
  };

  const first = await run(); // badges are new: one read and one write per user
  const second = await run(); // a second bulk change that changes no badge: reads only
  await service.close();
  await dataverseApp.close();
  return {
    "events in the burst (users)": `${EVENTS} (${USER_COUNT})`,
    "first burst: events per second": Math.round(EVENTS / first.seconds),
    "first burst: Dataverse requests per distinct user": (first.requests / USER_COUNT).toFixed(2),
    "repeat burst: events per second": Math.round(EVENTS / second.seconds),
    "repeat burst: Dataverse requests per distinct user": (second.requests / USER_COUNT).toFixed(2),
    "events not answered 200": first.failed + second.failed,
  };
}
