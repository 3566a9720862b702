import { chmodSync, existsSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { Option, type Command } from "commander";
import { DEFAULT_POLICY } from "../core/policy";
import { policyFromFlags, withPolicyOptions, type PolicyFlags } from "./policyOptions";
import { toDataverseError } from "../dataverse/errors";
import { connectGraph } from "../graph/connection";
import { APP_ID, sampleOrg } from "../emulator/sampleOrg";
import { createHarness, CONTROL_DIR as HARNESS_CONTROL_DIR } from "../harness/server";
import { buildControl, DIST_DIR, packToDist } from "../solution/main";
import { BadgeStamper } from "../webhook/badgeStamper";
import { englishTexts } from "../webhook/messageTexts";
import { DEFAULT_WEBHOOK_HEADER } from "../webhook/config";
import { webhookSecretFrom } from "./webhookSecret";
import { registerWebhook } from "../webhook/registration";
import { stampServiceAccounts } from "../webhook/stampServiceAccounts";
import { registrationSolutionFor } from "../webhook/registrationSolution";
import { failsThreshold, formatCsv, formatJson, formatTable } from "./auditReport";
import { auditOrg } from "./auditOrg";
import { connect, connectGraphFor, withConnectionOptions, type ConnectionFlags, type SignInContext } from "./connection";
import { appIds, appUrl, describePlan, importSolutionZip, publishImported, publishPlanOf } from "./deploy";
import { progressBar } from "./progress";
import { runTenantAudit, type TenantFlags } from "./tenantCommand";
import { SettingError } from "../dataverse-node/settings";
import { dataverseThrottled, graphThrottled, say } from "./terminal";

export function addCommands(program: Command, context: SignInContext = {}): void {
  program
    .command("pack")
    .description("Build the control in production mode and write dist/ServiceAccountCompliance.zip and _managed.zip.")
    .option("--no-build", "pack the control already in out/controls")
    .option(
      "--layout <dir>",
      "also write the complete unpacked folder (SolutionPackager Both layout, folder cleaned first), for pac solution pack",
    )
    .action(async (flags: { build: boolean; layout?: string }) => {
      await packToDist({ build: flags.build, layoutDir: flags.layout });
    });

  withConnectionOptions(
    program
      .command("deploy")
      .description(
        "Import the packed solution into an org (ImportSolution), show the import's progress, report every failed component, and publish an unmanaged import.",
      )
      .option("--managed", "import the managed zip")
      .option("--zip <file>", "import this zip instead of the one in dist/")
      .option("--webhook-endpoint <url>", "then register the webhook at this public URL")
      .option(
        "--webhook-secret-file <file>",
        "a file holding the webhook's secret, - for standard input (env WEBHOOK_SECRET or WEBHOOK_SECRET_FILE), with --webhook-endpoint",
      ),
  ).action(async (flags: ConnectionFlags & { managed?: boolean; zip?: string; webhookEndpoint?: string; webhookSecretFile?: string }) => {
    // Read and checked before anything is imported, so a bad secret stops the command with nothing half done.
    const webhookSecret = flags.webhookEndpoint
      ? webhookSecretFrom(flags.webhookSecretFile, process.env, "--webhook-secret-file")
      : undefined;
    if (flags.webhookSecretFile && !flags.webhookEndpoint) throw new Error("--webhook-secret-file goes with --webhook-endpoint.");
    const file = flags.zip ?? join(DIST_DIR, flags.managed ? "ServiceAccountCompliance_managed.zip" : "ServiceAccountCompliance.zip");
    if (!flags.zip && !existsSync(file)) await packToDist({ build: true });
    const { client } = connect(flags, process.env, dataverseThrottled, context);
    const zip = readFileSync(file);
    const plan = await publishPlanOf(zip);
    const orgUrl = client.apiUrl.replace(/\/api\/data\/v9\.2\/$/, "");
    say(`Importing ${file} into ${orgUrl}`);
    const bar = progressBar(100, "%");
    const outcome = await importSolutionZip(client, zip, (percent) => bar.update(Math.round(percent), "importing"));
    bar.stop();
    for (const failure of outcome.failures) say(`  failed: ${failure.component} ${failure.name}: ${failure.text}`);
    if (!outcome.succeeded) {
      if (outcome.error) say(`Import failed: ${outcome.error}`);
      say(`Import job ${outcome.importJobId}: see Solution history in the maker portal for the full log.`);
      process.exitCode = 1;
      return;
    }
    say(`Imported (import job ${outcome.importJobId}).`);
    if (plan.managed) say("Managed solution: its form, views, chart, dashboard, app and control are live at once, nothing to publish.");
    else {
      // An unmanaged import is a draft: nothing shows in the app or on forms until it is published.
      say(`Publishing ${describePlan(plan)}…`);
      try {
        await publishImported(client, plan);
      } catch (error) {
        say(
          `Imported but not published: ${toDataverseError(error).message.replace(/[.\s]+$/, "")}. Rerun the command, or publish all customizations in the maker portal.`,
        );
        process.exitCode = 1;
        return;
      }
      say(`Published ${describePlan(plan)}: the Service Account form, views, chart, dashboard, app and control are live.`);
    }
    try {
      const apps = await appIds(client, plan.apps, true);
      for (const [name, id] of apps) say(`Open the app ${name}: ${appUrl(orgUrl, id)}`);
    } catch (error) {
      say(`The app is published but its address could not be read (${toDataverseError(error).message}): open it from ${orgUrl}/apps.`);
    }
    if (flags.webhookEndpoint && webhookSecret) {
      const solution = await registrationSolutionFor(client, "ServiceAccountCompliance");
      if (solution.note) say(solution.note);
      const result = await registerWebhook(client, {
        endpointUrl: flags.webhookEndpoint,
        secret: webhookSecret,
        auth: "header",
        header: DEFAULT_WEBHOOK_HEADER,
        solutionUniqueName: solution.uniqueName,
      });
      say(`Webhook endpoint ${result.endpoint.action}, ${result.steps.length} steps registered in ${solution.uniqueName}.`);
    }
  });

  withConnectionOptions(
    withPolicyOptions(program.command("audit"))
      .description("Report every account that is or should be a service account, with its status and failing checks.")
      .addOption(
        new Option("--format <format>", "report format (html: with --all-environments or --environments)")
          .choices(["table", "json", "csv", "html"])
          .default("table"),
      )
      .option("--all-environments", "audit every environment of the tenant with Dataverse, listed through the Power Platform admin API")
      .option("--environments <names>", "audit these environments of the tenant, by name or id, comma-separated")
      .option("--admin-url <url>", "the Power Platform admin API (env POWER_PLATFORM_ADMIN_URL; default https://api.bap.microsoft.com)")
      .option("--concurrency <n>", "environments audited at once", "4")
      .option("--resume <file>", "skip the environments already in this JSON report of an earlier run, finished or not")
      .option("--strict", "exit with code 1 when an environment could not be read")
      .option("--out <file>", "write the report to a file instead of stdout")
      .addOption(
        new Option("--fail-on <status>", "exit with code 2 when an account is at least this bad").choices([
          "non-compliant",
          "needs-attention",
        ]),
      )
      .option(
        "--graph [url]",
        "also run the Entra checks (sign-ins, MFA policy, password, admin roles, licences, app credentials) through Microsoft Graph (env GRAPH_URL, or GRAPH_ENABLED=true)",
      )
      .option(
        "--no-usage",
        "skip what runs as each account (4 reads per 400 accounts: flows, workflows and actions; plug-in steps; connection references; last access)",
      ),
  ).action(
    async (
      flags: ConnectionFlags & {
        format: "table" | "json" | "csv" | "html";
        out?: string;
        failOn?: "non-compliant" | "needs-attention";
        graph?: string | boolean;
        usage: boolean;
      } & PolicyFlags &
        TenantFlags,
    ) => {
      const policy = policyFromFlags(flags, process.env);
      if (flags.allEnvironments || flags.environments) {
        process.exitCode = await runTenantAudit(flags, policy, context);
        return;
      }
      if (flags.format === "html") throw new SettingError("--format html reports a tenant: add --all-environments or --environments.");
      const connection = connect(flags, process.env, dataverseThrottled, context);
      const { client } = connection;
      const graph = connectGraphFor(flags.graph, connection, process.env, graphThrottled);
      const bar = progressBar(4, "requests");
      const report = await auditOrg(client, policy, {
        usage: flags.usage,
        entra: graph?.source,
        onProgress: ({ stage, requests }) => bar.update(requests, stage),
      });
      bar.stop();
      const text = flags.format === "json" ? formatJson(report) : flags.format === "csv" ? formatCsv(report) : formatTable(report);
      if (flags.out) {
        // Readable by its owner only: it lists the org's privileged accounts and what is wrong with them.
        writeFileSync(flags.out, text, { mode: 0o600 });
        chmodSync(flags.out, 0o600); // a file that existed keeps its mode through writeFileSync
        const graphCalls = graph ? `, ${graph.client.counter.count} Microsoft Graph calls` : "";
        say(`Report written to ${flags.out} (${report.accounts.length} accounts, ${client.counter.count} requests${graphCalls}).`);
      } else process.stdout.write(text);
      if (failsThreshold(report, flags.failOn)) process.exitCode = 2;
    },
  );

  program
    .command("serve")
    .description("Serve the User form harness and the Dataverse emulator (what npm start runs).")
    .option("--port <port>", "port (env PORT, default 8181)")
    .option("--host <host>", "address (default 127.0.0.1)", "127.0.0.1")
    .addOption(
      new Option("--base-language <lcid>", "the emulated org's base language: 1036 names the system roles in French")
        .choices(["1033", "1036"])
        .default("1033"),
    )
    .option("--no-solution", "start the org before the solution is imported, to try svcacct deploy against it")
    .action(async (flags: { port?: string; host: string; baseLanguage: string; solution: boolean }) => {
      if (!existsSync(join(HARNESS_CONTROL_DIR, "bundle.js"))) buildControl();
      const { app } = createHarness({
        logger: process.env.HARNESS_LOG === "1",
        seed: () => sampleOrg({ baseLanguage: Number(flags.baseLanguage), imported: flags.solution }),
      });
      const address = await app.listen({ port: Number(flags.port ?? process.env.PORT ?? 8181), host: flags.host });
      const services = `Web API emulator at ${address}/api/data/v9.2/, Microsoft Graph emulator at ${address}/graph/v1.0/`;
      if (!flags.solution) {
        say(`Emulated org without the solution: ${address}/users  (${services}). Import it with: svcacct deploy --url ${address}`);
        return;
      }
      say(`Service Account Compliance app: ${appUrl(address, APP_ID)}  (the harness's users at ${address}/users, ${services})`);
      // As a deployed webhook would have: stamp every service account once, Entra checks included, so the form shows the server's verdicts.
      const { client } = connect({ url: address }, {});
      const graph = connectGraph(`${address}/graph`, null);
      try {
        const summary = await stampServiceAccounts(
          client,
          DEFAULT_POLICY,
          new BadgeStamper(client, DEFAULT_POLICY, englishTexts(), undefined, undefined, graph.source),
        );
        say(
          `Stamped ${summary.stamped} of ${summary.evaluated} service accounts with the Entra checks (${graph.client.counter.count} Microsoft Graph calls).`,
        );
      } catch (error) {
        // The harness keeps serving: the form then says "check by hand" for the Entra checks.
        say(
          `The start-up stamp failed (${toDataverseError(error).message}); the form shows no Entra verdict until svcacct stamp --graph runs.`,
        );
      }
    });
}
