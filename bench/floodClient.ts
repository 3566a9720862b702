/**
 * The sender of bench/webhookBurst.ts's flood, in a process of its own so that its CPU is not the
 * service's: posts `events` Update events round-robin over the users, `inFlight` at a time, then
 * prints the statuses' tally and the seconds it took as JSON.
 * Usage: node --import tsx bench/floodClient.ts <url> <secret> <events> <inFlight> <userId,...>
 */
import { Agent, request } from "http";
import { DEFAULT_WEBHOOK_HEADER } from "../src/webhook/config";
import { updateEvent } from "../tests/support/webhookPayloads";

async function main(): Promise<void> {
  const [url, secret, events, inFlight, ids] = process.argv.slice(2);
  const users = ids.split(",");
  const agent = new Agent({ keepAlive: true, maxSockets: Number(inFlight) });
  const bodies = users.map((id) => JSON.stringify(updateEvent(id)));
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const call = request(
        `${url}/dataverse/events`,
        {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), [DEFAULT_WEBHOOK_HEADER]: secret },
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      call.on("error", reject);
      call.end(body);
    });
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = process.hrtime.bigint();
  const caller = async () => {
    while (next < Number(events)) {
      const status = await post(bodies[next++ % bodies.length]);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Number(inFlight) }, caller));
  agent.destroy();
  process.stdout.write(JSON.stringify({ statuses, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
}

void main();
