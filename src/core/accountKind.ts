import type { AccountKind } from "./report";
import { AccessMode, type UserRecord } from "./snapshot";

/** Built-in placeholder users that exist in every online environment (Power Platform admin, "Create users"). */
const SUPPORT_USER_UPN = "crmoln@microsoft.com";
const DELEGATED_ADMIN_UPN = "crmoln2@microsoft.com";

export function classifyAccount(user: Pick<UserRecord, "applicationId" | "accessMode" | "domainName">): AccountKind {
  if (user.applicationId) return "application";
  const upn = user.domainName.trim().toLowerCase();
  if (user.accessMode === AccessMode.SupportUser || upn === SUPPORT_USER_UPN) return "support";
  if (user.accessMode === AccessMode.DelegatedAdmin || upn === DELEGATED_ADMIN_UPN) return "delegated-admin";
  return "user";
}
