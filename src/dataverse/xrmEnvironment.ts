import type { Actor, HostCapabilities } from "../core/snapshot";
import type { UsagePlace } from "../core/usage";
import type { EnvironmentFacts } from "./snapshotReader";

/** The parts of `Xrm.Utility.getGlobalContext()` read here; `isOnPremises` is documented but missing from @types/xrm. */
export type XrmGlobalContext = Pick<Xrm.GlobalContext, "userSettings"> & {
  isOnPremises?: () => boolean;
};

/**
 * The acting admin and the deployment, from the form's global context. Privileges come from
 * getSecurityRolePrivilegesInfo (the deprecated securityRolePrivileges is not used). Whether the admin
 * is a System Administrator is not read from `userSettings.roles`, whose names are base-language
 * strings: the snapshot's user read says it, by the role's template (readSnapshot). When the platform
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
  const actor: Actor = { userId: context.userSettings.userId, privileges, isSystemAdministrator: null, accessMode: null };
  return { isOnPremises, actor, host };
}

/**
 * The org's address and the Power Platform environment's id, for links to what runs as a user.
 * `bapEnvironmentId` is on `organizationSettings` in model-driven apps
 * (https://learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/reference/xrm-utility/getglobalcontext/organizationsettings)
 * but not in @types/xrm, so it is read defensively; either is null when the host does not say.
 */
export function usagePlaceOf(context: (Pick<Xrm.GlobalContext, "getClientUrl"> & { organizationSettings?: unknown }) | null): UsagePlace {
  const settings = (context?.organizationSettings ?? {}) as { bapEnvironmentId?: unknown };
  let clientUrl: string | null = null;
  try {
    clientUrl = context?.getClientUrl?.() || null;
  } catch {
    clientUrl = null;
  }
  return {
    clientUrl,
    environmentId: typeof settings.bapEnvironmentId === "string" && settings.bapEnvironmentId ? settings.bapEnvironmentId : null,
  };
}
