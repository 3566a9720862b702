import { webhookFromEnvironment } from "./environment";
import { createWebhookService } from "./server";

/** Runs the HTTP service until SIGINT or SIGTERM, then finishes the events it took and exits. */
export async function runWebhookService(overrides: Partial<Record<string, string>> = {}): Promise<void> {
  const { config, dependencies } = webhookFromEnvironment(process.env, overrides);
  const service = createWebhookService(config, { ...dependencies, logger: true });
  const stop = () => {
    service.app.log.info("stopping: finishing in-flight events");
    void service.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await service.app.listen({ port: config.port, host: config.host });
}
