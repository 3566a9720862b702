/** `svcacct`: the command line of Service Account Compliance. */
import { Command } from "commander";
import { packageVersion } from "../solution/main";
import { addCommands } from "./commands";
import type { SignInContext } from "./connection";
import { refuseRetiredFlags } from "./refusedFlags";
import { addWebhookCommands } from "./webhookCommands";
import { addUsageCommand } from "./usageCommand";

/** The program; `context` reaches every sign-in (tests hand @azure/identity a fake issuer through it). */
export function buildProgram(context: SignInContext = {}): Command {
  const program = new Command("svcacct")
    .description("Service Account Compliance: pack, deploy, audit, and the webhook service.")
    .version(packageVersion());
  addCommands(program, context);
  addWebhookCommands(program, context);
  addUsageCommand(program, context);
  return program;
}

/** Runs a command line (`process.argv`), refusing retired secret flags before anything else happens. */
export async function runCli(argv: readonly string[], context: SignInContext = {}): Promise<void> {
  refuseRetiredFlags(argv.slice(2));
  await buildProgram(context).parseAsync([...argv]);
}

export { describeFailure } from "../node/failure";
