/** `npm start`: the harness and the emulator on http://127.0.0.1:8181 (PORT overrides). */
import { createHarness } from "./server";

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8181);
  const host = process.env.HOST ?? "127.0.0.1";
  const { app } = await createHarness({ logger: process.env.HARNESS_LOG === "1" });
  const address = await app.listen({ port, host });
  console.log(`Service Account Compliance harness: ${address}/  (Web API emulator at ${address}/api/data/v9.2/)`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
