import { isIP } from "net";

/**
 * Where the product may send a bearer token: an `https://` URL, or plain HTTP on this machine only
 * (the local emulator and test doubles). Loopback is decided on the host exactly: `localhost`, an IPv4
 * address in 127.0.0.0/8, or `::1`; a name such as `127.evil.example` is a name, not an address.
 */
export function isLoopbackUrl(url: string | URL): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return isIP(host) === 6 && host === "::1";
}

/** The URL, when it is `https://` or loopback HTTP; otherwise an error naming the setting and what to use. */
export function secureUrl(url: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${what} "${url}" is not a URL.`);
  }
  if (parsed.protocol === "https:") return parsed;
  if (parsed.protocol === "http:" && isLoopbackUrl(parsed)) return parsed;
  throw new Error(`${what} must be an https:// URL (plain http only for this machine: localhost, 127.0.0.1, ::1): "${parsed.origin}".`);
}

/** The link when it is on the origin the token is for; otherwise an error, the token never sent. */
export function sameOrigin(link: string, base: string, service: string): string {
  const origin = new URL(base).origin;
  let target: URL;
  try {
    target = new URL(link, base);
  } catch {
    throw new Error(`${service} gave a next-page link that is not a URL; it is not followed.`);
  }
  if (target.origin !== origin)
    throw new Error(
      `${service} gave a next-page link to ${target.origin}, not ${origin}; it is not followed, so the token stays with ${origin}.`,
    );
  return target.href;
}
