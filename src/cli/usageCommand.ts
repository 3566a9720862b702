import { Option, type Command } from "commander";
import { usageCounts, WorkflowCategory, type AccountUsage, type UsageList, type UsageValue } from "../core/usage";
import type { DataverseClient } from "../dataverse/client";
import { readAccountUsage } from "../dataverse/usageReader";
import { connect, withConnectionOptions, type ConnectionFlags, type SignInContext } from "./connection";
import { dataverseThrottled, say } from "./terminal";
import { oneLine, printableJson } from "../node/text";

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

export interface UsageTarget {
  systemuserid: string;
  fullname: string;
  domainname: string;
}

/** The user an admin names: by id, user name (UPN) or primary email; a name matching several is refused, naming them. */
export async function findUser(client: DataverseClient, who: string): Promise<UsageTarget> {
  const name = who.trim();
  const literal = `'${name.replace(/'/g, "''")}'`; // OData string literal: a quote is doubled
  const filter = GUID.test(name)
    ? `systemuserid eq ${name.replace(/[{}]/g, "")}`
    : `domainname eq ${literal} or internalemailaddress eq ${literal}`;
  const { rows } = await client.retrieveMultiple("systemuser", `?$select=systemuserid,fullname,domainname&$filter=${filter}`, 10);
  if (rows.length === 0) throw new Error(`No user is ${name} (by id, user name or primary email).`);
  if (rows.length > 1)
    throw new Error(
      `${rows.length} users match ${name}: ${rows.map((row) => `${String(row.fullname)} (${String(row.systemuserid)})`).join(", ")}. Name one by id.`,
    );
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const row = rows[0];
  return { systemuserid: text(row.systemuserid), fullname: text(row.fullname), domainname: text(row.domainname) };
}

const KIND: Record<number, string> = {
  [WorkflowCategory.CloudFlow]: "cloud flow",
  [WorkflowCategory.ClassicWorkflow]: "classic workflow",
  [WorkflowCategory.Action]: "action",
};

function section<T>(title: string, list: UsageList<T>, line: (row: T) => string): string[] {
  if ("hidden" in list) return [`${title}: not visible to you`];
  if ("problem" in list) return [`${title}: could not be read (${oneLine(list.problem)})`];
  if (list.rows.length === 0) return [`${title}: none`];
  return [`${title}: ${list.rows.length}`, ...list.rows.map((row) => `  ${oneLine(line(row))}`)];
}

function lastAccessLine(value: UsageValue<string | null> | undefined): string {
  if (!value) return "Last access: not read";
  if ("hidden" in value) return "Last access: not visible to you";
  if ("problem" in value) return `Last access: could not be read (${oneLine(value.problem)})`;
  return `Last access: ${value.value ?? "none recorded (or the org does not audit user access)"}`;
}

export function formatUsage(target: UsageTarget, usage: AccountUsage): string {
  const state = (on: boolean) => (on ? "on" : "off");
  return `${[
    `${oneLine(target.fullname)} (${oneLine(target.domainname)}, ${target.systemuserid})`,
    ...section(
      "Flows, workflows and actions it owns",
      usage.processes,
      (row) => `${row.name}  ${KIND[row.category] ?? "process"}, ${state(row.on)}  ${row.id}`,
    ),
    ...section("Plug-in steps that run as it", usage.steps, (row) => `${row.name}  ${row.handler ?? ""}, ${state(row.on)}  ${row.id}`),
    ...section(
      "Connection references it owns",
      usage.connectionReferences,
      (row) => `${row.name}  ${row.connector ?? ""}, ${state(row.on)}  ${row.id}`,
    ),
    lastAccessLine(usage.lastAccess),
  ].join("\n")}\n`;
}

/** `svcacct usage <user>`: everything that runs as one account, and its last recorded access. */
export function addUsageCommand(program: Command, context: SignInContext = {}): void {
  withConnectionOptions(
    program
      .command("usage")
      .argument("<user>", "the user's id, user name or primary email")
      .description(
        "List what runs as one account: the flows, workflows and actions it owns, the plug-in steps that impersonate it, its connection references, and its last access.",
      )
      .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table")),
  ).action(async (who: string, flags: ConnectionFlags & { format: "table" | "json" }) => {
    const { client } = connect(flags, process.env, dataverseThrottled, context);
    const target = await findUser(client, who);
    const usage = await readAccountUsage(client, target.systemuserid, { lastAccess: true });
    if (flags.format === "json")
      process.stdout.write(`${printableJson(JSON.stringify({ user: target, counts: usageCounts(usage), ...usage }, null, 2))}\n`);
    else process.stdout.write(formatUsage(target, usage));
    say(`${client.counter.count} requests.`);
  });
}
