import { createHash, timingSafeEqual } from "crypto";
import type { WebhookAuth } from "./config";

/** Compares in constant time: both sides are hashed first so their lengths say nothing either. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Whether a call carries the endpoint's secret, as its authtype says: the named header, or `?code=`. */
export function isAuthentic(
  auth: WebhookAuth,
  headers: Record<string, string | string[] | undefined>,
  query: Record<string, unknown>,
): boolean {
  const given = auth.kind === "header" ? headers[auth.header] : query.code;
  return typeof given === "string" && given.length > 0 && sameSecret(given, auth.secret);
}
