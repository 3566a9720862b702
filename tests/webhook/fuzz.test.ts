/** @jest-environment node */
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { USERS } from "../../src/emulator/sampleOrg";
import { webhookConfig } from "../../src/webhook/config";
import { englishTexts } from "../../src/webhook/messageTexts";
import { readRoleHolders } from "../../src/webhook/roleHolders";
import { createWebhookService, type WebhookService } from "../../src/webhook/server";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { associateEvent, strippedEvent, updateEvent } from "../support/webhookPayloads";

const SECRET = "a-secret-dataverse-sends-with-every-call";
const CASES = 3000;

/** Deterministic randomness, so a failing case can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const WEIRD: unknown[] = [null, 0, -1, 1e308, "", "x", "0x80040220", true, [], {}, [[[]]], { __proto__: { polluted: true } }, "\u0000", "😀".repeat(50)];

function mutate(value: unknown, next: () => number, depth = 0): unknown {
  if (depth > 6) return value;
  if (Array.isArray(value)) {
    const copy = (value as unknown[]).map((item) => (next() < 0.3 ? mutate(item, next, depth + 1) : item));
    if (next() < 0.1) copy.splice(Math.floor(next() * copy.length), 1);
    return copy;
  }
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const roll = next();
      if (roll < 0.08) continue; // missing key
      copy[key] = roll < 0.2 ? WEIRD[Math.floor(next() * WEIRD.length)] : roll < 0.45 ? mutate(item, next, depth + 1) : item;
    }
    return copy;
  }
  return next() < 0.5 ? WEIRD[Math.floor(next() * WEIRD.length)] : value;
}

function cases(): { body: string; headers: Record<string, string> }[] {
  const next = random(20261128);
  const seeds = [
    updateEvent(USERS.noEmail),
    associateEvent("Associate", { logicalName: "systemuser", id: USERS.compliant }, [{ logicalName: "role", id: USERS.admin }]),
    associateEvent("Disassociate", { logicalName: "role", id: USERS.admin }, [{ logicalName: "systemuser", id: USERS.disabled }]),
    strippedEvent("Update", "systemuser", USERS.compliant),
  ];
  const auth = { "x-svcacct-key": SECRET };
  return Array.from({ length: CASES }, (_, index) => {
    const seed = seeds[index % seeds.length];
    const kind = index % 10;
    if (kind === 0) {
      const text = JSON.stringify(seed);
      return { body: text.slice(0, Math.floor(next() * text.length)), headers: auth }; // truncated JSON
    }
    if (kind === 1) return { body: String.fromCharCode(...Array.from({ length: 64 }, () => Math.floor(next() * 256))), headers: auth }; // noise
    if (kind === 2 && index % 100 === 2) return { body: JSON.stringify({ ...seed, padding: "x".repeat(2 * 1024 * 1024) }), headers: auth }; // huge
    if (kind === 3 && index % 50 === 3) return { body: `${"[".repeat(100000)}${"]".repeat(100000)}`, headers: auth }; // deep nesting
    if (kind === 4) return { body: JSON.stringify(mutate(seed, next)), headers: next() < 0.5 ? auth : {} };
    return { body: JSON.stringify(mutate(seed, next)), headers: { ...auth, ...(next() < 0.1 ? { "x-ms-dynamics-msg-size-exceeded": "" } : {}) } };
  });
}

describe("the webhook service under malformed input", () => {
  let dataverse: RunningEmulator;
  let service: WebhookService;
  let url: string;

  beforeAll(async () => {
    dataverse = await startEmulator();
    const config = { ...webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverse.url }), coalesceWindowMs: 2 };
    const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
    service = createWebhookService(config, { client, roleHolders: (id) => readRoleHolders(client, id), texts: englishTexts() });
    url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await service?.close();
    await dataverse?.close();
  });

  it(`answers ${CASES} generated bad calls with 2xx, 4xx or 503 only, and keeps serving`, async () => {
    const statuses = new Map<number, number>();
    const all = cases();
    for (let start = 0; start < all.length; start += 25) {
      const batch = all.slice(start, start + 25);
      const results = await Promise.all(
        batch.map(async ({ body, headers }) => {
          const response = await fetch(`${url}/dataverse/events`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
          await response.arrayBuffer();
          return response.status;
        }),
      );
      for (const status of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const unexpected = [...statuses.keys()].filter((status) => !(status < 500 || status === 503));
    expect(unexpected).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(CASES);
    expect(statuses.get(400)).toBeGreaterThan(CASES / 3);
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect(statuses.get(413)).toBeGreaterThan(0);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
