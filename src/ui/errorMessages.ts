import { DataverseError, toDataverseError, type DataverseErrorKind } from "../dataverse/errors";
import { FixBlockedError, ServiceRoleNotFoundError } from "../dataverse/fixService";
import type { StringKey, StringParams } from "./strings";

export interface PanelMessage {
  key: StringKey;
  params?: StringParams;
  /** Dataverse's own words, shown under ours when they add something (limit, privilege name). */
  serverMessage?: string;
}

const KEY_BY_KIND: Record<DataverseErrorKind, StringKey> = {
  unauthorized: "error_unauthorized",
  forbidden: "error_forbidden",
  "access-mode-admin": "error_accessModeAdmin",
  "not-found": "error_notFound",
  conflict: "error_conflict",
  duplicate: "error_duplicate",
  "limit-reached": "error_limitReached",
  throttled: "error_throttled",
  server: "error_server",
  network: "error_network",
  unknown: "error_unknown",
};

/** Turns any failure of a load or a fix into words for the admin, through the one error mapper. */
export function describeError(error: unknown): PanelMessage {
  if (error instanceof FixBlockedError) return { key: "error_blocked" };
  if (error instanceof ServiceRoleNotFoundError)
    return { key: "error_serviceRoleNotFound", params: { role: error.roleName, businessUnit: error.businessUnit } };
  const mapped: DataverseError = toDataverseError(error);
  return { key: KEY_BY_KIND[mapped.kind], serverMessage: mapped.message || undefined };
}
