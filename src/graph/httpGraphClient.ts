import { defaultSleep } from "../dataverse/retry";
import { sameOrigin } from "../dataverse-node/endpoints";
import type { TokenProvider } from "../dataverse-node/signIn";
import {
  GraphCallError,
  MAX_BATCH_REQUESTS,
  retryAfterSeconds,
  type GraphClient,
  type GraphRequest,
  type GraphResponse,
  withAdvancedQueryParameters,
} from "./graphClient";

export interface GraphRetryOptions {
  /** Attempts in all for a throttled call, the first included. */
  maxAttempts?: number;
  /** Longest single wait; a longer Retry-After fails instead of holding the caller. */
  maxWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  onThrottled?: (seconds: number) => void;
}

/**
 * GraphClient over fetch: a bearer token for `https://graph.microsoft.com/.default` (client
 * credentials, the Dataverse app registration), JSON batches at `/v1.0/$batch`, and a call Graph
 * throttles (429, or 503 with Retry-After) retried after the wait it asks for
 * ("Microsoft Graph throttling guidance", https://learn.microsoft.com/graph/throttling).
 */
export class HttpGraphClient implements GraphClient {
  readonly root: string;
  readonly counter = { count: 0 };

  constructor(
    graphUrl: string,
    private readonly token: TokenProvider,
    private readonly retry: GraphRetryOptions = {},
  ) {
    this.root = `${graphUrl.replace(/\/+$/, "")}/v1.0`;
  }

  async batch(requests: GraphRequest[]): Promise<GraphResponse[]> {
    if (requests.length > MAX_BATCH_REQUESTS)
      throw new Error(`A Graph batch holds at most ${MAX_BATCH_REQUESTS} requests, not ${requests.length}.`);
    const answer = await this.call("POST", `${this.root}/$batch`, {
      requests: requests
        .map(withAdvancedQueryParameters)
        .map(({ id, url, headers }) => ({ id, method: "GET", url, ...(headers ? { headers } : {}) })),
    });
    if (answer.status !== 200)
      throw new GraphCallError(`Microsoft Graph refused the batch (${answer.status}): ${errorMessage(answer.body)}`, answer.status);
    const responses = (answer.body?.responses ?? []) as { id: string; status: number; headers?: Record<string, string>; body?: unknown }[];
    return responses.map((response) => ({
      id: String(response.id),
      status: Number(response.status),
      headers: response.headers ?? {},
      body: typeof response.body === "object" && response.body !== null ? (response.body as Record<string, unknown>) : null,
    }));
  }

  /** A relative URL, or an absolute `@odata.nextLink` on Graph's own origin (the token goes with it). */
  async get(url: string): Promise<GraphResponse> {
    if (/^https?:\/\//.test(url)) return { id: url, ...(await this.call("GET", sameOrigin(url, this.root, "Microsoft Graph"))) };
    const request = withAdvancedQueryParameters({ id: url, url });
    return { id: url, ...(await this.call("GET", `${this.root}${request.url}`, undefined, request.headers)) };
  }

  private async call(
    method: string,
    url: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<Omit<GraphResponse, "id">> {
    const maxAttempts = this.retry.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const token = await this.token();
      this.counter.count++;
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            Accept: "application/json",
            ...extraHeaders,
            ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
        });
      } catch (error) {
        throw new GraphCallError(`Microsoft Graph cannot be reached (${error instanceof Error ? error.message : String(error)}).`, null);
      }
      const headers = Object.fromEntries(response.headers.entries());
      const text = await response.text();
      let parsed: Record<string, unknown> | null = null;
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      } catch {
        parsed = null;
      }
      const wait = retryAfterSeconds(headers);
      const throttled = response.status === 429 || (response.status === 503 && wait !== undefined);
      if (!throttled || attempt >= maxAttempts) {
        if (throttled)
          throw new GraphCallError("Microsoft Graph is throttling requests (429) and did not recover in time.", response.status, wait);
        if (response.status === 401) throw new GraphCallError(`Microsoft Graph refused the sign-in (401): ${errorMessage(parsed)}`, 401);
        return { status: response.status, headers, body: parsed };
      }
      // No Retry-After: back off exponentially, as the throttling guidance recommends.
      const seconds = wait ?? 2 ** attempt;
      if (seconds > (this.retry.maxWaitSeconds ?? 60))
        throw new GraphCallError(`Microsoft Graph asks to wait ${seconds} s before retrying.`, response.status, seconds);
      this.retry.onThrottled?.(seconds);
      await (this.retry.sleep ?? defaultSleep)(seconds * 1000);
    }
  }
}

export function errorMessage(body: Record<string, unknown> | null): string {
  const error = body?.error as { code?: string; message?: string } | undefined;
  return [error?.code, error?.message].filter(Boolean).join(": ") || "no details";
}
