import { GRAPH_PATH } from "../../src/emulator/graphEmulator";
import type { Json, RunningEmulator } from "../support/emulator";

/** The Entra object id the sample org gives a systemuser. */
export const objectId = (systemUserId: string) => `${systemUserId.slice(0, 24)}aad${systemUserId.slice(27)}`;

/** A Graph GET as the product sends it (path after /v1.0/, or an absolute next link). */
export async function graphGet(running: RunningEmulator, path: string, headers: Record<string, string> = {}) {
  const url = path.startsWith("http") ? path : `${running.url}${GRAPH_PATH}/${path}`;
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

/** A JSON batch; each item's answer by id. */
export async function graphBatch(
  running: RunningEmulator,
  requests: { id: string; method: string; url: string; headers?: Record<string, string> }[],
) {
  const response = await fetch(`${running.url}${GRAPH_PATH}/$batch`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ requests }),
  });
  const body = (await response.json()) as Json;
  return {
    status: response.status,
    body,
    item: (id: string) => (body.responses as Json[]).find((each) => each.id === id)!,
  };
}

export const DAY_MS = 86_400_000;
/** Whole days between an ISO date Graph wrote and now (negative in the future). */
export const daysAgo = (iso: string) => Math.round((Date.now() - Date.parse(iso)) / DAY_MS);
