import { secretSetting, SettingError } from "../dataverse-node/settings";
import { webhookSecretProblem } from "../webhook/auth";

/**
 * The webhook's secret for a registration: from the file the flag names (`-` for standard input),
 * else WEBHOOK_SECRET or WEBHOOK_SECRET_FILE, held to the rules the service starts with, so an
 * endpoint is never registered with a secret the service would refuse.
 */
export function webhookSecretFrom(file: string | undefined, env: NodeJS.ProcessEnv, flag = "--secret-file"): string {
  const secret = secretSetting((name) => (file ? { WEBHOOK_SECRET: "", WEBHOOK_SECRET_FILE: file }[name] : env[name]), "WEBHOOK_SECRET");
  if (!secret)
    throw new SettingError(`Which secret? Set WEBHOOK_SECRET or WEBHOOK_SECRET_FILE, or pass ${flag} <file> (- for standard input).`);
  const problem = webhookSecretProblem(secret, "The webhook's secret");
  if (problem) throw new SettingError(problem);
  return secret;
}
