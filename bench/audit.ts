/** The audit's requests and time for organizations of 1k, 10k and 50k users (two role assignments each), and with thousands of teams. */
import Fastify from "fastify";
import { buildAuditReport } from "../src/cli/auditReport";
import { DEFAULT_POLICY } from "../src/core/policy";
import { readServiceAccountSnapshots } from "../src/dataverse-node/auditReader";
import { readUsage } from "../src/dataverse/usageReader";
import { HttpDataverseClient } from "../src/dataverse-node/httpClient";
import { generateOrg } from "../src/emulator/generateOrg";
import { USERS } from "../src/emulator/sampleOrg";
import { EMULATOR_SERVER_OPTIONS, registerEmulator } from "../src/emulator/server";

export async function benchAudit(): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  for (const [users, teams] of [
    [1_000, 0],
    [10_000, 0],
    [50_000, 0],
    [50_000, 5_000],
  ]) {
    const data = generateOrg({ users, roleAssignments: users * 2, teams });
    const app = Fastify(EMULATOR_SERVER_OPTIONS);
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
  // What runs as each account (issue 25): four aggregates grouped by owner, whatever the number of accounts.
  {
    const data = generateOrg({ users: 50_000, roleAssignments: 100_000, flows: 20_000, connectionReferences: 5_000 });
    const app = Fastify(EMULATOR_SERVER_OPTIONS);
    registerEmulator(app, { seed: () => data, defaultCallerId: USERS.admin });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const client = new HttpDataverseClient(url, () => Promise.resolve(null));
    const started = process.hrtime.bigint();
    const read = await readServiceAccountSnapshots(client, DEFAULT_POLICY);
    const before = client.counter.count;
    const ids = read.snapshots.map((snapshot) => snapshot.user.systemUserId);
    const usage = await readUsage(client, ids, { lastAccess: true, since: new Date(Date.now() - 90 * 86_400_000) });
    const report = buildAuditReport(read, DEFAULT_POLICY, undefined, usage);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const counted = report.accounts.filter((account) => account.usage?.counts.cloudFlows?.total).length;
    figures["50,000 users, 100,000 assignments, 20,000 flows, 5,000 connection references, with usage"] =
      `${client.counter.count} requests (${client.counter.count - before} for usage), ${Math.round(ms)} ms, ${report.accounts.length} accounts audited, ${counted} running cloud flows`;
    await app.close();
  }
  return figures;
}
