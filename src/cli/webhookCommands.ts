import type { Command } from "commander";
import { policyFromFlags, withPolicyOptions, type PolicyFlags } from "./policyOptions";
import { DEFAULT_WEBHOOK_HEADER } from "../webhook/config";
import { BadgeStamper } from "../webhook/badgeStamper";
import { englishTexts } from "../webhook/messageTexts";
import { registerWebhook } from "../webhook/registration";
import { registrationSolutionFor } from "../webhook/registrationSolution";
import { runWebhookService } from "../webhook/runService";
import { stampServiceAccounts } from "../webhook/stampServiceAccounts";
import { graphFrom } from "./commands";
import { connect, withConnectionOptions, type ConnectionFlags } from "./connection";
import { progressBar } from "./progress";

const say = (line: string) => process.stderr.write(`${line}\n`);

export function addWebhookCommands(program: Command): void {
  program
    .command("webhook")
    .description("Run the webhook service Dataverse calls on user and role changes (configured by environment; flags override).")
    .option("--port <port>", "port to listen on (env PORT, default 7071)")
    .option("--host <host>", "address to listen on (env HOST, default 0.0.0.0)")
    .option("--url <org>", "the org to stamp badges in (env DATAVERSE_URL)")
    .option("--auth <mode>", "how Dataverse authenticates: header or code (env WEBHOOK_AUTH)")
    .option("--header <name>", `the header carrying the secret (env WEBHOOK_HEADER, default ${DEFAULT_WEBHOOK_HEADER})`)
    .option("--reconcile-every <duration>", "run the heal (svcacct stamp) this often, e.g. 30m, or off (env RECONCILE_EVERY, default 6h)")
    .option("--graph <url>", "Microsoft Graph for the Entra checks (env GRAPH_URL, or GRAPH_ENABLED=true for the global endpoint)")
    .action(
      async (flags: {
        port?: string;
        host?: string;
        url?: string;
        auth?: string;
        header?: string;
        reconcileEvery?: string;
        graph?: string;
      }) => {
        await runWebhookService({
          PORT: flags.port,
          HOST: flags.host,
          DATAVERSE_URL: flags.url,
          WEBHOOK_AUTH: flags.auth,
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
      .requiredOption("--secret <value>", "the secret Dataverse will send (written to the endpoint only)")
      .option("--auth <mode>", "header or code", "header")
      .option("--header <name>", "the header carrying the secret", DEFAULT_WEBHOOK_HEADER)
      .option(
        "--solution <uniqueName>",
        "the solution to add the registration to (a managed one: ServiceAccountComplianceWebhook instead)",
        "ServiceAccountCompliance",
      ),
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
      const client = connect(flags, process.env, (seconds) =>
        say(`Dataverse is throttling requests (429): waiting ${seconds} s as it asks, then retrying.`),
      );
      const policy = policyFromFlags(flags, process.env);
      const graph = graphFrom(flags);
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
