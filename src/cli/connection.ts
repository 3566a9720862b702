import type { Command } from "commander";
import { HttpDataverseClient } from "../dataverse-node/httpClient";
import { tokenProviderFor, type TokenProvider } from "../dataverse-node/tokenProvider";

export interface ConnectionFlags {
  url?: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
}

/** The flags every command that talks to an org takes; each falls back to its environment variable. */
export function withConnectionOptions(command: Command): Command {
  return command
    .option("--url <org>", "the org's URL, e.g. https://contoso.crm.dynamics.com (env DATAVERSE_URL)")
    .option("--tenant-id <id>", "Microsoft Entra tenant (env TENANT_ID)")
    .option("--client-id <id>", "application (client) id of the app registration (env CLIENT_ID)")
    .option("--client-secret <secret>", "client secret (env CLIENT_SECRET; prefer the variable over the flag)")
    .option("--access-token <token>", "a bearer token to use instead of client credentials");
}

/** A Web API client for the org the flags and the environment name, signed in as they say. */
export function connect(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
  onThrottled?: (seconds: number) => void,
): HttpDataverseClient {
  const url = flags.url ?? env.DATAVERSE_URL;
  if (!url) throw new Error("Which org? Pass --url or set DATAVERSE_URL.");
  const token: TokenProvider = flags.accessToken
    ? () => Promise.resolve(flags.accessToken ?? null)
    : tokenProviderFor(url, {
        tenantId: flags.tenantId ?? env.TENANT_ID,
        clientId: flags.clientId ?? env.CLIENT_ID,
        clientSecret: flags.clientSecret ?? env.CLIENT_SECRET,
      });
  return new HttpDataverseClient(url, token, { maxAttempts: 5, onThrottled });
}
