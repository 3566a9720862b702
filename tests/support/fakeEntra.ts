import type { TokenCredentialOptions } from "@azure/identity";

type IdentityHttpClient = NonNullable<TokenCredentialOptions["httpClient"]>;
type PipelineRequest = Parameters<IdentityHttpClient["sendRequest"]>[0];
type PipelineResponse = Awaited<ReturnType<IdentityHttpClient["sendRequest"]>>;

/** An unsigned JWT with these claims: what the emulators read, as they cannot check Entra's signature. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ typ: "JWT", alg: "none" })}.${part(claims)}.`;
}

/** Headers as @azure/core-rest-pipeline's HttpHeaders, without depending on that package. */
function headersOf(entries: Record<string, string>): PipelineResponse["headers"] {
  const map = new Map(Object.entries(entries).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    get: (name: string) => map.get(name.toLowerCase()),
    has: (name: string) => map.has(name.toLowerCase()),
    set: (name: string, value: string | number | boolean) => void map.set(name.toLowerCase(), String(value)),
    delete: (name: string) => void map.delete(name.toLowerCase()),
    toJSON: () => Object.fromEntries(map),
    [Symbol.iterator]: () => map.entries(),
  };
}

export interface FakeEntraOptions {
  tenantId: string;
  /** The application a client credential signs in as (its token's `appid`). */
  appId?: string;
  /** The person a device code signs in (its token's `oid`). */
  userObjectId?: string;
  /** Token lifetime in seconds. */
  expiresIn?: number;
  /** Refuse every client credential, as Entra refuses a wrong or expired secret. */
  refuseClients?: boolean;
}

/** A token request as the fake issuer received it. */
export interface TokenRequest {
  grantType: string;
  scope: string;
  clientId: string;
  /** Whether the client proved itself with a secret or with a signed assertion (certificate, federation). */
  proof: "secret" | "assertion" | "none";
}

/**
 * Microsoft Entra ID's token endpoints behind @azure/identity's `httpClient` option, the library's
 * documented seam for tests: the authority's metadata (instance discovery, OpenID configuration),
 * the device authorization endpoint, and the token endpoint for client credentials and device codes.
 * Tokens are unsigned JWTs whose `aud` is the scope's resource.
 */
export function fakeEntra(options: FakeEntraOptions): { httpClient: IdentityHttpClient; tokenRequests: TokenRequest[] } {
  const tokenRequests: TokenRequest[] = [];
  const { tenantId } = options;
  const json = (request: PipelineRequest, body: unknown, status = 200): PipelineResponse => ({
    request,
    status,
    headers: headersOf({ "content-type": "application/json; charset=utf-8" }),
    bodyAsText: JSON.stringify(body),
  });
  const answer = (request: PipelineRequest): PipelineResponse => {
    const url = new URL(request.url);
    const authority = `${url.protocol}//${url.host}`;
    const tenant = url.pathname.split("/")[1];
    if (url.pathname.endsWith("/discovery/instance"))
      return json(request, {
        tenant_discovery_endpoint: `${authority}/${tenant}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: url.host, preferred_cache: url.host, aliases: [url.host] }],
      });
    if (url.pathname.endsWith("/.well-known/openid-configuration"))
      return json(request, {
        token_endpoint: `${authority}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${authority}/${tenant}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${authority}/${tenant}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${authority}/${tenant}/oauth2/v2.0/logout`,
        issuer: `${authority}/${tenantId}/v2.0`,
        jwks_uri: `${authority}/${tenant}/discovery/v2.0/keys`,
      });
    const form = new URLSearchParams(typeof request.body === "string" ? request.body : "");
    if (url.pathname.endsWith("/oauth2/v2.0/devicecode"))
      return json(request, {
        user_code: "FAKE-CODE",
        device_code: "fake-device-code",
        verification_uri: "https://microsoft.com/devicelogin",
        expires_in: 900,
        interval: 0,
        message:
          "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FAKE-CODE to authenticate.",
      });
    if (url.pathname.endsWith("/oauth2/v2.0/token")) {
      const grantType = form.get("grant_type") ?? "";
      const scope = (form.get("scope") ?? "").split(" ").find((item) => !["openid", "profile", "offline_access"].includes(item)) ?? "";
      const clientId = form.get("client_id") ?? "";
      const proof = form.get("client_secret") ? "secret" : form.get("client_assertion") ? "assertion" : "none";
      tokenRequests.push({ grantType, scope, clientId, proof });
      if (options.refuseClients && grantType === "client_credentials")
        return json(
          request,
          { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided.", error_codes: [7000215] },
          401,
        );
      const audience = scope.replace(/\/(\.default|user_impersonation)$/, "");
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = options.expiresIn ?? 3600;
      const delegated = grantType !== "client_credentials";
      const subject = delegated
        ? { oid: options.userObjectId, azp: clientId }
        : { appid: options.appId ?? clientId, oid: `sp-${clientId}` };
      const body: Record<string, unknown> = {
        token_type: "Bearer",
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: unsignedJwt({ aud: audience, exp: now + expiresIn, tid: tenantId, ...subject }),
      };
      if (delegated) {
        body.refresh_token = "fake-refresh-token";
        body.scope = form.get("scope");
        body.client_info = Buffer.from(JSON.stringify({ uid: options.userObjectId, utid: tenantId })).toString("base64url");
        body.id_token = unsignedJwt({
          aud: clientId,
          iss: `${authority}/${tenantId}/v2.0`,
          iat: now,
          exp: now + expiresIn,
          oid: options.userObjectId,
          sub: options.userObjectId,
          tid: tenantId,
          preferred_username: "admin@contoso.example",
        });
      }
      return json(request, body);
    }
    return json(request, { error: "invalid_request", error_description: `The fake issuer has no ${url.pathname}.` }, 400);
  };
  const httpClient: IdentityHttpClient = { sendRequest: (request) => Promise.resolve(answer(request)) };
  return { httpClient, tokenRequests };
}
