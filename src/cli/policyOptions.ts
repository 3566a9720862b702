import type { Command } from "commander";
import { DEFAULT_POLICY, policyFromSettings, ROLE_NAME_SEPARATOR, type CompliancePolicy, type PolicySetting } from "../core/policy";

/** The flags of the policy, each named after its setting and falling back on the environment variable of that name. */
export interface PolicyFlags {
  serviceRole?: string;
  forbiddenRoles?: string;
  forbiddenPrivileges?: string;
  warningPrivileges?: string;
  allowedDirectoryRoles?: string;
}

const list = (names: string[]) => names.join(ROLE_NAME_SEPARATOR) || "none";

/** The policy's flags for the commands that evaluate accounts (audit, stamp), with the webhook's defaults. */
export function withPolicyOptions(command: Command): Command {
  return command
    .option("--service-role <name>", `the service role's name (env SERVICE_ROLE_NAME; default ${DEFAULT_POLICY.serviceRoleName})`)
    .option(
      "--forbidden-roles <names>",
      `roles a service account must not hold, ${ROLE_NAME_SEPARATOR}-separated (env FORBIDDEN_ROLE_NAMES; default ${list(DEFAULT_POLICY.forbiddenRoleNames)})`,
    )
    .option(
      "--forbidden-privileges <names>",
      `privileges no role of a service account may grant (env FORBIDDEN_PRIVILEGES; default ${list(DEFAULT_POLICY.forbiddenPrivilegeNames)})`,
    )
    .option(
      "--warning-privileges <names>",
      `privileges reported as a warning (env WARNING_PRIVILEGES; default ${list(DEFAULT_POLICY.warningPrivilegeNames)})`,
    )
    .option(
      "--allowed-directory-roles <names>",
      `Microsoft 365 admin roles a service account may hold (env ALLOWED_DIRECTORY_ROLES; default ${list(DEFAULT_POLICY.allowedDirectoryRoleNames)})`,
    );
}

/** The policy the flags say, over the environment's settings. */
export function policyFromFlags(flags: PolicyFlags, env: NodeJS.ProcessEnv): CompliancePolicy {
  const settings: Record<PolicySetting, string | undefined> = {
    SERVICE_ROLE_NAME: flags.serviceRole ?? env.SERVICE_ROLE_NAME,
    FORBIDDEN_ROLE_NAMES: flags.forbiddenRoles ?? env.FORBIDDEN_ROLE_NAMES,
    FORBIDDEN_PRIVILEGES: flags.forbiddenPrivileges ?? env.FORBIDDEN_PRIVILEGES,
    WARNING_PRIVILEGES: flags.warningPrivileges ?? env.WARNING_PRIVILEGES,
    ALLOWED_DIRECTORY_ROLES: flags.allowedDirectoryRoles ?? env.ALLOWED_DIRECTORY_ROLES,
    NON_INTERACTIVE_LIMIT: env.NON_INTERACTIVE_LIMIT,
  };
  return policyFromSettings(settings);
}
