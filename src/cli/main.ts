/** `svcacct`: the command line of Service Account Compliance. */
import { Command } from "commander";
import { readFileSync } from "fs";
import { join } from "path";
import { addCommands } from "./commands";
import { addWebhookCommands } from "./webhookCommands";

export function buildProgram(): Command {
  const { version } = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
  const program = new Command("svcacct").description("Service Account Compliance: pack, deploy, audit, and the webhook service.").version(version);
  addCommands(program);
  addWebhookCommands(program);
  return program;
}
