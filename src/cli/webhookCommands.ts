import type { Command } from "commander";
import { HttpDataverseClient } from "../dataverse/httpClient";
import { tokenProviderFor } from "../dataverse/tokenProvider";
import { webhookConfig } from "../webhook/config";
import { englishTexts } from "../webhook/messageTexts";
import { registerWebhook } from "../webhook/registration";
import { registrationSolutionFor } from "../webhook/registrationSolution";
import { readRoleHolders } from "../webhook/roleHolders";
import { createWebhookService } from "../webhook/server";
import { connect, withConnectionOptions, type ConnectionFlags } from "./connection";

export function addWebhookCommands(program: Command): void {
  program
    .command("webhook")
    .description("Run the webhook service Dataverse calls on user and role changes (configured by environment; flags override).")
    .option("--port <port>", "port to listen on (env PORT, default 7071)")
    .option("--host <host>", "address to listen on (env HOST, default 0.0.0.0)")
    .option("--url <org>", "the org to stamp badges in (env DATAVERSE_URL)")
    .option("--auth <mode>", "how Dataverse authenticates: header or code (env WEBHOOK_AUTH)")
    .option("--header <name>", "the header carrying the secret (env WEBHOOK_HEADER, default x-svcacct-key)")
    .action(async (flags: { port?: string; host?: string; url?: string; auth?: string; header?: string }) => {
      const config = webhookConfig(process.env, { PORT: flags.port, HOST: flags.host, DATAVERSE_URL: flags.url, WEBHOOK_AUTH: flags.auth, WEBHOOK_HEADER: flags.header });
      const client = new HttpDataverseClient(config.dataverseUrl, tokenProviderFor(config.dataverseUrl, config));
      const service = createWebhookService(config, {
        client,
        roleHolders: (roleId) => readRoleHolders(client, roleId),
        texts: englishTexts(),
        logger: true,
      });
      const stop = () => {
        service.app.log.info("stopping: finishing in-flight events");
        void service.close().then(() => process.exit(0));
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await service.app.listen({ port: config.port, host: config.host });
    });

  withConnectionOptions(
    program
      .command("register-webhook")
      .description("Create or update the webhook endpoint and its steps in an org, and add them to the ServiceAccountCompliance solution.")
      .requiredOption("--endpoint <url>", "public URL of the service's POST /dataverse/events")
      .requiredOption("--secret <value>", "the secret Dataverse will send (written to the endpoint only)")
      .option("--auth <mode>", "header or code", "header")
      .option("--header <name>", "the header carrying the secret", "x-svcacct-key")
      .option("--solution <uniqueName>", "the solution to add the registration to (a managed one: ServiceAccountComplianceWebhook instead)", "ServiceAccountCompliance"),
  ).action(async (flags: ConnectionFlags & { endpoint: string; secret: string; auth: string; header: string; solution: string }) => {
    if (flags.auth !== "header" && flags.auth !== "code") throw new Error(`--auth is "${flags.auth}": use header or code.`);
    const client = connect(flags);
    const solution = await registrationSolutionFor(client, flags.solution);
    if (solution.note) console.error(solution.note);
    const result = await registerWebhook(client, {
      endpointUrl: flags.endpoint,
      secret: flags.secret,
      auth: flags.auth,
      header: flags.header,
      solutionUniqueName: solution.uniqueName,
    });
    console.log(`Webhook endpoint ${result.endpoint.action}: ${result.endpoint.id}`);
    for (const step of result.steps) console.log(`  step ${step.action}: ${step.name} (${step.id})`);
  });
}
