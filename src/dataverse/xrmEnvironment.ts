import type { Actor, HostCapabilities } from "../core/snapshot";
import type { EnvironmentFacts } from "./snapshotReader";

/** The parts of `Xrm.Utility.getGlobalContext()` read here; `isOnPremises` is documented but missing from @types/xrm. */
export type XrmGlobalContext = Pick<Xrm.GlobalContext, "userSettings"> & {
  isOnPremises?: () => boolean;
  organizationSettings?: Pick<Xrm.OrganizationSettings, "languageId">;
};

/**
 * The role Dataverse requires to change access modes (0x80048d2f AccessModeChangeNeedSystemAdmin).
 * Security role names are "localization in base language strings" (Create solutions that support
 * multiple languages): the English name is trusted only in an organization whose base language
 * (`organizationSettings.languageId`) is English; elsewhere the panel leaves the decision to Dataverse.
 */
export const SYSTEM_ADMINISTRATOR_ROLE = "System Administrator";
const ENGLISH = 1033;

/**
 * The acting admin and the deployment, from the form's global context. Privileges come from
 * getSecurityRolePrivilegesInfo (the deprecated securityRolePrivileges is not used), roles from
 * `userSettings.roles` (id and name; the deprecated securityRoles has ids only). When the platform
 * cannot say, a fact is left unknown and Dataverse judges each action itself. Without a global `Xrm`
 * (pcf-start, canvas apps) only the user id from `context.userSettings` is known.
 */
export async function readXrmEnvironment(
  context: XrmGlobalContext | null,
  userId: string,
  host: HostCapabilities,
): Promise<EnvironmentFacts> {
  if (!context) return { isOnPremises: false, actor: { userId, privileges: null, isSystemAdministrator: null, accessMode: null }, host };
  const isOnPremises = typeof context.isOnPremises === "function" ? context.isOnPremises() === true : false;
  let privileges: ReadonlySet<string> | null = null;
  try {
    const info = await context.userSettings.getSecurityRolePrivilegesInfo();
    privileges = new Set(Object.values(info).map((privilege) => privilege.privilegeName));
  } catch {
    privileges = null;
  }
  const actor: Actor = {
    userId: context.userSettings.userId,
    privileges,
    isSystemAdministrator: holdsSystemAdministrator(context),
    accessMode: null,
  };
  return { isOnPremises, actor, host };
}

/** From `userSettings.roles` (the user's roles and their teams' roles); null when the names cannot tell. */
function holdsSystemAdministrator(context: XrmGlobalContext): boolean | null {
  const roles = context.userSettings.roles as Xrm.Collection.ItemCollection<Xrm.LookupValue> | undefined;
  if (!roles || typeof roles.get !== "function") return null;
  const names = roles.get().map((role) => role.name);
  if (names.includes(SYSTEM_ADMINISTRATOR_ROLE)) return true;
  return context.organizationSettings?.languageId === ENGLISH ? false : null;
}
