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
const SECRET = "a-benchmark-secret-of-some-length";
async function main() {
  const data = generateOrg({ users: 100, roleAssignments: 200 });
  const dataverseApp = Fastify();
  const emulator = registerEmulator(dataverseApp, { seed: () => data, defaultCallerId: USERS.admin });
  const dataverseUrl = await dataverseApp.listen({ host: "127.0.0.1", port: 0 });
  const client = new HttpDataverseClient(dataverseUrl, () => Promise.resolve(null));
  const service = createWebhookService({ ...webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverseUrl }), maxPendingUsers: 10000 }, { client, roleHolders: (id) => readRoleHolders(client, id), texts: englishTexts() });
  const url = await service.app.listen({ host: "127.0.0.1", port: 0, backlog: 4096 });
  const generated = data.systemusers.slice(-100).map((user) => String(user.systemuserid));
  const body = (id: string) => JSON.stringify(updateEvent(id));
  for (const inflight of [Number(process.argv[2] ?? 500)]) {
    emulator.requests.length = 0;
    const t = Date.now(); let next = 0; const lat: number[] = [];
    await Promise.all(Array.from({ length: inflight }, async () => { while (next < 3000) { const i = next++; const s = Date.now(); const r = await fetch(`${url}/dataverse/events`, { method: "POST", headers: { "content-type": "application/json", "x-svcacct-key": SECRET }, body: body(generated[i % 100]) }); await r.arrayBuffer(); lat.push(Date.now() - s); } }));
    const sec = (Date.now() - t) / 1000; lat.sort((a,b)=>a-b);
    console.log(inflight, "ev/s", Math.round(3000 / sec), "req/user", emulator.requests.length / 100, "p50", lat[1500], "max", lat[2999], "cpu", process.cpuUsage());
  }
  await service.close(); await dataverseApp.close();
}
void main();
