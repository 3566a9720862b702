/** `svcacct`: the command line of Service Account Compliance. */
import { Command } from "commander";
import { packageVersion } from "../solution/main";
import { addCommands } from "./commands";
import { addWebhookCommands } from "./webhookCommands";

export function buildProgram(): Command {
  const program = new Command("svcacct")
    .description("Service Account Compliance: pack, deploy, audit, and the webhook service.")
    .version(packageVersion());
  addCommands(program);
  addWebhookCommands(program);
  return program;
}
export { describeFailure } from "./failure";
