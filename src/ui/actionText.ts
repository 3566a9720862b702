import type { PanelAction } from "../core/actions";
import { sameId } from "../core/ids";
import type { UserSnapshot } from "../core/snapshot";
import { activeCount, usageCounts, type AccountUsage } from "../core/usage";
import type { FixRequest } from "../dataverse/fixService";
import type { StringKey, Strings } from "./strings";

const LABEL: Record<PanelAction, StringKey> = {
  "switch-to-non-interactive": "action_switchToNonInteractive",
  "switch-to-interactive": "action_switchToInteractive",
  "assign-service-role": "action_assignServiceRole",
  "remove-role": "action_removeRole",
  "remove-from-team": "action_removeFromTeam",
};

const CONFIRM: Record<PanelAction, { title: StringKey; body: StringKey }> = {
  "switch-to-non-interactive": { title: "confirm_switchToNonInteractive_title", body: "confirm_switchToNonInteractive_body" },
  "switch-to-interactive": { title: "confirm_switchToInteractive_title", body: "confirm_switchToInteractive_body" },
  "assign-service-role": { title: "confirm_assignServiceRole_title", body: "confirm_assignServiceRole_body" },
  "remove-role": { title: "confirm_removeRole_title", body: "confirm_removeRole_body" },
  "remove-from-team": { title: "confirm_removeFromTeam_title", body: "confirm_removeFromTeam_body" },
};

export interface ActionText {
  label: string;
  title: string;
  /** Consequences, one paragraph each. */
  consequences: string[];
}

/** Actions after which what runs as the account may fail: it signs in differently, or holds less. */
const BREAKS_WHAT_RUNS: readonly PanelAction[] = ["switch-to-interactive", "remove-role", "remove-from-team"];

/** What runs as the account, for a confirmation: how many processes run now, or that some cannot be seen. */
function usageConsequence(usage: AccountUsage | null | undefined, strings: Strings): string {
  if (!usage) return strings.get("confirm_usage_loading");
  const active = activeCount(usageCounts(usage));
  const hidden = [usage.processes, usage.steps, usage.connectionReferences].some((list) => !("rows" in list));
  if (active === null || hidden) return strings.get("confirm_usage_hidden");
  return active > 0 ? strings.get("confirm_usage_active", { count: active }) : strings.get("confirm_usage_nothing");
}

/**
 * The words for an action's button and its confirmation, filled in for this user; `usage` (null while
 * it is read) names what runs as the account where the action could break it.
 */
export function actionText(
  request: FixRequest,
  snapshot: UserSnapshot,
  serviceRoleName: string,
  strings: Strings,
  usage?: AccountUsage | null,
): ActionText {
  const { user, capacity } = snapshot;
  const roleName = request.roleId
    ? (snapshot.roles.find((role) => role.roleId === request.roleId)?.name ?? request.roleId)
    : serviceRoleName;
  // Leaving a team takes away every role it grants, not only the forbidden one: the confirmation names them all.
  const teamRoles = snapshot.roles
    .filter((role) => role.source.kind === "team" && sameId(role.source.team.teamId, request.teamId))
    .map((role) => role.name);
  const params = {
    name: user.fullName || user.domainName,
    role: roleName,
    businessUnit: user.businessUnitName ?? user.businessUnitId,
    team: request.teamName ?? request.teamId ?? "",
    teamRoles: [...new Set(teamRoles)].join(", "),
  };
  const consequences = [strings.get(CONFIRM[request.action].body, params)];
  if (request.action === "switch-to-non-interactive" && capacity.used != null && capacity.max != null) {
    consequences.push(strings.get("confirm_switchToNonInteractive_slots", { used: capacity.used, max: capacity.max }));
  }
  if (usage !== undefined && BREAKS_WHAT_RUNS.includes(request.action)) consequences.push(usageConsequence(usage, strings));
  return {
    label: strings.get(LABEL[request.action], params),
    title: strings.get(CONFIRM[request.action].title, params),
    consequences,
  };
}
