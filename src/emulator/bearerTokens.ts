import type { OrgStore } from "./store";

/** A refusal as Dataverse answers a token it cannot take. */
export interface TokenRefusal {
  status: 401 | 403;
  code: string;
  message: string;
  headers: Record<string, string>;
}

/** Who a bearer token makes the caller, or why it is refused. */
export type TokenVerdict = { callerId: string } | TokenRefusal;

/** The claims the emulator reads from an access token (Microsoft identity platform access token claims). */
export interface Claims {
  aud?: unknown;
  exp?: unknown;
  oid?: unknown;
  /** Delegated permissions: present in a user's token, absent from an app-only one. */
  scp?: unknown;
  appid?: unknown;
  azp?: unknown;
}

/** A token's claims, unverified (the emulators cannot check Entra's signature); null when it is no JWT. */
export function claimsOf(token: string): Claims | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

/**
 * A request that carries `Authorization: Bearer <token>` is taken as Dataverse takes it: the token
 * must be for this org (its `aud` the org's URL) and unexpired, or the answer is 401 with a
 * `WWW-Authenticate` header naming the resource ("Use OAuth authentication with Microsoft Dataverse";
 * code AccessTokenExpired, 0x8005F101, "The requested resource requires authentication.", Web service
 * error codes). A valid token acts as the org's user whose Entra object id is its `oid`, or the
 * application user whose application id is its `appid` (`azp` in v2 tokens); a token of anyone
 * else is refused 403 with 0x80072560, "The user is not a member of the organization." (as the
 * dual-write troubleshooting guide shows Dataverse answering). The emulator cannot check Entra's
 * signature, so it reads the claims only: tests sign nothing. Requests without the header keep the
 * emulator's token-free path on loopback.
 */
export function callerOfToken(authorization: string, orgUrl: string, store: OrgStore, now = Date.now()): TokenVerdict {
  const refuse = (status: 401 | 403, code: string, message: string): TokenRefusal => ({
    status,
    code,
    message,
    headers:
      status === 401
        ? {
            "WWW-Authenticate": `Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize, resource_id=${orgUrl}/`,
          }
        : {},
  });
  const unauthenticated = () => refuse(401, "0x8005f101", "The requested resource requires authentication.");
  const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(authorization)?.[1];
  const claims = token ? claimsOf(token) : null;
  if (!claims) return unauthenticated();
  const audience = typeof claims.aud === "string" ? claims.aud.replace(/\/+$/, "") : "";
  if (audience !== orgUrl || typeof claims.exp !== "number" || claims.exp * 1000 <= now) return unauthenticated();
  const appId = typeof claims.appid === "string" ? claims.appid : typeof claims.azp === "string" ? claims.azp : undefined;
  const user =
    store.findRow("systemuser", (row) => typeof claims.oid === "string" && row.azureactivedirectoryobjectid === claims.oid) ??
    store.findRow("systemuser", (row) => appId !== undefined && row.applicationid === appId);
  if (!user) return refuse(403, "0x80072560", "The user is not a member of the organization.");
  return { callerId: String(user.systemuserid) };
}
