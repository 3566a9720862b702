import type { Actor } from "../core/snapshot";
import type { EnvironmentFacts } from "./snapshotReader";

/** The parts of `Xrm.Utility.getGlobalContext()` read here; `isOnPremises` is documented but missing from @types/xrm. */
export type XrmGlobalContext = Pick<Xrm.GlobalContext, "userSettings"> & { isOnPremises?: () => boolean };

/**
 * The acting admin and the deployment, from the form's global context. Privileges come from
 * getSecurityRolePrivilegesInfo (the deprecated securityRolePrivileges is not used). When the
 * platform cannot say, privileges are left unknown and Dataverse judges each action itself.
 */
export async function readXrmEnvironment(context: XrmGlobalContext): Promise<EnvironmentFacts> {
  const isOnPremises = typeof context.isOnPremises === "function" ? context.isOnPremises() === true : false;
  let privileges: ReadonlySet<string> | null = null;
  try {
    const info = await context.userSettings.getSecurityRolePrivilegesInfo();
    privileges = new Set(Object.values(info).map((privilege) => privilege.privilegeName));
  } catch {
    privileges = null;
  }
  const actor: Actor = { userId: context.userSettings.userId, privileges };
  return { isOnPremises, actor };
}
