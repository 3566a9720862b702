import { InvalidArgumentError, type Command } from "commander";
import {
  DAY_SETTINGS,
  DEFAULT_POLICY,
  policyFromSettings,
  ROLE_NAME_SEPARATOR,
  type CompliancePolicy,
  type PolicySetting,
} from "../core/policy";

/** The flags of the policy, each named after its setting and falling back on the environment variable of that name. */
export interface PolicyFlags {
  serviceRole?: string;
  forbiddenRoles?: string;
  forbiddenPrivileges?: string;
  warningPrivileges?: string;
  allowedDirectoryRoles?: string;
  interactiveSignInDays?: string;
  unusedAfterDays?: string;
  credentialMaxAgeDays?: string;
  credentialWarningDays?: string;
  credentialMaxLifetimeDays?: string;
}

type DaySetting = keyof typeof DAY_SETTINGS;

/** Each day threshold's flag and what it decides (the Entra checks; docs/entra.md, "The checks"). */
const DAY_FLAGS: Record<DaySetting, { flag: string; means: string }> = {
  INTERACTIVE_SIGN_IN_DAYS: {
    flag: "--interactive-sign-in-days",
    means: "an interactive sign-in this recent fails a non-interactive account",
  },
  UNUSED_AFTER_DAYS: { flag: "--unused-after-days", means: "days without a successful sign-in before an account is unused" },
  CREDENTIAL_MAX_AGE_DAYS: { flag: "--credential-max-age-days", means: "a password older than this warns" },
  CREDENTIAL_WARNING_DAYS: { flag: "--credential-warning-days", means: "an app secret or certificate expiring within this warns" },
  CREDENTIAL_MAX_LIFETIME_DAYS: { flag: "--credential-max-lifetime-days", means: "a client secret valid for longer than this warns" },
};

/** A whole number of days above zero, or a clear error naming the flag. */
function days(value: string): string {
  if (!/^[1-9][0-9]{0,5}$/.test(value.trim())) throw new InvalidArgumentError("expected a whole number of days, at least 1.");
  return value.trim();
}

const list = (names: string[]) => names.join(ROLE_NAME_SEPARATOR) || "none";

/** The policy's flags for the commands that evaluate accounts (audit, stamp), with the webhook's defaults. */
export function withPolicyOptions(command: Command): Command {
  command
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
  for (const [setting, { flag, means }] of Object.entries(DAY_FLAGS) as [DaySetting, (typeof DAY_FLAGS)[DaySetting]][])
    command.option(`${flag} <days>`, `${means} (env ${setting}; default ${DEFAULT_POLICY[DAY_SETTINGS[setting]]})`, days);
  return command;
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
    INTERACTIVE_SIGN_IN_DAYS: flags.interactiveSignInDays ?? env.INTERACTIVE_SIGN_IN_DAYS,
    UNUSED_AFTER_DAYS: flags.unusedAfterDays ?? env.UNUSED_AFTER_DAYS,
    CREDENTIAL_MAX_AGE_DAYS: flags.credentialMaxAgeDays ?? env.CREDENTIAL_MAX_AGE_DAYS,
    CREDENTIAL_WARNING_DAYS: flags.credentialWarningDays ?? env.CREDENTIAL_WARNING_DAYS,
    CREDENTIAL_MAX_LIFETIME_DAYS: flags.credentialMaxLifetimeDays ?? env.CREDENTIAL_MAX_LIFETIME_DAYS,
  };
  return policyFromSettings(settings);
}
