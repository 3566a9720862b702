/**
 * The webhook under bursts, through the emulator on loopback, with the default coalescing window:
 * - the burst of the issue: 200 Update events for 10 users arriving within 1 s; Dataverse requests
 *   per user (goal: at most 2 on average), when every badge is new and when none changes;
 * - throughput: 5,000 Update events over 100 users sent at once, as Dataverse's asynchronous
 *   service delivers a bulk change, 2,000 at a time from another process (bench/floodClient.ts);
 *   events answered per second (goal: 1,000), per CPU second of the service, and requests per user.
 *   Every event waits for its user's window (1 s), so throughput needs that many calls in flight.
 */
import { Agent, request } from "http";
import { DEFAULT_WEBHOOK_HEADER } from "../src/webhook/config";
import { updateEvent } from "../tests/support/webhookPayloads";
import { flood, SECRET, startWebhookBench } from "./webhookFixture";

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchWebhook(): Promise<Record<string, string | number>> {
  const bench = await startWebhookBench();
  const { url, emulator, users: generated } = bench;

  // node:http with kept-alive sockets: fetch costs the client more CPU than the service spends.
  const agent = new Agent({ keepAlive: true, maxSockets: 2000 });
  const bodies = new Map(generated.map((id) => [id, JSON.stringify(updateEvent(id))]));
  const post = (userId: string) =>
    new Promise<number>((resolve, reject) => {
      const body = bodies.get(userId)!;
      const call = request(
        `${url}/dataverse/events`,
        {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), [DEFAULT_WEBHOOK_HEADER]: SECRET },
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      call.on("error", reject);
      call.end(body);
    });
  const measure = async (send: () => Promise<number[]>, users: number) => {
    emulator.requests.length = 0;
    const statuses = await send();
    return { perUser: emulator.requests.length / users, failed: statuses.filter((status) => status !== 200).length };
  };

  // 200 events, one every 2.5 ms (sent within 0.5 s, so they arrive within the second on a busy
  // machine too), round-robin over 10 users; after a warm-up on other users.
  const burstUsers = generated.slice(-10);
  const burst = (users = burstUsers) =>
    Promise.all(Array.from({ length: 200 }, (_, index) => later(index * 2.5).then(() => post(users[index % users.length]))));
  await burst(generated.slice(0, 10));
  const burstNew = await measure(burst, burstUsers.length);
  const burstRepeat = await measure(burst, burstUsers.length);

  // 5,000 events over 100 users, 2,000 in flight, sent from another process.
  const floodNew = await flood(bench, 5000, 2000);
  const floodRepeat = await flood(bench, 5000, 2000);

  agent.destroy();
  await bench.close();
  return {
    "burst (200 events, 10 users, within 1 s): requests per user, new badges": burstNew.perUser.toFixed(2),
    "burst: requests per user, no badge changes": burstRepeat.perUser.toFixed(2),
    "flood (5,000 events, 100 users, 2,000 in flight): events per second": `${Math.round(5000 / floodNew.seconds)} (new badges), ${Math.round(5000 / floodRepeat.seconds)} (no changes)`,
    "flood: events per CPU second of the service (with the emulator)": `${Math.round(5000 / floodNew.serviceCpuSeconds)}, ${Math.round(5000 / floodRepeat.serviceCpuSeconds)}`,
    "flood: requests per user": `${floodNew.perUser.toFixed(2)} (new badges), ${floodRepeat.perUser.toFixed(2)} (no changes)`,
    "events not answered 200": burstNew.failed + burstRepeat.failed + floodNew.failed + floodRepeat.failed,
  };
}
