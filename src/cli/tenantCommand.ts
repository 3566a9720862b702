import { createWriteStream, type WriteStream } from "fs";
import type { CompliancePolicy } from "../core/policy";
import { toDataverseError } from "../dataverse/errors";
import { listEnvironments } from "../dataverse-node/environments";
import { SettingError } from "../dataverse-node/settings";
import { failsThreshold } from "./auditReport";
import { auditOrg } from "./auditOrg";
import { connectTenant, type ConnectionFlags, type SignInContext } from "./connection";
import { progressBar } from "./progress";
import { auditEnvironments, environmentsToAudit, type EnvironmentAudit, type TenantEnvironment } from "./tenantAudit";
import { formatTenantHtml } from "./tenantHtml";
import { environmentCsv, environmentJson, resumedEnvironments, TENANT_JSON_CLOSE, TENANT_JSON_OPEN, tenantTable } from "./tenantReport";
import { say } from "./terminal";

export interface TenantFlags extends ConnectionFlags {
  allEnvironments?: boolean;
  environments?: string;
  adminUrl?: string;
  concurrency: string;
  resume?: string;
  strict?: boolean;
  format: "table" | "json" | "csv" | "html";
  out?: string;
  failOn?: "non-compliant" | "needs-attention";
  usage: boolean;
  graph?: string | boolean;
}

/**
 * `svcacct audit --all-environments` (or `--environments a,b`): lists the tenant's environments through
 * the admin API, audits each one with Dataverse, several at a time, and writes the report as it goes
 * (JSON and CSV environment by environment; HTML and the terminal summary at the end, from the rows
 * kept). An environment that cannot be read is reported with its reason and never stops the others;
 * the exit code is 2 when `--fail-on` is met, 1 when `--strict` and an environment was not read.
 */
export async function runTenantAudit(flags: TenantFlags, policy: CompliancePolicy, context: SignInContext = {}): Promise<number> {
  if (flags.graph)
    throw new SettingError("--graph is not available with --all-environments yet: audit one environment with --url and --graph.");
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
    throw new SettingError("--concurrency takes a whole number from 1 to 16.");
  const tenant = connectTenant(flags, process.env, context);
  let waits = 0;
  let accounts = 0;
  const onThrottled = () => void waits++;
  const listed = await listEnvironments(tenant.adminUrl, tenant.adminToken, { onThrottled });
  const wanted = flags.environments?.split(/[,;]/).filter((name) => name.trim());
  const { audit: chosen, unknown } = environmentsToAudit(listed, flags.allEnvironments ? undefined : wanted);
  if (unknown.length) throw new SettingError(`No environment of the tenant is named ${unknown.join(", ")} (by name or id).`);
  const resumed = flags.resume
    ? resumedEnvironments(flags.resume).filter((done) => chosen.some((each) => each.id === done.environment.id))
    : [];
  const todo = chosen.filter((environment) => !resumed.some((done) => done.environment.id === environment.id));

  const out: WriteStream | NodeJS.WriteStream = flags.out ? createWriteStream(flags.out, { mode: 0o600 }) : process.stdout;
  // JSON and CSV are written as each environment ends and kept no longer; HTML and the terminal
  // summary need every environment's rows at the end.
  const keep = flags.format === "html" || flags.format === "table";
  const kept: EnvironmentAudit[] = [];
  const notRead: string[] = [];
  let done = 0;
  let failing = false;
  const write = (outcome: EnvironmentAudit) => {
    if (flags.format === "json") out.write(`${done ? ",\n" : ""}${environmentJson(outcome)}`);
    if (flags.format === "csv") out.write(environmentCsv(outcome, done === 0));
    if (keep) kept.push(outcome);
    if (outcome.status === "failed") notRead.push(outcome.environment.name);
    else failing ||= failsThreshold(outcome.report, flags.failOn);
    done++;
  };
  if (flags.format === "json") out.write(TENANT_JSON_OPEN(new Date().toISOString()));
  resumed.forEach(write);

  const bar = progressBar(chosen.length, "environments");
  const label = () => `${accounts} accounts read${waits ? `, ${waits} throttling waits` : ""}`;
  bar.update(resumed.length, label());
  await auditEnvironments(todo, {
    concurrency,
    audit: async (environment: TenantEnvironment) => {
      const client = tenant.clientFor(environment.url!, onThrottled);
      try {
        const report = await auditOrg(client, policy, { usage: flags.usage });
        accounts += report.accounts.length;
        return { report, requests: client.counter.count };
      } catch (error) {
        throw new Error(toDataverseError(error).message);
      }
    },
    onDone: (outcome) => {
      write(outcome);
      bar.update(done, label());
    },
  });
  bar.stop();
  if (flags.format === "json") out.write(`\n${TENANT_JSON_CLOSE}`);
  if (flags.format === "html") out.write(formatTenantHtml(kept, new Date().toISOString()));
  if (flags.format === "table") out.write(tenantTable(kept));
  if (flags.out)
    await new Promise<void>((resolve, reject) => (out as WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve())));

  say(`${done - notRead.length} of ${done} environments read${notRead.length ? `; not read: ${notRead.join(", ")}` : ""}.`);
  if (failing) return 2;
  return flags.strict && notRead.length ? 1 : 0;
}
