import { Option, type Command } from "commander";
import { CLOUD_NAMES, graphUrlFrom } from "../dataverse-node/clouds";
import { secureUrl } from "../dataverse-node/endpoints";
import { HttpDataverseClient } from "../dataverse-node/httpClient";
import { AUTH_METHODS, secretSetting, SettingError, signInSettingsFrom, type SignInSettings } from "../dataverse-node/settings";
import { signInFor, tokenProviderFor, type SignIn, type TokenProvider } from "../dataverse-node/signIn";
import { connectGraph, type GraphConnection } from "../graph/connection";
import { ADMIN_SCOPE, PUBLIC_ADMIN_URL } from "../dataverse-node/environments";

export interface ConnectionFlags {
  url?: string;
  auth?: string;
  cloud?: string;
  tenantId?: string;
  clientId?: string;
  clientSecretFile?: string;
  certificate?: string;
  accessTokenFile?: string;
}

/**
 * The flags every command that talks to an org takes; each falls back to its environment variable.
 * Secrets and tokens have no flag of their own: they come from the environment or from a file
 * (`-` for standard input), never from a command line that `ps`, shell history and CI logs keep.
 */
export function withConnectionOptions(command: Command): Command {
  return command
    .option("--url <org>", "the org's URL, e.g. https://contoso.crm.dynamics.com (env DATAVERSE_URL)")
    .addOption(
      new Option(
        "--auth <method>",
        "how to sign in (env AUTH_METHOD): auto picks a managed or workload identity, a certificate or a secret when the environment holds one, else the Azure CLI's sign-in (az login)",
      )
        .choices(AUTH_METHODS)
        .default(undefined, "auto"),
    )
    .addOption(
      new Option(
        "--cloud <name>",
        "the org's cloud, when its URL does not say (env DATAVERSE_CLOUD; default: from the URL, else public)",
      ).choices(CLOUD_NAMES),
    )
    .option("--tenant-id <id>", "Microsoft Entra tenant (env TENANT_ID)")
    .option("--client-id <id>", "application (client) id of the app registration (env CLIENT_ID)")
    .option(
      "--client-secret-file <file>",
      "a file holding the client secret, - for standard input (env CLIENT_SECRET or CLIENT_SECRET_FILE)",
    )
    .option(
      "--certificate <file>",
      "the app registration's certificate, a PEM file with its private key (env CLIENT_CERTIFICATE_PATH; a password in CLIENT_CERTIFICATE_PASSWORD)",
    )
    .option("--access-token-file <file>", "a file holding a bearer token for the org, - for standard input (env DATAVERSE_ACCESS_TOKEN)");
}

/** An org's Web API client and the sign-in behind it (null: none, a loopback org), for Graph to share. */
export interface Connection {
  client: HttpDataverseClient;
  signIn: SignIn | null;
  settings: SignInSettings;
}

/** Settings by their variable names: a flag wins over its variable, a file flag over the variable it stands in for. */
function settingsOf(flags: ConnectionFlags, env: NodeJS.ProcessEnv): (name: string) => string | undefined {
  const fromFlags: Record<string, string | undefined> = {
    DATAVERSE_URL: flags.url,
    AUTH_METHOD: flags.auth,
    DATAVERSE_CLOUD: flags.cloud,
    TENANT_ID: flags.tenantId,
    CLIENT_ID: flags.clientId,
    CLIENT_CERTIFICATE_PATH: flags.certificate,
    ...(flags.clientSecretFile ? { CLIENT_SECRET: "", CLIENT_SECRET_FILE: flags.clientSecretFile } : {}),
    ...(flags.accessTokenFile ? { DATAVERSE_ACCESS_TOKEN: "", DATAVERSE_ACCESS_TOKEN_FILE: flags.accessTokenFile } : {}),
  };
  return (name) => fromFlags[name] ?? env[name];
}

/** What the CLI's sign-in talks to besides the flags: where a device code is shown, and @azure/identity's HTTP client (tests). */
export type SignInContext = Pick<SignInSettings, "prompt" | "httpClient">;

/** A Web API client for the org the flags and the environment name, signed in as they say. */
export function connect(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
  onThrottled?: (seconds: number) => void,
  context: SignInContext = {},
): Connection {
  const value = settingsOf(flags, env);
  const url = value("DATAVERSE_URL");
  if (!url) throw new SettingError("Which org? Pass --url or set DATAVERSE_URL.");
  try {
    secureUrl(url, "The org URL");
  } catch (error) {
    throw new SettingError((error as Error).message);
  }
  if (flags.clientSecretFile === "-" && flags.accessTokenFile === "-")
    throw new SettingError("Only one secret can come from standard input: give the other as a file or a variable.");
  const settings = signInSettingsFrom(value, url, { atTerminal: true, env, ...context });
  const accessToken = secretSetting(value, "DATAVERSE_ACCESS_TOKEN");
  // A token handed over stands in for the sign-in towards the org only; Graph still signs in as settings say.
  const signIn = accessToken ? null : signInFor(settings, url);
  const token: TokenProvider = accessToken ? () => Promise.resolve(accessToken) : tokenProviderFor(url, signIn, "user_impersonation");
  return { client: new HttpDataverseClient(url, token, { maxAttempts: 5, onThrottled }), signIn, settings };
}

/** The tenant's admin API and a Web API client for each environment's org, all on one sign-in. */
export interface TenantConnection {
  adminUrl: string;
  adminToken: TokenProvider;
  clientFor: (orgUrl: string, onThrottled?: (seconds: number) => void) => HttpDataverseClient;
}

/**
 * For `audit --all-environments`: the admin API at `--admin-url`, POWER_PLATFORM_ADMIN_URL or the public
 * cloud's, and the same sign-in for every environment's org (no --url: the environments say where).
 */
export function connectTenant(
  flags: ConnectionFlags & { adminUrl?: string },
  env: NodeJS.ProcessEnv = process.env,
  context: SignInContext = {},
): TenantConnection {
  const value = settingsOf(flags, env);
  const adminUrl = flags.adminUrl ?? env.POWER_PLATFORM_ADMIN_URL ?? PUBLIC_ADMIN_URL;
  try {
    secureUrl(adminUrl, "The admin API URL");
  } catch (error) {
    throw new SettingError((error as Error).message);
  }
  const settings = signInSettingsFrom(value, adminUrl, { atTerminal: true, env, ...context });
  const signIn = signInFor(settings, adminUrl);
  return {
    adminUrl,
    adminToken: tokenProviderFor(adminUrl, signIn, undefined, ADMIN_SCOPE),
    clientFor: (orgUrl, onThrottled) =>
      new HttpDataverseClient(orgUrl, tokenProviderFor(orgUrl, signIn, "user_impersonation"), { maxAttempts: 5, onThrottled }),
  };
}

/** Microsoft Graph for the Entra checks when the flags or the environment turn it on, signed in as the org is. */
export function connectGraphFor(
  graph: string | boolean | undefined,
  connection: Connection,
  env: NodeJS.ProcessEnv = process.env,
  onThrottled?: (seconds: number) => void,
): GraphConnection | null {
  const graphUrl = graphUrlFrom(graph, env, connection.settings.cloud);
  if (!graphUrl) return null;
  const signIn = connection.signIn ?? signInFor(connection.settings, graphUrl);
  return connectGraph(graphUrl, signIn, onThrottled);
}
