import { readFileSync } from "fs";
import { stringify } from "csv-stringify/sync";
import type { AuditedAccount, AuditReport, AuditStatus } from "./auditReport";
import { formatCsv } from "./auditReport";
import type { EnvironmentAudit, TenantEnvironment } from "./tenantAudit";
import { oneLine, printable, printableJson } from "../node/text";

/**
 * The tenant audit's reports. JSON is written one environment per line between an opening and a
 * closing line, so an interrupted run leaves every finished environment readable (`--resume`); CSV
 * carries the environment on every row; HTML is one self-contained page built from the rows kept.
 */

/** The environment's columns on every row. */
const environmentFields = (environment: TenantEnvironment) => ({
  environmentName: environment.name,
  environmentId: environment.id,
  environmentUrl: environment.url ?? "",
  environmentType: environment.type,
});

/** One environment as a JSON line: its outcome, summary and accounts, each account with the environment. */
export function environmentJson(outcome: EnvironmentAudit): string {
  const base = { environment: outcome.environment, status: outcome.status, requests: outcome.requests };
  const body =
    outcome.status === "read"
      ? {
          ...base,
          summary: outcome.report.summary,
          accounts: outcome.report.accounts.map((account) => ({ ...environmentFields(outcome.environment), ...account })),
        }
      : { ...base, problem: outcome.problem };
  return printableJson(JSON.stringify(body));
}

export const TENANT_JSON_OPEN = (generatedOn: string) => `{"generatedOn":${JSON.stringify(generatedOn)},"environments":[\n`;
export const TENANT_JSON_CLOSE = "]}\n";

/**
 * The environments already read in a previous JSON report, finished or interrupted: every complete
 * environment line counts, a failed environment is audited again.
 */
export function resumedEnvironments(file: string): EnvironmentAudit[] {
  const outcomes: EnvironmentAudit[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const text = line.trim().replace(/,$/, "");
    if (!text.startsWith('{"environment"')) continue;
    let parsed: {
      environment: TenantEnvironment;
      status: string;
      requests?: number;
      summary?: AuditReport["summary"];
      accounts?: AuditedAccount[];
    };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      continue; // the line an interruption cut short
    }
    if (parsed.status !== "read" || !parsed.summary || !parsed.accounts) continue;
    const ENVIRONMENT_KEYS = new Set(Object.keys(environmentFields(parsed.environment)));
    const accounts = parsed.accounts.map(
      (row) => Object.fromEntries(Object.entries(row).filter(([name]) => !ENVIRONMENT_KEYS.has(name))) as unknown as AuditedAccount,
    );
    outcomes.push({ environment: parsed.environment, status: "read", report: { summary: parsed.summary, accounts }, requests: 0 });
  }
  return outcomes;
}

/** CSV: the single-org columns, after the environment's; an environment not read is one row saying why. */
export function environmentCsv(outcome: EnvironmentAudit, header: boolean): string {
  const prefix = stringify([[...Object.values(environmentFields(outcome.environment))]], {
    escape_formulas: true,
    cast: { string: printable },
  }).trimEnd();
  const names = "environmentName,environmentId,environmentUrl,environmentType";
  if (outcome.status === "failed") {
    const line = stringify([[`not read: ${oneLine(outcome.problem)}`]], { escape_formulas: true, cast: { string: printable } }).trimEnd();
    return `${header ? `${names},status\n` : ""}${prefix},${line}\n`;
  }
  const [columns, ...rows] = formatCsv(outcome.report).trimEnd().split("\n");
  return `${header ? `${names},${columns}\n` : ""}${rows.map((row) => `${prefix},${row}`).join("\n")}${rows.length ? "\n" : ""}`;
}

/** A terminal summary: one line per environment. */
export function tenantTable(outcomes: EnvironmentAudit[]): string {
  const lines = outcomes.map((outcome) => {
    const name = `${oneLine(outcome.environment.name)} (${oneLine(outcome.environment.type)})`;
    if (outcome.status === "failed") return `${name}: not read: ${oneLine(outcome.problem)}`;
    const { summary } = outcome.report;
    return `${name}: ${summary.nonCompliant} non-compliant, ${summary.needsAttention} need attention, ${summary.compliant} compliant; non-interactive users ${summary.nonInteractiveUsed ?? "unknown"} of ${summary.nonInteractiveMax}`;
  });
  const read = outcomes.filter((outcome) => outcome.status === "read").length;
  return `${lines.join("\n")}\n${read} of ${outcomes.length} environments read.\n`;
}

export const STATUSES: AuditStatus[] = ["non-compliant", "needs-attention", "compliant"];
