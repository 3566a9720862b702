import Fastify from "fastify";
import { ADMIN_API_VERSION, ADMIN_BASE_PATH, ENVIRONMENTS_PATH } from "../../src/emulator/adminApi";
import { EMULATOR_SERVER_OPTIONS } from "../../src/emulator/server";
import { createTenant, registerTenant, type MountedTenant, type TenantOptions } from "../../src/emulator/tenant";
import { unsignedJwt } from "./fakeEntra";

export interface RunningTenant {
  /** The server's origin. */
  url: string;
  /** Stands for https://api.bap.microsoft.com. */
  adminUrl: string;
  /** The first page of "List environments", as a client asks for it. */
  listUrl: string;
  mounted: MountedTenant;
  /** The instance URL the admin API gives an environment (its org's Web API is under api/data/v9.2/). */
  instanceUrl(name: string): string;
  close(): Promise<void>;
}

/** The sample tenant (or another) on its own server on a free loopback port: admin API and every environment's org. */
export async function startTenantEmulator(options: TenantOptions = {}): Promise<RunningTenant> {
  const app = Fastify(EMULATOR_SERVER_OPTIONS);
  const mounted = registerTenant(app, createTenant(options));
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  const adminUrl = `${url}${ADMIN_BASE_PATH}`;
  return {
    url,
    adminUrl,
    listUrl: `${adminUrl}${ENVIRONMENTS_PATH}?api-version=${ADMIN_API_VERSION}`,
    mounted,
    instanceUrl: (name) => `${url}/env/${name}/`,
    close: () => app.close(),
  };
}

/** A bearer header of an unsigned token with these claims, valid for an hour (the emulators read claims only). */
export function bearer(claims: Record<string, unknown>): Record<string, string> {
  return { authorization: `Bearer ${unsignedJwt({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}` };
}
