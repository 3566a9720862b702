import { defaultSleep } from "../dataverse/retry";
import { errorMessage, type GraphRetryOptions } from "./httpGraphClient";
import { MAX_BATCH_REQUESTS, retryAfterSeconds, type GraphClient, type GraphRequest, type GraphResponse } from "./graphClient";

/**
 * Sends requests in JSON batches of 20; requests Graph throttled inside a batch (429) are sent again
 * after the longest Retry-After among them, for up to `maxAttempts` rounds. Answers by request id.
 */
export async function sendAll(
  client: GraphClient,
  requests: GraphRequest[],
  options: GraphRetryOptions,
): Promise<Map<string, GraphResponse>> {
  const answered = new Map<string, GraphResponse>();
  let pending = requests;
  for (let round = 1; pending.length; round++) {
    const throttled: GraphRequest[] = [];
    let wait = 0;
    for (let start = 0; start < pending.length; start += MAX_BATCH_REQUESTS) {
      const chunk = pending.slice(start, start + MAX_BATCH_REQUESTS);
      for (const response of await client.batch(chunk)) {
        answered.set(response.id, response);
        if (response.status === 429) {
          throttled.push(chunk.find((request) => request.id === response.id)!);
          wait = Math.max(wait, retryAfterSeconds(response.headers) ?? 2 ** round);
        }
      }
    }
    if (!throttled.length || round >= (options.maxAttempts ?? 3) || wait > (options.maxWaitSeconds ?? 60)) break;
    options.onThrottled?.(wait);
    await (options.sleep ?? defaultSleep)(wait * 1000);
    pending = throttled;
  }
  return answered;
}

/** A collection's rows over every page (`@odata.nextLink`), or the response that stopped it. */
export async function allRows(
  client: GraphClient,
  first: GraphResponse | undefined,
): Promise<{ rows: Record<string, unknown>[] } | { failed: GraphResponse | undefined; error?: string }> {
  if (first?.status !== 200) return { failed: first };
  const rows: Record<string, unknown>[] = [];
  let page = first;
  for (;;) {
    rows.push(...((page.body?.value ?? []) as Record<string, unknown>[]));
    const next = page.body?.["@odata.nextLink"];
    if (typeof next !== "string") return { rows };
    try {
      page = await client.get(next);
    } catch (error) {
      return { failed: undefined, error: error instanceof Error ? error.message : String(error) };
    }
    if (page.status !== 200) return { failed: page };
  }
}

/** Graph's own error code of a failed response, e.g. Authorization_RequestDenied. */
export function graphCode(response: GraphResponse | undefined): string | undefined {
  const code = (response?.body?.error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** A failed response in words: deleted objects, missing permissions and throttling each say what to do, with Graph's code. */
export function problemOf(response: GraphResponse | undefined, permission: string, what: string, notFound?: string): string {
  if (!response) return `Microsoft Graph did not answer for ${what}`;
  const code = graphCode(response);
  const said = code ? ` (Graph: ${code})` : "";
  switch (response.status) {
    case 404:
      return `${notFound ?? "the user no longer exists in Microsoft Entra ID (deleted?), or its object id is wrong"}${said}`;
    case 403:
      return `Microsoft Graph refused to read ${what}: grant the app registration the ${permission} application permission (with admin consent)${said}`;
    case 429:
      return "Microsoft Graph kept throttling the requests; the next evaluation reads again";
    default:
      return `Microsoft Graph answered ${response.status} for ${what}: ${errorMessage(response.body)}`;
  }
}
