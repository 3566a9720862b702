import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { USERS } from "../../src/emulator/sampleOrg";
import { webhookConfig } from "../../src/webhook/config";
import { englishTexts } from "../../src/webhook/messageTexts";
import { membershipReaders } from "../../src/webhook/roleHolders";
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

/** Own `__proto__` and `constructor` keys, as a parsed payload has them (an object literal's `__proto__` would set the prototype and vanish from the JSON). */
const POLLUTERS: unknown[] = [JSON.parse('{"__proto__":{"polluted":true}}'), JSON.parse('{"constructor":{"prototype":{"polluted":true}}}')];
const WEIRD: unknown[] = [null, 0, -1, 1e308, "", "x", "0x80040220", true, [], {}, [[[]]], ...POLLUTERS, "\u0000", "😀".repeat(50)];

function mutate(value: unknown, next: () => number, depth = 0): unknown {
  if (depth > 6) return value;
  if (Array.isArray(value)) {
    const copy = (value as unknown[]).map((item) => (next() < 0.3 ? mutate(item, next, depth + 1) : item));
    if (next() < 0.1) copy.splice(Math.floor(next() * copy.length), 1);
    return copy;
  }
  if (value !== null && typeof value === "object") {
    // No prototype, so a `__proto__` key is copied as a key, not as the copy's prototype.
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) {
      const roll = next();
      if (roll < 0.08) continue; // missing key
      copy[key] = roll < 0.2 ? WEIRD[Math.floor(next() * WEIRD.length)] : roll < 0.45 ? mutate(item, next, depth + 1) : item;
    }
    return copy;
  }
  return next() < 0.5 ? WEIRD[Math.floor(next() * WEIRD.length)] : value;
}

/** A generated call and the statuses it may get: garbage is never acknowledged with 2xx. */
interface Case {
  body: string;
  headers: Record<string, string>;
  allowed: number[];
}

function cases(): Case[] {
  const next = random(20261128);
  const seeds = [
    updateEvent(USERS.noEmail),
    associateEvent("Associate", { logicalName: "systemuser", id: USERS.compliant }, [{ logicalName: "role", id: USERS.admin }]),
    associateEvent("Disassociate", { logicalName: "role", id: USERS.admin }, [{ logicalName: "systemuser", id: USERS.disabled }]),
    strippedEvent("Update", "systemuser", USERS.compliant),
  ];
  const auth = { "x-svcacct-key": SECRET };
  // Wrong secrets include the real one's prefixes, shorter than it, and calls Dataverse marks as stripped for size.
  const unauthenticated = (): Record<string, string> => {
    const roll = next();
    const headers: Record<string, string> =
      roll < 0.3
        ? {}
        : roll < 0.6
          ? { "x-svcacct-key": SECRET.slice(0, Math.floor(next() * SECRET.length)) }
          : { "x-svcacct-key": `${SECRET}x` };
    return next() < 0.5 ? { ...headers, "x-ms-dynamics-msg-size-exceeded": "" } : headers;
  };
  return Array.from({ length: CASES }, (_, index): Case => {
    const seed = seeds[index % seeds.length];
    const kind = index % 10;
    if (kind === 0) {
      const text = JSON.stringify(seed);
      return { body: text.slice(0, Math.floor(next() * text.length)), headers: auth, allowed: [400] }; // truncated JSON
    }
    if (kind === 1)
      return { body: String.fromCharCode(...Array.from({ length: 64 }, () => Math.floor(next() * 256))), headers: auth, allowed: [400] }; // noise
    if (kind === 2 && index % 100 === 2)
      return { body: JSON.stringify({ ...seed, padding: "x".repeat(2 * 1024 * 1024) }), headers: auth, allowed: [413] }; // huge
    if (kind === 3 && index % 50 === 3) return { body: `${"[".repeat(100000)}${"]".repeat(100000)}`, headers: auth, allowed: [400] }; // deep nesting
    if (kind === 4) {
      const body = JSON.stringify(mutate(seed, next));
      return { body, headers: unauthenticated(), allowed: [401] }; // the secret is checked before the body is read
    }
    if (kind === 5)
      return { body: JSON.stringify({ ...seed, InputParameters: POLLUTERS[index % POLLUTERS.length] }), headers: auth, allowed: [400] };
    // A mutated event may still be one Dataverse could send (the parser is tolerant): handled, refused, or "retry later".
    return {
      body: JSON.stringify(mutate(seed, next)),
      headers: { ...auth, ...(next() < 0.1 ? { "x-ms-dynamics-msg-size-exceeded": "" } : {}) },
      allowed: [200, 400, 503],
    };
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
    service = createWebhookService(config, { client, ...membershipReaders(client), texts: englishTexts() });
    url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await service?.close();
    await dataverse?.close();
  });

  it(`answers ${CASES} generated bad calls with the status each deserves (never 2xx for garbage or a wrong secret), and keeps serving`, async () => {
    const statuses = new Map<number, number>();
    const misanswered: string[] = [];
    const all = cases();
    for (let start = 0; start < all.length; start += 25) {
      const batch = all.slice(start, start + 25);
      await Promise.all(
        batch.map(async ({ body, headers, allowed }, offset) => {
          const response = await fetch(`${url}/dataverse/events`, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body,
          });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (!allowed.includes(response.status))
            misanswered.push(`case ${start + offset}: ${response.status}, expected ${allowed.join(" or ")}`);
        }),
      );
    }
    expect(misanswered).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(CASES);
    expect(statuses.get(401)).toBe(CASES / 10); // the unauthenticated tenth, poisoned bodies included: they are never read
    expect(statuses.get(413)).toBe(CASES / 100);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
  }, 180_000); // 3000 HTTP round trips: about 30 s alone, longer beside the other suites
});
