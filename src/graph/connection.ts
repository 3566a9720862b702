import { tokenProviderFor, type ClientCredentials } from "../dataverse/tokenProvider";
import { entraSourceFor } from "./entraReader";
import type { EntraSource } from "./entraSnapshots";
import { HttpGraphClient } from "./httpGraphClient";

/** Microsoft Graph's global endpoint; its token scope is `https://graph.microsoft.com/.default`. */
export const GRAPH_URL = "https://graph.microsoft.com";

/**
 * Where Graph is, when it is on: `--graph [url]` or GRAPH_URL, or GRAPH_ENABLED=true for the global
 * endpoint. Off otherwise, even with client credentials: the app registration needs Graph application
 * permissions an admin consents to separately, and an org that has not granted them should see
 * "check by hand", not a 403 on every account.
 */
export function graphUrlFrom(flag: string | boolean | undefined, env: NodeJS.ProcessEnv): string | null {
  if (typeof flag === "string" && flag) return flag;
  if (env.GRAPH_URL) return env.GRAPH_URL;
  if (flag === true || /^(1|true|yes)$/i.test(env.GRAPH_ENABLED ?? "")) return GRAPH_URL;
  return null;
}

export interface GraphConnection {
  client: HttpGraphClient;
  source: EntraSource;
}

/**
 * The Entra source over Graph with the Dataverse app registration's client credentials (MSAL, scope
 * `<graph>/.default`); a loopback URL (the emulator) goes without a token.
 */
export function connectGraph(graphUrl: string, credentials: ClientCredentials, onThrottled?: (seconds: number) => void): GraphConnection {
  try {
    new URL(graphUrl);
  } catch {
    throw new Error(`The Graph URL "${graphUrl}" is not a URL.`);
  }
  const client = new HttpGraphClient(graphUrl, tokenProviderFor(graphUrl, credentials), { maxAttempts: 5, onThrottled });
  return { client, source: entraSourceFor(client, { maxAttempts: 5, onThrottled }) };
}
