import { Option, type Command } from "commander";
import { AUTH_METHODS } from "../dataverse-node/settings";
import { policyFromFlags, withPolicyOptions, type PolicyFlags } from "./policyOptions";
import { DEFAULT_WEBHOOK_HEADER } from "../webhook/config";
import { BadgeStamper } from "../webhook/badgeStamper";
import { englishTexts } from "../webhook/messageTexts";
import { registerWebhook } from "../webhook/registration";
import { registrationSolutionFor } from "../webhook/registrationSolution";
import { runWebhookService } from "../webhook/runService";
import { stampServiceAccounts } from "../webhook/stampServiceAccounts";
import { connect, connectGraphFor, withConnectionOptions, type ConnectionFlags, type SignInContext } from "./connection";
import { progressBar } from "./progress";
import { dataverseThrottled, graphThrottled, say } from "./terminal";
import { webhookSecretFrom } from "./webhookSecret";

export function addWebhookCommands(program: Command, context: SignInContext = {}): void {
  program
    .command("webhook")
    .description("Run the webhook service Dataverse calls on user and role changes (configured by environment; flags override).")
    .option("--port <port>", "port to listen on (env PORT, default 7071)")
    .option("--host <host>", "address to listen on (env HOST, default 0.0.0.0)")
    .option("--url <org>", "the org to stamp badges in (env DATAVERSE_URL)")
    .addOption(
      new Option("--webhook-auth <mode>", "how Dataverse authenticates its calls (env WEBHOOK_AUTH, default header)").choices([
        "header",
        "code",
      ]),
    )
    .addOption(
      new Option("--auth <method>", "how the service signs in to Dataverse and Graph (env AUTH_METHOD, default auto)").choices(
        AUTH_METHODS,
      ),
    )
    .option("--header <name>", `the header carrying the secret (env WEBHOOK_HEADER, default ${DEFAULT_WEBHOOK_HEADER})`)
    .option("--reconcile-every <duration>", "run the heal (svcacct stamp) this often, e.g. 30m, or off (env RECONCILE_EVERY, default 6h)")
    .option("--graph <url>", "Microsoft Graph for the Entra checks (env GRAPH_URL, or GRAPH_ENABLED=true for the global endpoint)")
    .action(
      async (flags: {
        port?: string;
        host?: string;
        url?: string;
        webhookAuth?: string;
        auth?: string;
        header?: string;
        reconcileEvery?: string;
        graph?: string;
      }) => {
        await runWebhookService({
          PORT: flags.port,
          HOST: flags.host,
          DATAVERSE_URL: flags.url,
          WEBHOOK_AUTH: flags.webhookAuth,
          AUTH_METHOD: flags.auth,
          WEBHOOK_HEADER: flags.header,
          RECONCILE_EVERY: flags.reconcileEvery,
          GRAPH_URL: flags.graph,
        });
      },
    );

  withConnectionOptions(
    program
      .command("register-webhook")
      .description("Create or update the webhook endpoint and its steps in an org, and add them to the ServiceAccountCompliance solution.")
      .requiredOption("--endpoint <url>", "public URL of the service's POST /dataverse/events")
      .option(
        "--secret-file <file>",
        "a file holding the secret Dataverse will send, - for standard input (env WEBHOOK_SECRET or WEBHOOK_SECRET_FILE); written to the endpoint only",
      )
      .addOption(new Option("--webhook-auth <mode>", "how Dataverse sends the secret").choices(["header", "code"]).default("header"))
      .option("--header <name>", "the header carrying the secret", DEFAULT_WEBHOOK_HEADER)
      .option(
        "--solution <uniqueName>",
        "the solution to add the registration to (a managed one: ServiceAccountComplianceWebhook instead)",
        "ServiceAccountCompliance",
      ),
  ).action(
    async (
      flags: ConnectionFlags & { endpoint: string; secretFile?: string; webhookAuth: "header" | "code"; header: string; solution: string },
    ) => {
      const secret = webhookSecretFrom(flags.secretFile, process.env);
      const { client } = connect(flags, process.env, dataverseThrottled, context);
      const solution = await registrationSolutionFor(client, flags.solution);
      if (solution.note) say(solution.note);
      const result = await registerWebhook(client, {
        endpointUrl: flags.endpoint,
        secret,
        auth: flags.webhookAuth,
        header: flags.header,
        solutionUniqueName: solution.uniqueName,
      });
      say(`Webhook endpoint ${result.endpoint.action}: ${result.endpoint.id}`);
      for (const step of result.steps) say(`  step ${step.action}: ${step.name} (${step.id})`);
    },
  );

  withConnectionOptions(
    withPolicyOptions(
      program
        .command("stamp")
        .description("Heal missed webhook events: evaluate every service account and write each badge that changed.")
        .option("--dry-run", "say what would change, write nothing")
        .option("--graph [url]", "also check and stamp the Entra checks through Microsoft Graph (env GRAPH_URL, or GRAPH_ENABLED=true)"),
    ),
  ).action(
    async (
      flags: ConnectionFlags &
        PolicyFlags & {
          dryRun?: boolean;
          graph?: string | boolean;
        },
    ) => {
      const connection = connect(flags, process.env, dataverseThrottled, context);
      const { client } = connection;
      const policy = policyFromFlags(flags, process.env);
      const graph = connectGraphFor(flags.graph, connection, process.env, graphThrottled);
      const bar = progressBar(4, "");
      const summary = await stampServiceAccounts(
        client,
        policy,
        new BadgeStamper(client, policy, englishTexts(), undefined, undefined, graph?.source),
        {
          dryRun: flags.dryRun,
          onProgress: (progress) =>
            "requests" in progress
              ? bar.update(progress.requests, `reading ${progress.stage}`)
              : bar.update(progress.done, `evaluated ${progress.done} of ${progress.total} accounts`),
        },
      );
      bar.stop();
      for (const failure of summary.failures) say(`  not stamped: ${failure.userId}: ${failure.error.message}`);
      const verb = flags.dryRun ? "would change" : "changed";
      const graphCalls = graph ? `, ${graph.client.counter.count} Microsoft Graph calls` : "";
      say(
        `${summary.evaluated} accounts evaluated: ${summary.stamped} badges ${verb}, ${summary.unchanged} unchanged, ${summary.failures.length} failed (${client.counter.count} requests${graphCalls}).`,
      );
      if (summary.failures.length) process.exitCode = 1;
    },
  );
}
