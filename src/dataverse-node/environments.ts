import { defaultSleep } from "../dataverse/retry";
import { sameOrigin } from "./endpoints";
import type { TokenProvider } from "./signIn";

/**
 * The tenant's environments from the Power Platform admin API (BAP) "list environments as admin":
 * `GET /providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=2020-10-01`,
 * the request the Power Apps admin PowerShell module (Get-AdminPowerAppEnvironment) and the PnP CLI
 * (`m365 pp environment list --asAdmin`) send; its token's scope is `https://service.powerapps.com//.default`
 * (Learn, "Authentication (legacy)" of the Power Platform API). Each environment's Dataverse org is
 * `properties.linkedEnvironmentMetadata.instanceUrl`, absent (or null) without Dataverse; pages
 * follow the top-level `nextLink`. Shapes and sources: docs/tenant-emulator.md.
 */
export const ENVIRONMENTS_PATH = "/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=2020-10-01";
export const ADMIN_SCOPE = "https://service.powerapps.com//.default";
/** The admin API of the public cloud; others are passed with --admin-url or POWER_PLATFORM_ADMIN_URL. */
export const PUBLIC_ADMIN_URL = "https://api.bap.microsoft.com";

export interface AdminEnvironment {
  /** The environment's id (`name`). */
  id: string;
  /** `properties.displayName`. */
  name: string;
  /** `properties.environmentSku`: Production, Sandbox, Trial, Developer, Default, Teams… */
  type: string;
  /** The Dataverse org, without its final slash; null without Dataverse. */
  url: string | null;
}

export interface ListOptions {
  maxAttempts?: number;
  onThrottled?: (seconds: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

interface Listed {
  name?: unknown;
  properties?: { displayName?: unknown; environmentSku?: unknown; linkedEnvironmentMetadata?: { instanceUrl?: unknown } | null };
}

function environmentOf(row: Listed): AdminEnvironment {
  const properties = row.properties ?? {};
  const instanceUrl = properties.linkedEnvironmentMetadata?.instanceUrl;
  const id = typeof row.name === "string" ? row.name : "";
  return {
    id,
    name: typeof properties.displayName === "string" ? properties.displayName : id,
    type: typeof properties.environmentSku === "string" ? properties.environmentSku : "Unknown",
    url: typeof instanceUrl === "string" && instanceUrl ? instanceUrl.replace(/\/+$/, "") : null,
  };
}

/** What the admin API said, in words an admin can act on. */
function refusal(status: number, body: string): Error {
  const said = (() => {
    try {
      const error = (JSON.parse(body) as { error?: { code?: string; message?: string } }).error;
      return [error?.code, error?.message].filter(Boolean).join(": ");
    } catch {
      return body.slice(0, 200);
    }
  })();
  if (status === 401) return new Error(`The Power Platform admin API refused the sign-in (401): ${said}`);
  if (status === 403)
    return new Error(
      `The Power Platform admin API refused to list the environments (403): sign in as a Power Platform or Dynamics 365 administrator, or register the app registration as a management application (New-PowerAppManagementApp). ${said}`,
    );
  return new Error(`The Power Platform admin API answered ${status}: ${said}`);
}

export async function listEnvironments(adminUrl: string, token: TokenProvider, options: ListOptions = {}): Promise<AdminEnvironment[]> {
  const root = adminUrl.replace(/\/+$/, "");
  const environments: AdminEnvironment[] = [];
  let next: string | undefined = `${root}${ENVIRONMENTS_PATH}`;
  while (next) {
    const url = sameOrigin(next, root, "The Power Platform admin API");
    const answered = await readPage(url, token, options);
    environments.push(...(answered.value ?? []).map(environmentOf));
    next = typeof answered.nextLink === "string" && answered.nextLink ? answered.nextLink : undefined;
  }
  return environments;
}

/** One page, waiting out throttling (429 with Retry-After) up to `maxAttempts`. */
async function readPage(url: string, token: TokenProvider, options: ListOptions): Promise<{ value?: Listed[]; nextLink?: unknown }> {
  for (let attempt = 1; ; attempt++) {
    const bearer = await token();
    let response: Response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json", ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) } });
    } catch (error) {
      throw new Error(`The Power Platform admin API cannot be reached (${error instanceof Error ? error.message : String(error)}).`);
    }
    const body = await response.text();
    if (response.status === 429 && attempt < (options.maxAttempts ?? 5)) {
      const seconds = Number(response.headers.get("retry-after")) || 2 ** attempt;
      options.onThrottled?.(seconds);
      await (options.sleep ?? defaultSleep)(seconds * 1000);
      continue;
    }
    if (!response.ok) throw refusal(response.status, body);
    return JSON.parse(body) as { value?: Listed[]; nextLink?: unknown };
  }
}
