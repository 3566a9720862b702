import { createHash, timingSafeEqual } from "crypto";
import type { WebhookAuth } from "./config";

/** What a webhook secret must be: printable ASCII (a header carries nothing else intact), no blanks around it, long enough to guess never. */
export const MIN_SECRET_LENGTH = 32;

/** Why a secret cannot be the webhook's, in words naming where it came from; null when it can. */
export function webhookSecretProblem(secret: string, what = "WEBHOOK_SECRET"): string | null {
  if (!/^[\x20-\x7e]*$/.test(secret))
    return `${what} has characters outside printable ASCII: an HTTP header cannot carry them intact, so Dataverse's calls could never match.`;
  if (secret.trim() !== secret) return `${what} starts or ends with blanks: remove them.`;
  if (secret.length < MIN_SECRET_LENGTH)
    return `${what} is too short: use at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -base64 32).`;
  return null;
}

/** Compares in constant time: both sides are hashed first so their lengths say nothing either. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Whether a call carries the endpoint's secret, as its authtype says: the named header, or `?code=`.
 * During a rotation the next secret is accepted too (both are compared, whichever matches).
 */
export function isAuthentic(
  auth: WebhookAuth,
  headers: Record<string, string | string[] | undefined>,
  query: Record<string, unknown>,
): boolean {
  const given = auth.kind === "header" ? headers[auth.header] : query.code;
  if (typeof given !== "string" || given.length === 0) return false;
  const matches = [auth.secret, auth.nextSecret ?? auth.secret].map((secret) => sameSecret(given, secret));
  return matches.includes(true);
}
