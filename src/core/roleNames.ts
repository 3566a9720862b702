import { sameId } from "./ids";
import type { RoleAssignment } from "./snapshot";

/**
 * Role templates of the system roles the rules know by name. "These role template IDs are unique and
 * constant in all environments" (Learn: "Security roles and privileges", the SystemAdmin and Customizer
 * constants), whereas role names are base-language strings, translated in every other base language.
 */
export const ROLE_TEMPLATE_IDS = {
  systemAdministrator: "627090ff-40a3-4053-8790-584edc5be201",
  systemCustomizer: "119f245c-3cc8-4b62-b31c-d1a046ced15d",
} as const;

/** The English names a policy uses for those roles, matched case-insensitively. */
const TEMPLATE_OF_NAME: Record<string, string> = {
  "system administrator": ROLE_TEMPLATE_IDS.systemAdministrator,
  "system customizer": ROLE_TEMPLATE_IDS.systemCustomizer,
};

/** Role names are compared as Dataverse compares them: case-insensitively, ignoring outer blanks. */
export function sameRoleName(a: string, b: string): boolean {
  return a.trim().localeCompare(b.trim(), undefined, { sensitivity: "accent" }) === 0;
}

/**
 * Whether a role is the one a policy names: by name, or, for the system roles above, by template, so
 * "System Administrator" in a policy also finds "Administrateur système" in a French org.
 */
export function isNamedRole(policyName: string, role: Pick<RoleAssignment, "name" | "templateId">): boolean {
  if (sameRoleName(policyName, role.name)) return true;
  const template = TEMPLATE_OF_NAME[policyName.trim().toLowerCase()];
  return template !== undefined && sameId(template, role.templateId);
}

export function isSystemAdministratorRole(role: Pick<RoleAssignment, "templateId">): boolean {
  return sameId(role.templateId, ROLE_TEMPLATE_IDS.systemAdministrator);
}
