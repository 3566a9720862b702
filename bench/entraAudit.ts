/**
 * Microsoft Graph calls per audited account when svcacct audit runs with Graph (emulators on loopback):
 * every generated account is a non-interactive service account, one in 20 an application user.
 */
import Fastify from "fastify";
import { DEFAULT_POLICY } from "../src/core/policy";
import { readServiceAccountSnapshots } from "../src/dataverse-node/auditReader";
import { HttpDataverseClient } from "../src/dataverse-node/httpClient";
import { generateOrg } from "../src/emulator/generateOrg";
import { USERS } from "../src/emulator/sampleOrg";
import { EMULATOR_SERVER_OPTIONS, registerEmulator } from "../src/emulator/server";
import { entraSourceFor } from "../src/graph/entraReader";
import { withEntraFacts } from "../src/graph/entraSnapshots";
import { HttpGraphClient } from "../src/graph/httpGraphClient";

export async function benchEntraAudit(): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  for (const serviceAccounts of [10, 100, 1_000]) {
    const data = generateOrg({ users: serviceAccounts, roleAssignments: 0 });
    // Every generated user is a service account: non-interactive, unlicensed.
    for (const [index, row] of data.systemusers.slice(-serviceAccounts).entries())
      Object.assign(row, {
        accessmode: 4,
        islicensed: false,
        ...(index % 20 === 0 ? { applicationid: `0d100000-0000-4000-8000-${String(index).padStart(12, "0")}` } : {}),
      });
    const app = Fastify(EMULATOR_SERVER_OPTIONS);
    const { graph: graphEmulator } = registerEmulator(app, { seed: () => data, defaultCallerId: USERS.admin });
    const calls = graphEmulator.calls;
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const graph = new HttpGraphClient(`${url}/graph`, () => Promise.resolve(null));
    const started = process.hrtime.bigint();
    const read = await readServiceAccountSnapshots(new HttpDataverseClient(url, () => Promise.resolve(null)), DEFAULT_POLICY);
    const snapshots = await withEntraFacts(read.snapshots, entraSourceFor(graph));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const users = snapshots.filter((snapshot) => snapshot.entra).length;
    const apps = snapshots.filter((snapshot) => snapshot.entraApp).length;
    const requests = calls.reduce((sum, call) => sum + call.items, 0);
    figures[`${users} users and ${apps} application users read from Graph`] =
      `${graph.counter.count} Graph calls carrying ${requests} requests (${(graph.counter.count / (users + apps)).toFixed(3)} calls per audited account), ${Math.round(ms)} ms`;
    await app.close();
  }
  return figures;
}
