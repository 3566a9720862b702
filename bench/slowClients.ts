/**
 * The hostile side of bench/webhookSlowClients.ts, in a process of its own: keeps `count` connections
 * open to the webhook, each sending a request line, a `Content-Length: 1000000` and then one header
 * byte every 2 s, and opens a new one whenever the service cuts one, as a slowloris attacker does.
 * Prints "ready" once all are open; on stdin's end prints {opened, cut, answered} as JSON and exits.
 * Usage: node --import tsx bench/slowClients.ts <url> <count>
 */
import { connect, type Socket } from "net";

const [url, countText] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const count = Number(countText);
let opened = 0;
let cut = 0;
let answered = 0;
let stopping = false;
const open = new Set<Socket>();

function openOne(): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST /dataverse/events HTTP/1.1\r\nHost: webhook\r\nContent-Length: 1000000\r\nX-Slow: `);
      resolve();
    });
    opened++;
    open.add(socket);
    const trickle = setInterval(() => socket.writable && socket.write("a"), 2_000);
    socket.on("data", () => answered++);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(trickle);
      open.delete(socket);
      if (stopping) return;
      cut++;
      void openOne();
    });
  });
}

async function main(): Promise<void> {
  for (let index = 0; index < count; index += 100) await Promise.all(Array.from({ length: Math.min(100, count - index) }, openOne));
  process.stdout.write("ready\n");
  process.stdin.resume();
  process.stdin.on("end", () => {
    stopping = true;
    for (const socket of open) socket.destroy();
    process.stdout.write(`${JSON.stringify({ opened, cut, answered, open: open.size })}\n`);
    process.exit(0);
  });
}

void main();
