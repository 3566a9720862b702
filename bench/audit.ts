/** The audit's requests and time for organizations of 1k, 10k and 50k users (two role assignments each), and with thousands of teams. */
import Fastify from "fastify";
import { buildAuditReport } from "../src/cli/auditReport";
import { DEFAULT_POLICY } from "../src/core/policy";
import { readServiceAccountSnapshots } from "../src/dataverse-node/auditReader";
import { HttpDataverseClient } from "../src/dataverse-node/httpClient";
import { generateOrg } from "../src/emulator/generateOrg";
import { USERS } from "../src/emulator/sampleOrg";
import { registerEmulator } from "../src/emulator/server";

export async function benchAudit(): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  for (const [users, teams] of [
    [1_000, 0],
    [10_000, 0],
    [50_000, 0],
    [50_000, 5_000],
  ]) {
    const data = generateOrg({ users, roleAssignments: users * 2, teams });
    const app = Fastify();
    registerEmulator(app, { seed: () => data, defaultCallerId: USERS.admin });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const client = new HttpDataverseClient(url, () => Promise.resolve(null));
    const started = process.hrtime.bigint();
    const report = buildAuditReport(await readServiceAccountSnapshots(client, DEFAULT_POLICY), DEFAULT_POLICY);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    figures[
      `${users.toLocaleString("en")} users, ${(users * 2).toLocaleString("en")} assignments${teams ? `, ${teams.toLocaleString("en")} teams` : ""}`
    ] = `${client.counter.count} requests, ${Math.round(ms)} ms, ${report.accounts.length} accounts audited`;
    await app.close();
  }
  return figures;
}
