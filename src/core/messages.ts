/**
 * Keys of every message the core can put in a report or a gate. The texts live in the control's
 * resx files (ServiceAccountPanel/strings), so the form, the webhook summary and the audit share them;
 * a test checks that every key here has a text in every language.
 */
export const CORE_MESSAGE_KEYS = [
  "check_accountType_user",
  "check_accountType_application",
  "check_accountType_support",
  "check_accountType_delegatedAdmin",
  "check_online_pass",
  "check_online_onPremises",
  "check_ownAccount_pass",
  "check_ownAccount_fail",
  "check_enabled_pass",
  "check_enabled_fail",
  "check_email_pass",
  "check_email_missing",
  "check_email_invalid",
  "check_email_rejected",
  "check_email_pending",
  "check_accessMode_pass",
  "check_accessMode_fail",
  "check_serviceRole_pass",
  "check_serviceRole_missing",
  "check_serviceRole_wrongBusinessUnit",
  "check_forbiddenRoles_pass",
  "check_forbiddenRoles_fail",
  "check_forbiddenPrivileges_pass",
  "check_forbiddenPrivileges_fail",
  "check_sensitivePrivileges_pass",
  "check_sensitivePrivileges_warning",
  "check_privileges_unread",
  "grant_direct",
  "grant_team",
  "grant_entraTeam",
  "grant_defaultTeam",
  "grant_unattributed",
  "grant_privilege",
  "check_licence_pass",
  "check_licence_stillAssigned",
  "check_licence_afterSwitch",
  "check_licence_onPremises",
  "check_capacity_holdsSlot",
  "check_capacity_holdsSlotUnknown",
  "check_capacity_room",
  "check_capacity_full",
  "check_capacity_unknown",
  "check_passwordExpiry_manual",
  "check_m365AdminRole_manual",
  "check_passwordExpiry_neverByUser",
  "check_passwordExpiry_neverByDomain",
  "check_passwordExpiry_expires",
  "check_m365AdminRole_none",
  "check_m365AdminRole_allowed",
  "check_m365AdminRole_fail",
  "check_licence_m365None",
  "check_licence_m365Assigned",
  "check_entra_unavailable",
  "check_credentialAge_manual",
  "check_credentialAge_pass",
  "check_credentialAge_old",
  "check_interactiveSignIn_manual",
  "check_interactiveSignIn_none",
  "check_interactiveSignIn_old",
  "check_interactiveSignIn_fail",
  "check_interactiveSignIn_interactiveMode",
  "check_recentUse_manual",
  "check_recentUse_pass",
  "check_recentUse_new",
  "check_recentUse_unused",
  "check_recentUse_never",
  "check_mfaPolicy_manual",
  "check_mfaPolicy_pass",
  "check_mfaPolicy_securityDefaults",
  "check_mfaPolicy_excluded",
  "check_mfaPolicy_reportOnly",
  "check_mfaPolicy_none",
  "policy_enforced",
  "policy_reportOnly",
  "policy_more",
  "check_appCredentials_manual",
  "check_appCredentials_pass",
  "check_appCredentials_federatedOnly",
  "check_appCredentials_managedIdentity",
  "check_appCredentials_otherTenant",
  "check_appCredentials_expired",
  "check_appCredentials_expiring",
  "check_appCredentials_longLived",
  "check_appCredentials_none",
  "credential_secret",
  "credential_secretUnnamed",
  "credential_certificate",
  "credential_certificateUnnamed",
  "check_appOwner_manual",
  "check_appOwner_pass",
  "check_appOwner_none",
  "check_appOwner_notApplicable",
  "gate_notEditable",
  "gate_onPremises",
  "gate_applicationUser",
  "gate_builtInUser",
  "gate_ownAccount",
  "gate_missingPrivilege",
  "gate_limitReached",
  "gate_needsSystemAdministrator",
  "gate_needsReadWriteMode",
  "gate_roleChangesUnavailable",
] as const;

export type MessageKey = (typeof CORE_MESSAGE_KEYS)[number];

/** A message inside a message: a list of these fills one placeholder, each part in words, joined by commas. */
export interface MessagePart {
  key: MessageKey;
  params?: MessageParams;
}

/** A moment (ISO 8601) each reader writes its own way: the form in the admin's format, reports as a plain date. */
export interface MessageDate {
  date: string;
}

export type MessageParams = Record<string, string | number | MessagePart[] | MessageDate>;

/** How reports without a locale write a date: its UTC day, YYYY-MM-DD, the same on every machine. */
export const isoDay = (iso: string): string => iso.slice(0, 10);

/**
 * Fills `{name}` placeholders; unknown names stay as written so a missing parameter is visible. A list
 * of parts is worded with `lookup` (the same texts as the message), so a role "through the team X"
 * reads in the admin's language wherever the message is shown; a date is written by `formatDate`.
 */
export function formatMessage(
  template: string,
  params?: MessageParams,
  lookup: (key: string) => string = (key) => key,
  formatDate: (iso: string) => string = isoDay,
): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    if (Array.isArray(value)) return value.map((part) => formatMessage(lookup(part.key), part.params, lookup, formatDate)).join(", ");
    // A stamped verdict is read back from a column: anything but a date's text is written as it is.
    if (typeof value === "object" && value !== null) return typeof value.date === "string" ? formatDate(value.date) : String(value.date);
    return String(value);
  });
}
