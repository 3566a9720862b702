/**
 * The one Web API error mapper. Raw failures from any adapter (an Xrm.WebApi rejection
 * `{errorCode, message}` with no HTTP status, a Web API JSON body `{error: {code, message}}` with its
 * HTTP status from the fetch adapter, a fetch TypeError) become a DataverseError whose kind the UI, the
 * webhook and the CLI turn into words. Codes: "Web API error codes" and "Service protection API
 * limits" (learn.microsoft.com). Dataverse localizes messages into the caller's language, so nothing
 * here reads message text. The non-interactive limit has a documented code (InvalidNonInteractiveUserQuota);
 * a refusal without it is also recognised by re-reading the capacity (FixService), as admins have
 * reported the limit's message under other codes.
 */
export type DataverseErrorKind =
  | "unauthorized"
  | "forbidden"
  | "access-mode-admin"
  | "not-found"
  | "conflict"
  | "duplicate"
  | "limit-reached"
  | "throttled"
  | "server"
  | "network"
  | "unknown";

export class DataverseError extends Error {
  readonly kind: DataverseErrorKind;
  readonly status?: number;
  /** Dataverse error code as hex, e.g. 0x80040220. */
  readonly code?: string;
  /** Seconds to wait before retrying, from Retry-After (throttled only). */
  readonly retryAfterSeconds?: number;

  constructor(kind: DataverseErrorKind, message: string, details: { status?: number; code?: string; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "DataverseError";
    this.kind = kind;
    this.status = details.status;
    this.code = details.code;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

const KIND_BY_CODE: Record<string, DataverseErrorKind> = {
  "0x80040220": "forbidden", // PrivilegeDenied
  "0x80048d2f": "access-mode-admin", // AccessModeChangeNeedSystemAdmin
  "0x80040217": "not-found", // ObjectDoesNotExist
  "0x80060882": "conflict", // ConcurrencyVersionMismatch
  "0x80040237": "duplicate", // DuplicateRecord: e.g. associating a role the user already holds
  "0x8004b050": "limit-reached", // InvalidNonInteractiveUserQuota
  "0x80072322": "throttled", // service protection: number of requests
  "0x80072321": "throttled", // service protection: execution time
  "0x80072326": "throttled", // service protection: concurrent requests
};

const KIND_BY_STATUS: Record<number, DataverseErrorKind> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  412: "conflict",
  429: "throttled",
};

/** Transport failures of fetch (not Dataverse's words): Chromium's, Node's and socket errors. */
const NETWORK_MESSAGE = /failed to fetch|network|fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up/i;

export function toDataverseError(raw: unknown): DataverseError {
  if (raw instanceof DataverseError) return raw;
  const source = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const body = (source.error ?? {}) as Record<string, unknown>;
  const message = firstString(body.message, source.message) ?? String(raw);
  // Only the fetch adapter has an HTTP status; Xrm.WebApi's error carries none.
  const status = firstNumber(source.status);
  const code = hexCode(body.code ?? source.code ?? source.errorCode);
  const retryAfterSeconds = firstNumber(source.retryAfterSeconds, source.retryAfter);
  const details = { status, code, retryAfterSeconds };

  const byCode = code ? KIND_BY_CODE[code] : undefined;
  if (byCode) return new DataverseError(byCode, message, details);
  if (status !== undefined && KIND_BY_STATUS[status]) return new DataverseError(KIND_BY_STATUS[status], message, details);
  if (status !== undefined && status >= 500) return new DataverseError("server", message, details);
  if (status === 0 || raw instanceof TypeError || (status === undefined && !code && NETWORK_MESSAGE.test(message)))
    return new DataverseError("network", message, details);
  return new DataverseError("unknown", message, details);
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === "string" && value.length > 0);
}

function firstNumber(...values: unknown[]): number | undefined {
  for (const value of values) {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof n === "number" && Number.isFinite(n)) return n;
  }
  return undefined;
}

/** Xrm.WebApi gives codes as numbers (signed or unsigned), the Web API as "0x…" strings. */
function hexCode(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value !== 0) return `0x${(value >>> 0).toString(16).padStart(8, "0")}`;
  if (typeof value === "string" && /^0x[0-9a-f]+$/i.test(value)) return value.toLowerCase();
  return undefined;
}
