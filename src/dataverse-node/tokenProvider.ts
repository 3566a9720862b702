import { ConfidentialClientApplication } from "@azure/msal-node";

/** Gives the bearer token for a request, or null to send none (a local emulator). */
export type TokenProvider = () => Promise<string | null>;

export interface ClientCredentials {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
}

/** Loopback addresses: the local emulator or a test double, which take requests without a token. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

/**
 * Client credentials through @azure/msal-node (confidential client, scope `<org>/.default`), the way
 * a service signs in as an application user. MSAL caches the token and renews it before expiry.
 * A loopback URL with no credentials goes without a token.
 */
export function tokenProviderFor(dataverseUrl: string, credentials: ClientCredentials): TokenProvider {
  const { tenantId, clientId, clientSecret } = credentials;
  if (!tenantId && !clientId && !clientSecret && isLoopbackUrl(dataverseUrl)) return () => Promise.resolve(null);
  const missing = [
    ["TENANT_ID", tenantId],
    ["CLIENT_ID", clientId],
    ["CLIENT_SECRET", clientSecret],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length) throw new Error(`Signing in to ${dataverseUrl} needs client credentials: set ${missing.join(", ")}.`);
  const app = new ConfidentialClientApplication({
    auth: { clientId: clientId!, clientSecret: clientSecret!, authority: `https://login.microsoftonline.com/${tenantId!}` },
  });
  const scope = `${new URL(dataverseUrl).origin}/.default`;
  return async () => {
    const result = await app.acquireTokenByClientCredential({ scopes: [scope] });
    if (!result?.accessToken) throw Object.assign(new Error("Microsoft Entra ID returned no access token."), { status: 401 });
    return result.accessToken;
  };
}
