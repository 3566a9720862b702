import ms from "ms";
import { graphUrlFrom, type Cloud } from "../dataverse-node/clouds";
import { secureUrl } from "../dataverse-node/endpoints";
import { secretSetting, SettingError, signInSettingsFrom } from "../dataverse-node/settings";
import type { SignInSettings } from "../dataverse-node/settings";
import { webhookSecretProblem } from "./auth";
import { POLICY_SETTINGS, policyFromSettings, type CompliancePolicy } from "../core/policy";

/** The header that carries the webhook's secret unless WEBHOOK_HEADER (or --header) names another. */
export const DEFAULT_WEBHOOK_HEADER = "x-svcacct-key";

/** How Dataverse proves a call is its own (serviceendpoint.authtype): a named header, or `?code=`. */
export type WebhookAuth = ({ kind: "header"; header: string } | { kind: "code" }) & {
  secret: string;
  /** The secret being rotated in (WEBHOOK_SECRET_NEXT), accepted beside `secret` until the rotation ends. */
  nextSecret?: string;
};

export interface WebhookConfig {
  port: number;
  host: string;
  dataverseUrl: string;
  /** How the service signs in to Dataverse and Graph (AUTH_METHOD and its settings). */
  signIn: SignInSettings;
  auth: WebhookAuth;
  policy: CompliancePolicy;
  /** Users evaluated at once towards Dataverse. */
  concurrency: number;
  /** Longest a call waits for its evaluations before answering 503 (Dataverse gives up at 60 s). */
  timeoutMs: number;
  /** Users waiting beyond which the service answers 503 rather than queueing more. */
  maxPendingUsers: number;
  /** How long a user's events wait to share one evaluation (well inside Dataverse's 60 s). */
  coalesceWindowMs: number;
  /** Run the heal (`svcacct stamp`) this often; null: never. */
  reconcileEveryMs: number | null;
  /** Microsoft Graph, for the Entra checks; null: off (they stay "check by hand"). */
  graphUrl: string | null;
  /** What the endpoint allows a caller before it refuses: times, connections, and the ids one event may name. */
  limits: EndpointLimits;
}

export interface EndpointLimits {
  /** Longest a request may take to arrive, headers and body (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** How long an idle kept-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Connections open at once beyond which new ones are refused (MAX_CONNECTIONS). */
  maxConnections: number;
  /** Users, roles and teams one event may name; beyond, every service account is evaluated instead. */
  maxIdsPerEvent: number;
}

/**
 * Ids one event may name. Dataverse's events name a user and a role, or a team and its new members; an
 * event naming thousands is not one to answer with thousands of reads at once: the heal's paged reads
 * cover it instead.
 */
export const MAX_IDS_PER_EVENT = 1_000;

/** A whole number setting within bounds, or the default when unset. */
function boundedInteger(value: (name: string) => string | undefined, name: string, fallback: number, min: number, max: number): number {
  const text = value(name);
  if (text === undefined) return fallback;
  const number = Number(text);
  if (!Number.isInteger(number) || number < min || number > max)
    throw new ConfigError(`${name} "${text}" is not a whole number from ${min} to ${max}.`);
  return number;
}

export class ConfigError extends SettingError {}

/**
 * Configuration from the environment (flags override): PORT, DATAVERSE_URL, TENANT_ID, CLIENT_ID,
 * CLIENT_SECRET, WEBHOOK_AUTH (header|code), WEBHOOK_HEADER, WEBHOOK_SECRET, and the policy's
 * SERVICE_ROLE_NAME, FORBIDDEN_ROLE_NAMES, FORBIDDEN_PRIVILEGES, WARNING_PRIVILEGES, NON_INTERACTIVE_LIMIT,
 * ALLOWED_DIRECTORY_ROLES, and COALESCE_WINDOW_MS,
 * RECONCILE_EVERY, and GRAPH_URL or GRAPH_ENABLED for the Entra checks.
 */
export function webhookConfig(env: NodeJS.ProcessEnv, overrides: Partial<Record<string, string>> = {}): WebhookConfig {
  const value = (name: string) => overrides[name] ?? env[name] ?? undefined;
  const secret = secretSetting(value, "WEBHOOK_SECRET");
  if (!secret)
    throw new ConfigError(
      "WEBHOOK_SECRET is not set: the service refuses to start without the secret Dataverse sends (WEBHOOK_SECRET, or WEBHOOK_SECRET_FILE naming a file).",
    );
  const secretProblem = webhookSecretProblem(secret);
  if (secretProblem) throw new ConfigError(secretProblem);
  const nextSecret = secretSetting(value, "WEBHOOK_SECRET_NEXT");
  const nextProblem = nextSecret === undefined ? null : webhookSecretProblem(nextSecret, "WEBHOOK_SECRET_NEXT");
  if (nextProblem) throw new ConfigError(nextProblem);
  const dataverseUrl = value("DATAVERSE_URL");
  if (!dataverseUrl)
    throw new ConfigError(
      "DATAVERSE_URL is not set: the service needs the org it stamps badges in (e.g. https://contoso.crm.dynamics.com).",
    );
  try {
    secureUrl(dataverseUrl, "DATAVERSE_URL");
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const mode = value("WEBHOOK_AUTH") ?? "header";
  if (mode !== "header" && mode !== "code") throw new ConfigError(`WEBHOOK_AUTH is "${mode}": use header or code.`);
  const port = Number(value("PORT") ?? 7071);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT "${value("PORT")}" is not a port number.`);
  const windowMs = Number(value("COALESCE_WINDOW_MS") ?? 1000);
  // Dataverse waits 60 s for an answer; the window plus the evaluation must fit well inside it.
  if (!Number.isInteger(windowMs) || windowMs < 0 || windowMs > 10_000)
    throw new ConfigError(`COALESCE_WINDOW_MS "${value("COALESCE_WINDOW_MS")}" is not a number of milliseconds from 0 to 10000.`);
  const reconcileEveryMs = reconcileInterval(value("RECONCILE_EVERY"));
  const requestTimeoutMs = boundedInteger(value, "REQUEST_TIMEOUT_MS", 30_000, 1_000, 120_000);
  const signIn = signInSettingsFrom(value, dataverseUrl, { atTerminal: false, env });
  return {
    port,
    host: value("HOST") ?? "0.0.0.0",
    dataverseUrl,
    signIn,
    auth:
      mode === "code"
        ? { kind: "code", secret, ...(nextSecret ? { nextSecret } : {}) }
        : {
            kind: "header",
            header: (value("WEBHOOK_HEADER") ?? DEFAULT_WEBHOOK_HEADER).toLowerCase(),
            secret,
            ...(nextSecret ? { nextSecret } : {}),
          },
    policy: policyFromSettings(Object.fromEntries(POLICY_SETTINGS.map((name) => [name, value(name)]))),
    concurrency: 4,
    timeoutMs: 45_000,
    limits: {
      requestTimeoutMs,
      // The headers are a few hundred bytes: a client that has not sent them in 10 s is not Dataverse.
      headersTimeoutMs: Math.min(10_000, requestTimeoutMs),
      keepAliveTimeoutMs: 5_000,
      maxConnections: boundedInteger(value, "MAX_CONNECTIONS", 2_000, 10, 100_000),
      maxIdsPerEvent: MAX_IDS_PER_EVENT,
    },
    maxPendingUsers: 5_000,
    coalesceWindowMs: windowMs,
    reconcileEveryMs,
    graphUrl: graphUrlOf(value("GRAPH_URL"), value("GRAPH_ENABLED"), signIn.cloud),
  };
}

function graphUrlOf(url: string | undefined, enabled: string | undefined, cloud: Cloud): string | null {
  const graphUrl = graphUrlFrom(undefined, { GRAPH_URL: url, GRAPH_ENABLED: enabled }, cloud);
  if (graphUrl === null) return null;
  try {
    secureUrl(graphUrl, "GRAPH_URL");
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return graphUrl;
}

/**
 * How often the heal runs when RECONCILE_EVERY does not say. Some changes raise no event the webhook
 * can take: a user's move into another business unit's default team ("Plugins/workflows can't be used
 * for this type of user's team membership change", Create or edit business units), a role's privileges
 * changed, a group team's members refreshed when Microsoft Entra membership changes. The heal finds them.
 */
export const DEFAULT_RECONCILE_EVERY = "6h";

/** The heal's interval from a duration such as `6h` or `30m`, DEFAULT_RECONCILE_EVERY when not set, null for "off"; at least a minute. */
export function reconcileInterval(text: string | undefined): number | null {
  if (text === "off") return null;
  if (text === undefined || text === "") return reconcileInterval(DEFAULT_RECONCILE_EVERY);
  const interval = ms(text as ms.StringValue) as number | undefined;
  if (typeof interval !== "number" || !Number.isFinite(interval))
    throw new ConfigError(`RECONCILE_EVERY "${text}" is not a duration: use e.g. 30m, 6h or 1d.`);
  if (interval < 60_000)
    throw new ConfigError(`RECONCILE_EVERY "${text}" is shorter than a minute: the heal reads every service account each time.`);
  return interval;
}
