import { CORE_MESSAGE_KEYS, formatMessage, type MessageKey, type MessageParams } from "../core/messages";

/**
 * The texts the grid customizer shows: its own resx files carry exactly these, with the panel's
 * wording (tests/ServiceAccountPanel/resx.test.ts holds them equal), so the two controls read the same.
 */
export const GRID_STRING_KEYS = [
  "accessMode_0",
  "accessMode_1",
  "accessMode_2",
  "accessMode_3",
  "accessMode_4",
  "accessMode_5",
  "accessMode_unknown",
  "licence_licensed",
  "licence_unlicensed",
  "overall_compliant",
  "overall_needsAttention",
  "overall_nonCompliant",
  "overall_notServiceAccount",
  "grid_checkedOn",
  "grid_notChecked",
] as const;

/** Keys of the panel's own texts; the core's message keys are listed in src/core/messages.ts. */
export const UI_STRING_KEYS = [
  "panel_heading",
  "status_loading",
  "status_refreshing",
  "status_saveFirst",
  "status_fieldNotReadable",
  "status_throttled",
  "badge_accessMode",
  "badge_licence",
  "badge_licenceTypeCode",
  "badge_compliance",
  ...GRID_STRING_KEYS,
  "licence_onPremises",
  "checkStatus_pass",
  "checkStatus_fail",
  "checkStatus_warning",
  "checkStatus_manual",
  "checkStatus_notApplicable",
  "checkStatus_toDo",
  "checklist_heading",
  "checklist_previewHeading",
  "checklist_passedOne",
  "checklist_passedMany",
  "checkTitle_accountType",
  "checkTitle_onlineEnvironment",
  "checkTitle_notOwnAccount",
  "checkTitle_accountEnabled",
  "checkTitle_primaryEmail",
  "checkTitle_accessMode",
  "checkTitle_serviceRole",
  "checkTitle_forbiddenRoles",
  "checkTitle_forbiddenPrivileges",
  "checkTitle_sensitivePrivileges",
  "checkTitle_licenceReleased",
  "checkTitle_nonInteractiveCapacity",
  "checkTitle_passwordExpiry",
  "checkTitle_m365AdminRole",
  "checkTitle_credentialAge",
  "checkTitle_interactiveSignIn",
  "checkTitle_recentUse",
  "checkTitle_mfaPolicy",
  "checkTitle_appCredentials",
  "checkTitle_appOwner",
  "entra_verdictOn",
  "entra_noVerdict",
  "usage_heading",
  "usage_loading",
  "usage_nothing",
  "usage_cloudFlows",
  "usage_classicWorkflows",
  "usage_actions",
  "usage_steps",
  "usage_connectionReferences",
  "usage_hidden",
  "usage_failed",
  "usage_kind_processes",
  "usage_kind_steps",
  "usage_kind_connectionReferences",
  "usage_kind_cloudFlow",
  "usage_kind_classicWorkflow",
  "usage_kind_action",
  "usage_kind_connectionReference",
  "usage_show",
  "usage_hide",
  "usage_state_on",
  "usage_state_off",
  "usage_noLink_flow",
  "usage_noLink_step",
  "usage_noLink_record",
  "confirm_usage_active",
  "confirm_usage_hidden",
  "confirm_usage_nothing",
  "confirm_usage_loading",
  "action_switchToNonInteractive",
  "action_switchToInteractive",
  "action_assignServiceRole",
  "action_removeRole",
  "action_removeFromTeam",
  "action_openEntraGroup",
  "action_refresh",
  "action_makeServiceAccount",
  "action_hideGuide",
  "action_cancel",
  "action_openM365",
  "action_checkAgain",
  "confirm_switchToNonInteractive_title",
  "confirm_switchToNonInteractive_body",
  "confirm_switchToNonInteractive_slots",
  "confirm_switchToInteractive_title",
  "confirm_switchToInteractive_body",
  "confirm_assignServiceRole_title",
  "confirm_assignServiceRole_body",
  "confirm_removeRole_title",
  "confirm_removeRole_body",
  "confirm_removeFromTeam_title",
  "confirm_removeFromTeam_body",
  "guidance_entraGroup",
  "guidance_defaultTeam",
  "guidance_unattributed",
  "guidance_privilege",
  "confirm_ok",
  "result_applied",
  "result_unchanged",
  "result_reread",
  "guide_heading",
  "guide_intro",
  "guide_step_switchMode",
  "guide_step_assignRole",
  "guide_step_releaseLicence",
  "guide_step_confirmMode",
  "step_done",
  "step_current",
  "step_pending",
  "error_unauthorized",
  "error_forbidden",
  "error_accessModeAdmin",
  "error_notFound",
  "error_conflict",
  "error_duplicate",
  "error_limitReached",
  "error_throttled",
  "error_server",
  "error_network",
  "error_unknown",
  "error_blocked",
  "error_serviceRoleNotFound",
  "error_loadFailed",
  "error_serverSaid",
] as const;

export type UiStringKey = (typeof UI_STRING_KEYS)[number];
export type StringKey = UiStringKey | MessageKey;

/** Every key a resx file must define. */
export const ALL_STRING_KEYS: readonly StringKey[] = [...UI_STRING_KEYS, ...CORE_MESSAGE_KEYS];

/** How the host looks a text up: `context.resources.getString` in the form, a resx reader elsewhere. */
export type StringLookup = (key: string) => string;

export type StringParams = MessageParams;

/** A date in the reader's own locale when the host gives no formatter of its own. */
function localDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** Typed access to the localized texts, with `{name}` placeholders filled in and dates written for the reader. */
export class Strings {
  constructor(
    private readonly lookup: StringLookup,
    /** The form's: `context.formatting.formatDateShort`, in the admin's own settings. */
    private readonly formatDate: (iso: string) => string = localDate,
  ) {}

  get(key: StringKey, params?: StringParams): string {
    return formatMessage(this.lookup(key), params, this.lookup, this.formatDate);
  }
}
