/**
 * The webhook's event throughput and memory while 1,000 slow, unauthenticated connections are held
 * open against it (bench/slowClients.ts, reopened as fast as the service cuts them), next to the same
 * flood without them: 5,000 Update events over 100 users, 2,000 in flight (the connection cap raised
 * for both, bench/webhookFixture.ts). Memory is the resident set of this process (the service and
 * the emulator), sampled every 50 ms during the flood.
 */
import { spawn } from "child_process";
import { join } from "path";
import { createInterface } from "readline";
import { flood, startWebhookBench, type FloodResult, type WebhookBench } from "./webhookFixture";

const SLOW = 1_000;
const EVENTS = 5_000;
const IN_FLIGHT = 2_000;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function measured(bench: WebhookBench): Promise<FloodResult & { peakRss: number }> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    return { ...(await flood(bench, EVENTS, IN_FLIGHT)), peakRss };
  } finally {
    clearInterval(sampler);
  }
}

export async function benchSlowClients(): Promise<Record<string, string | number>> {
  const bench = await startWebhookBench();
  await flood(bench, 1_000, IN_FLIGHT); // warm-up
  const calm = await measured(bench);

  const slow = spawn(process.execPath, ["--import", "tsx", join(__dirname, "slowClients.ts"), bench.url, String(SLOW)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: slow.stdout });
  const next = () => new Promise<string>((resolve) => lines.once("line", resolve));
  await next(); // ready
  // Past the header timeout (10 s, checked every second): the first slow connections have been cut
  // and reopened, so the flood meets the churn an attacker keeps up, not just idle sockets.
  await new Promise((resolve) => setTimeout(resolve, 11_500));
  const idleRss = process.memoryUsage().rss;
  const besieged = await measured(bench);
  slow.stdin.end();
  const tally = JSON.parse(await next()) as { opened: number; cut: number; answered: number };
  await bench.close();

  const perSecond = (result: FloodResult) => EVENTS / result.seconds;
  return {
    "flood (5,000 events, 100 users, 2,000 in flight): events per second without slow clients": Math.round(perSecond(calm)),
    "the same beside 1,000 slow connections": `${Math.round(perSecond(besieged))} (${((perSecond(besieged) / perSecond(calm)) * 100).toFixed(0)}% of it)`,
    "resident memory, peak during the flood": `${mb(calm.peakRss)} without, ${mb(besieged.peakRss)} with (${mb(idleRss)} with the slow connections alone)`,
    "slow connections opened / cut by the header timeout / answered (408) before the cut": `${tally.opened} / ${tally.cut} / ${tally.answered}`,
    "events not answered 200": calm.failed + besieged.failed,
  };
}
