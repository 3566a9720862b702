import { stringify } from "csv-stringify/sync";
import { evaluate } from "../core/evaluate";
import type { CompliancePolicy } from "../core/policy";
import { failingCheckIds, type CheckId, type CheckStatus, type OverallStatus } from "../core/report";
import { ENTRA_CHECK_IDS, type RoleAssignment, type RoleSource } from "../core/snapshot";
import { runsNothing, usageCounts, type AccountUsage, type Tally, type UsageCounts, type UsageList } from "../core/usage";
import type { AuditSnapshots } from "../dataverse-node/auditReader";
import type { MessageTexts } from "../webhook/badge";
import { englishTexts } from "../webhook/messageTexts";
import { oneLine, printable, printableJson } from "../node/text";

export type AuditStatus = Exclude<OverallStatus, "not-service-account">;

export interface AuditedAccount {
  systemuserid: string;
  fullname: string;
  domainname: string;
  status: AuditStatus;
  failing: CheckId[];
  applicationUser?: true;
  /** Every role the account holds and how: directly, or through which team (JSON only). */
  roles: AuditedRole[];
  /** The roles and privileges findings in words (forbidden roles, forbidden and sensitive privileges), when any. */
  access?: string[];
  /** What runs as the account (null counts: the caller may not read that table), when the audit read it. */
  usage?: AuditedUsage;
  /** The Entra checks (ENTRA_CHECK_IDS): decided through Graph when configured, else "manual" (or Dataverse's licence flag). */
  entra?: Partial<Record<EntraColumn, { status: CheckStatus; text: string; graphFault?: true }>>;
}

export interface AuditedUsage {
  /** How many of each kind, and how many run now (null: the caller may not read that table). */
  counts: UsageCounts;
  /** The lists behind the counts (JSON): each flow, workflow and action, step and connection reference, or "hidden". */
  lists: {
    processes: AuditedList<{ id: string; name: string; category: number; on: boolean }>;
    steps: AuditedList<{ id: string; name: string; handler: string | null; on: boolean }>;
    connectionReferences: AuditedList<{ id: string; name: string; connector: string | null; on: boolean }>;
  };
  /** The newest "User Access" audit record in the window; null when none; absent when it could not be read. */
  lastAccess?: string | null;
  /** Why the last access is unknown (the org does not audit user access, the read was refused…). */
  lastAccessUnknown?: string;
  /** Nothing visible runs as it and no access was recorded in the window: the account to look at first. */
  unused: boolean;
}

/** A list as the report keeps it: its rows, or why there are none to show. */
export type AuditedList<T> = T[] | "hidden" | { problem: string };

const audited = <T>(list: UsageList<T>): AuditedList<T> => ("rows" in list ? list.rows : "hidden" in list ? "hidden" : list);

/** Days without recorded access after which an account that runs nothing is unused (as recent-use's default). */
export const UNUSED_WINDOW_DAYS = 90;

export interface AuditedRole {
  name: string;
  source: RoleSource["kind"];
  /** The team it comes through, and that team's kind. */
  team?: string;
  teamType?: "owner" | "access" | "entra-security-group" | "entra-office-group";
  /** The watched privileges it grants. */
  privileges?: string[];
}

const TEAM_TYPES = ["owner", "access", "entra-security-group", "entra-office-group"] as const;

/** The checks of what the account can do, told in words in the table's notes. */
const ACCESS_CHECKS: readonly CheckId[] = ["forbidden-roles", "forbidden-privileges", "sensitive-privileges"];

const ENTRA_COLUMNS = ENTRA_CHECK_IDS;
type EntraColumn = (typeof ENTRA_COLUMNS)[number];

/** Each Entra check's CSV header and table heading; application users have only the last two, users the others. */
const ENTRA_HEADINGS: Record<EntraColumn, { csv: string; table: string }> = {
  "password-expiry": { csv: "passwordExpiry", table: "PASSWORD EXPIRY" },
  "m365-admin-role": { csv: "m365AdminRole", table: "M365 ADMIN ROLES" },
  "licence-released": { csv: "licence", table: "M365 LICENCE" },
  "credential-age": { csv: "passwordAge", table: "PASSWORD AGE" },
  "interactive-sign-in": { csv: "interactiveSignIn", table: "INTERACTIVE SIGN-IN" },
  "recent-use": { csv: "recentUse", table: "RECENT USE" },
  "mfa-policy": { csv: "mfaPolicy", table: "MFA POLICY" },
  "app-credentials": { csv: "appCredentials", table: "APP CREDENTIALS" },
  "app-owner": { csv: "appOwner", table: "APP OWNER" },
};
const APP_COLUMNS: readonly EntraColumn[] = ["app-credentials", "app-owner"];

const USAGE_KINDS = [
  "cloudFlows",
  "classicWorkflows",
  "actions",
  "steps",
  "connectionReferences",
] as const satisfies readonly (keyof UsageCounts)[];
const USAGE_SHORT: Record<(typeof USAGE_KINDS)[number], string> = {
  cloudFlows: "flows",
  classicWorkflows: "workflows",
  actions: "actions",
  steps: "steps",
  connectionReferences: "conn. refs",
};

/** "12 flows (9 on), 2 steps", "nothing", or what the caller cannot see. */
function usageCell(usage: AuditedUsage | undefined): string {
  if (!usage) return "-";
  const parts = USAGE_KINDS.flatMap((kind) => {
    const tally: Tally | null = usage.counts[kind];
    if (tally === null) return [`${USAGE_SHORT[kind]} hidden`];
    if (tally.total === 0) return [];
    return kind === "connectionReferences"
      ? [`${tally.total} ${USAGE_SHORT[kind]}`]
      : [`${tally.total} ${USAGE_SHORT[kind]} (${tally.on} on)`];
  });
  return parts.join(", ") || "nothing";
}
const USER_COLUMNS = ENTRA_COLUMNS.filter((id) => !APP_COLUMNS.includes(id));

export interface AuditReport {
  summary: {
    compliant: number;
    needsAttention: number;
    nonCompliant: number;
    nonInteractiveUsed: number | null;
    nonInteractiveMax: number;
    /** Accounts nothing runs as, with no access in the window; absent when usage was not read. */
    unused?: number;
  };
  accounts: AuditedAccount[];
}

const SEVERITY: Record<AuditStatus, number> = { compliant: 0, "needs-attention": 1, "non-compliant": 2 };

/** Every audited account evaluated with the one policy; built-in users that are no service account are left out. */
/**
 * An account's usage in the report. "Unused" needs proof of no access: the window held no access of
 * this account while the org records accesses (some audited account's is on record); otherwise the
 * org most likely does not audit user access (isuseraccessauditenabled) and nobody is called unused.
 */
function auditedUsage(usage: AccountUsage, accessRecorded: boolean): AuditedUsage {
  const counts = usageCounts(usage);
  const access = usage.lastAccess;
  const known = access !== undefined && "value" in access && accessRecorded;
  const unknown =
    access === undefined
      ? "not read"
      : "hidden" in access
        ? "not visible to you"
        : "problem" in access
          ? access.problem
          : "no access of any audited account is recorded in the window: the org may not audit user access";
  return {
    counts,
    lists: { processes: audited(usage.processes), steps: audited(usage.steps), connectionReferences: audited(usage.connectionReferences) },
    ...(known ? { lastAccess: access.value } : { lastAccessUnknown: unknown }),
    // The window only holds accesses of the last UNUSED_WINDOW_DAYS: none there is none for that long.
    unused: runsNothing(counts) && known && access.value === null,
  };
}

export function buildAuditReport(
  read: AuditSnapshots,
  policy: CompliancePolicy,
  texts: MessageTexts = englishTexts(),
  usage?: Map<string, AccountUsage>,
): AuditReport {
  const accessRecorded = [...(usage?.values() ?? [])].some(
    (each) => each.lastAccess !== undefined && "value" in each.lastAccess && each.lastAccess.value !== null,
  );
  const accounts: AuditedAccount[] = [];
  for (const snapshot of read.snapshots) {
    const report = evaluate(snapshot, policy);
    if (report.status === "not-service-account") continue;
    const access = report.checks
      .filter((check) => ACCESS_CHECKS.includes(check.id) && (check.status === "fail" || check.status === "warning"))
      .map((check) => texts(check.messageKey, check.params));
    accounts.push({
      systemuserid: snapshot.user.systemUserId,
      fullname: snapshot.user.fullName,
      domainname: snapshot.user.domainName,
      status: report.status,
      failing: failingCheckIds(report),
      ...(report.accountKind === "application" ? { applicationUser: true as const } : {}),
      roles: snapshot.roles.map(auditedRole),
      ...(access.length ? { access } : {}),
      ...(usage?.has(snapshot.user.systemUserId.toLowerCase())
        ? { usage: auditedUsage(usage.get(snapshot.user.systemUserId.toLowerCase())!, accessRecorded) }
        : {}),
    });
    const entra = Object.fromEntries(
      report.checks
        .filter((check) => (ENTRA_COLUMNS as readonly string[]).includes(check.id))
        .map((check) => [
          check.id,
          {
            status: check.status,
            text: texts(check.messageKey, check.params),
            ...(check.messageKey === "check_entra_unavailable" ? { graphFault: true as const } : {}),
          },
        ]),
    );
    if (Object.keys(entra).length) accounts[accounts.length - 1].entra = entra;
  }
  // Worst first, then by name, so the report reads as a to-do list.
  accounts.sort((a, b) => SEVERITY[b.status] - SEVERITY[a.status] || a.fullname.localeCompare(b.fullname));
  const count = (status: AuditStatus) => accounts.filter((account) => account.status === status).length;
  return {
    summary: {
      compliant: count("compliant"),
      needsAttention: count("needs-attention"),
      nonCompliant: count("non-compliant"),
      nonInteractiveUsed: read.capacity.used,
      nonInteractiveMax: read.capacity.max ?? policy.fallbackNonInteractiveLimit,
      ...(usage ? { unused: accounts.filter((account) => account.usage?.unused).length } : {}),
    },
    accounts,
  };
}

function auditedRole(role: RoleAssignment): AuditedRole {
  const { source } = role;
  return {
    name: role.name,
    source: source.kind,
    ...(source.kind === "team" ? { team: source.team.name, teamType: TEAM_TYPES[source.team.teamType] ?? "owner" } : {}),
    ...(role.privileges?.length ? { privileges: role.privileges } : {}),
  };
}

/** Whether the report breaks the --fail-on threshold. */
export function failsThreshold(report: AuditReport, threshold: "non-compliant" | "needs-attention" | undefined): boolean {
  if (!threshold) return false;
  return report.accounts.some((account) => SEVERITY[account.status] >= SEVERITY[threshold]);
}

export function formatJson(report: AuditReport): string {
  return `${printableJson(JSON.stringify(report, null, 2))}\n`;
}

/**
 * A CSV cell a spreadsheet shows as text: csv-stringify's `escape_formulas` puts `'` before a cell
 * starting with = + - @, a tab or a carriage return (and their full-width forms), as OWASP's "CSV
 * Injection" advises; a leading line feed, which OWASP lists too, gets the same here. Control
 * characters are dropped, as for a terminal.
 */
function csvCell(value: string): string {
  const text = printable(value);
  return text.startsWith("\n") ? `'${text}` : text;
}

export function formatCsv(report: AuditReport): string {
  return stringify(
    report.accounts.map((account) => [
      account.systemuserid,
      account.fullname,
      account.domainname,
      account.status,
      account.applicationUser ? "yes" : "no",
      account.failing.join(" "),
      ...ENTRA_COLUMNS.map((id) => account.entra?.[id]?.status ?? ""),
      ...USAGE_KINDS.flatMap((kind) => {
        const tally = account.usage?.counts[kind];
        return tally === undefined ? ["", ""] : tally === null ? ["hidden", "hidden"] : [String(tally.total), String(tally.on)];
      }),
      account.usage ? (account.usage.lastAccess ?? (account.usage.lastAccessUnknown ? "unknown" : "none")) : "",
      account.usage ? (account.usage.unused ? "yes" : "no") : "",
    ]),
    {
      header: true,
      escape_formulas: true,
      cast: { string: csvCell },
      columns: [
        "systemuserid",
        "fullname",
        "domainname",
        "status",
        "applicationUser",
        "failing",
        ...ENTRA_COLUMNS.map((id) => ENTRA_HEADINGS[id].csv),
        ...USAGE_KINDS.flatMap((kind) => [kind, `${kind}On`]),
        "lastAccess",
        "unused",
      ],
    },
  );
}

function table(cells: string[][]): string[] {
  const rows = cells.map((row) => row.map(oneLine));
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd(),
  );
}

export function formatTable(report: AuditReport): string {
  const section = (title: string, accounts: AuditedAccount[], columns: readonly EntraColumn[]) =>
    accounts.length === 0
      ? [`${title}: none`]
      : [
          title,
          ...table([
            [
              "STATUS",
              "NAME",
              "USER NAME",
              "FAILING CHECKS",
              ...columns.map((id) => ENTRA_HEADINGS[id].table),
              "RUNS AS IT",
              "LAST ACCESS",
            ],
            ...accounts.map((a) => [
              a.status,
              a.fullname,
              a.domainname,
              a.failing.join(", ") || "-",
              ...columns.map((id) => a.entra?.[id]?.status ?? "-"),
              usageCell(a.usage),
              a.usage ? (a.usage.lastAccess?.slice(0, 10) ?? (a.usage.lastAccessUnknown ? "unknown" : "none")) : "-",
            ]),
          ]).map((line) => `  ${line}`),
        ];
  // The roles and privileges findings in words: which role, through which team.
  const accessNotes = report.accounts.flatMap((account) =>
    (account.access ?? []).map((text) => `  ${oneLine(account.fullname)}: ${oneLine(text)}`),
  );
  // The Entra findings in words: what failed, and why a check could not be made.
  const notes = report.accounts.flatMap((account) =>
    ENTRA_COLUMNS.flatMap((id) => {
      const check = account.entra?.[id];
      return check && (check.status === "fail" || check.status === "warning" || check.graphFault)
        ? [`  ${oneLine(account.fullname)}: ${oneLine(check.text)}`]
        : [];
    }),
  );
  const { summary } = report;
  const unused = report.accounts.filter((account) => account.usage?.unused);
  const lines = [
    ...(unused.length
      ? [
          `Warning, unused: nothing runs as them and no access in ${UNUSED_WINDOW_DAYS} days (look at these first)`,
          ...unused.map((account) => `  ${oneLine(account.fullname)} (${oneLine(account.domainname)})`),
          "",
        ]
      : []),
    ...section(
      "Service accounts",
      report.accounts.filter((account) => !account.applicationUser),
      USER_COLUMNS,
    ),
    "",
    ...section(
      "Application users",
      report.accounts.filter((account) => account.applicationUser),
      APP_COLUMNS,
    ),
    "",
    `Compliant: ${summary.compliant}  Needs attention: ${summary.needsAttention}  Non-compliant: ${summary.nonCompliant}`,
    `Non-interactive users: ${summary.nonInteractiveUsed ?? "unknown"} of ${summary.nonInteractiveMax}`,
    ...(accessNotes.length ? ["", "Roles and privileges", ...accessNotes] : []),
    ...(notes.length ? ["", "Microsoft Entra and Microsoft 365", ...notes] : []),
  ];
  return `${lines.join("\n")}\n`;
}
