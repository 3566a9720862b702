import { SettingError } from "../dataverse-node/settings";

/**
 * Flags earlier versions took a secret in, and what replaces each: a value on a command line is kept
 * by `ps`, shell history and CI logs, so no secret has a flag of its own any more.
 */
const SECRET_FLAGS: Record<string, string> = {
  "--client-secret": "set CLIENT_SECRET, or pass --client-secret-file <file> (- for standard input)",
  "--access-token": "set DATAVERSE_ACCESS_TOKEN, or pass --access-token-file <file> (- for standard input)",
  "--secret": "set WEBHOOK_SECRET, or pass --secret-file <file> (- for standard input)",
  "--webhook-secret": "set WEBHOOK_SECRET, or pass --webhook-secret-file <file> (- for standard input)",
};

/**
 * Refuses a command line that uses a retired flag, before anything is parsed or sent, with what to use
 * instead; the value given is never repeated. `--auth header|code` (the webhook's secret mode, now
 * `--webhook-auth`) is refused the same way, as `--auth` now chooses how to sign in.
 */
export function refuseRetiredFlags(args: readonly string[]): void {
  const end = args.indexOf("--");
  const scanned = end === -1 ? args : args.slice(0, end);
  scanned.forEach((arg, index) => {
    const name = arg.split("=")[0];
    const instead = SECRET_FLAGS[name];
    if (instead) throw new SettingError(`${name} is no longer accepted, so the secret stays off the command line: ${instead}.`);
    const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : scanned[index + 1];
    if (name === "--auth" && (value === "header" || value === "code"))
      throw new SettingError(`--auth now chooses how to sign in; how Dataverse sends the webhook's secret is --webhook-auth ${value}.`);
  });
}
