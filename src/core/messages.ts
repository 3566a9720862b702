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

export type MessageParams = Record<string, string | number | MessagePart[]>;

/**
 * Fills `{name}` placeholders; unknown names stay as written so a missing parameter is visible. A list
 * of parts is worded with `lookup` (the same texts as the message), so a role "through the team X"
 * reads in the admin's language wherever the message is shown.
 */
export function formatMessage(template: string, params?: MessageParams, lookup: (key: string) => string = (key) => key): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return Array.isArray(value) ? value.map((part) => formatMessage(lookup(part.key), part.params, lookup)).join(", ") : String(value);
  });
}
