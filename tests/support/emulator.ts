import Fastify from "fastify";
import { EMULATOR_SERVER_OPTIONS, registerEmulator, CALLER_HEADER, type Emulator } from "../../src/emulator/server";
import { sampleOrg, USERS } from "../../src/emulator/sampleOrg";
import type { OrgData } from "../../src/emulator/store";

export const BASE = "/api/data/v9.2/";
export const ODATA_HEADERS = {
  accept: "application/json",
  "odata-maxversion": "4.0",
  "odata-version": "4.0",
  prefer: 'odata.include-annotations="*"',
};

export interface RunningEmulator {
  url: string;
  emulator: Emulator;
  close: () => Promise<void>;
}

/** The emulator on the sample org (or other data), listening on a free loopback port. */
export async function startEmulator(seed: () => OrgData = sampleOrg, importStepMs = 5): Promise<RunningEmulator> {
  const app = Fastify(EMULATOR_SERVER_OPTIONS);
  const emulator = registerEmulator(app, { seed, defaultCallerId: USERS.admin, importStepMs });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { url, emulator, close: () => app.close() };
}

export function asCaller(userId: string): Record<string, string> {
  return { [CALLER_HEADER]: userId };
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A Web API GET against a running emulator, with the OData headers the product sends and the JSON it answers. */
export async function getJson(running: RunningEmulator, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(running.url + BASE + path, { headers: { ...ODATA_HEADERS, ...headers } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

/** A Web API write (or read without a body) against a running emulator, with the OData headers, and the JSON it answers (null for none). */
export async function sendJson(
  running: RunningEmulator,
  method: "PATCH" | "POST" | "DELETE",
  path: string,
  payload?: object,
  headers: Record<string, string> = {},
) {
  const response = await fetch(running.url + BASE + path, {
    method,
    body: payload ? JSON.stringify(payload) : undefined,
    headers: { ...ODATA_HEADERS, ...(payload ? { "content-type": "application/json" } : {}), ...headers },
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : null };
}

/**
 * The emulator on the sample org for one test file's suite: started once, reset before each test,
 * closed after; `get` and `send` speak to it as the product does.
 */
export function emulatorSuite(seed?: () => OrgData) {
  let running: RunningEmulator | undefined;
  beforeAll(async () => (running = await startEmulator(seed)));
  beforeEach(() => running?.emulator.reset());
  afterAll(() => running?.close());
  const started = (): RunningEmulator => {
    if (!running) throw new Error("The emulator has not started.");
    return running;
  };
  return {
    get running(): RunningEmulator {
      return started();
    },
    get: (path: string, headers: Record<string, string> = {}) => getJson(started(), path, headers),
    send: (method: "PATCH" | "POST" | "DELETE", path: string, payload?: object, headers: Record<string, string> = {}) =>
      sendJson(started(), method, path, payload, headers),
  };
}
