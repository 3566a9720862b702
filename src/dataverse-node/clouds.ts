/**
 * The Microsoft clouds an org can live in, each with the Entra authority its identities sign in at
 * and the Microsoft Graph endpoint its tenant is served from. Sources:
 * - org domains: "Microsoft Dynamics 365 US Government" (GCC `*.crm9.dynamics.com`, GCC High
 *   `*.crm.microsoftdynamics.us`) and the Global Discovery service's table (DoD
 *   `globaldisco.crm.appsplatform.us`, China `globaldisco.crm.dynamics.cn`), learn.microsoft.com/power-platform
 *   and /power-apps/developer/data-platform/discovery-service;
 * - authorities: @azure/identity's AzureAuthorityHosts and "National clouds" (Entra), GCC signing in
 *   at the public authority ("GCC ... leverages Public Azure AD");
 * - Graph: "National cloud deployments" (learn.microsoft.com/graph/deployments): GCC stays on the
 *   worldwide endpoint, GCC High is graph.microsoft.us, DoD dod-graph.microsoft.us.
 */
export interface Cloud {
  name: CloudName;
  /** In words, for messages and docs/cli.md ("Sovereign clouds"). */
  title: string;
  authorityHost: string;
  graphUrl: string;
  /** Org host names of this cloud (the Web API's `.api.` host included). */
  orgHosts: RegExp;
}

export const CLOUD_NAMES = ["public", "gcc", "gcc-high", "dod", "china"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

/** Most specific first: GCC's `crm9` is also a `crm<N>.dynamics.com` host. */
export const CLOUDS: readonly Cloud[] = [
  {
    name: "gcc",
    title: "US Government Community Cloud (GCC)",
    authorityHost: "https://login.microsoftonline.com",
    graphUrl: "https://graph.microsoft.com",
    orgHosts: /\.crm9\.dynamics\.com$/,
  },
  {
    name: "public",
    title: "the commercial cloud",
    authorityHost: "https://login.microsoftonline.com",
    graphUrl: "https://graph.microsoft.com",
    orgHosts: /\.crm\d*\.dynamics\.com$/,
  },
  {
    name: "gcc-high",
    title: "US Government GCC High",
    authorityHost: "https://login.microsoftonline.us",
    graphUrl: "https://graph.microsoft.us",
    orgHosts: /\.crm\.microsoftdynamics\.us$/,
  },
  {
    name: "dod",
    title: "US Government DoD",
    authorityHost: "https://login.microsoftonline.us",
    graphUrl: "https://dod-graph.microsoft.us",
    orgHosts: /\.crm\.appsplatform\.us$/,
  },
  {
    name: "china",
    title: "Microsoft Azure operated by 21Vianet (China)",
    authorityHost: "https://login.chinacloudapi.cn",
    graphUrl: "https://microsoftgraph.chinacloudapi.cn",
    orgHosts: /\.crm\.dynamics\.cn$/,
  },
];

const byName = (name: CloudName): Cloud => CLOUDS.find((cloud) => cloud.name === name)!;

/**
 * The org's cloud: the one its host names, or the one asked for (`--cloud`, DATAVERSE_CLOUD) for a host
 * no cloud names (a custom domain, the emulator); the commercial cloud when neither says. Asking for
 * a cloud the host contradicts is refused: the sign-in would fail with a far less helpful message.
 */
export function cloudOf(orgUrl: string, asked?: string): Cloud {
  if (asked !== undefined && !(CLOUD_NAMES as readonly string[]).includes(asked))
    throw new Error(`The cloud "${asked}" is not one of ${CLOUD_NAMES.join(", ")}.`);
  const host = new URL(orgUrl).hostname.toLowerCase();
  const named = CLOUDS.find((cloud) => cloud.orgHosts.test(host));
  if (named && asked && named.name !== asked)
    throw new Error(`${host} is an org of ${named.title}, not of ${byName(asked as CloudName).title}: leave out --cloud or correct it.`);
  return named ?? byName((asked as CloudName | undefined) ?? "public");
}

/**
 * Where Graph is, when it is on: `--graph [url]` or GRAPH_URL, or GRAPH_ENABLED=true for the org's
 * cloud's endpoint (graph.microsoft.com, or a national cloud's: see clouds.ts). Off otherwise, even with client credentials: the app registration needs Graph application
 * permissions an admin consents to separately, and an org that has not granted them should see
 * "check by hand", not a 403 on every account.
 */
export function graphUrlFrom(flag: string | boolean | undefined, env: NodeJS.ProcessEnv, cloud: Cloud): string | null {
  if (typeof flag === "string" && flag) return flag;
  if (env.GRAPH_URL) return env.GRAPH_URL;
  if (flag === true || /^(1|true|yes)$/i.test(env.GRAPH_ENABLED ?? "")) return cloud.graphUrl;
  return null;
}
