import { sameRoleName } from "./roleNames";

/** Configuration of the rules: what the organisation calls its service role and what a service account must not hold. */
export interface CompliancePolicy {
  serviceRoleName: string;
  /** Roles a service account must not hold, by name; System Administrator and System Customizer are also known by template. */
  forbiddenRoleNames: string[];
  /** Privileges a service account must not have through any of its roles (a failure). */
  forbiddenPrivilegeNames: string[];
  /** Privileges some integrations need but an admin should know about (a warning). */
  warningPrivilegeNames: string[];
  /** Used only when the environment's own maximum cannot be read. */
  fallbackNonInteractiveLimit: number;
  /** Microsoft 365 admin (directory) roles a service account may hold, e.g. its vendor's Service Support Administrator. */
  allowedDirectoryRoleNames: string[];
}

/** Dataverse allows 7 non-interactive users per environment (MicrosoftDocs/dynamics-365-customer-engagement#1259). */
export const DOCUMENTED_NON_INTERACTIVE_LIMIT = 7;

/** Separates names in one text setting: the form properties, the CLI's options, the webhook's variables. */
export const ROLE_NAME_SEPARATOR = ";";

export const DEFAULT_POLICY: CompliancePolicy = {
  serviceRoleName: "Integration Service Account",
  forbiddenRoleNames: ["System Administrator", "System Customizer"],
  // The security-administration privileges that let an account raise its own access: give itself (or
  // anyone) a role, or create and edit roles ("Security roles and privileges"; role table privileges).
  forbiddenPrivilegeNames: ["prvAssignRole", "prvCreateRole", "prvWriteRole"],
  // Impersonation ("Impersonate another user"): some integrations need it to act for the user who
  // triggered them, so it is worth a look, not a failure.
  warningPrivilegeNames: ["prvActOnBehalfOfAnotherUser"],
  fallbackNonInteractiveLimit: DOCUMENTED_NON_INTERACTIVE_LIMIT,
  allowedDirectoryRoleNames: [],
};

export interface PolicyInput {
  serviceRoleName?: string | null;
  /** Separated by ROLE_NAME_SEPARATOR, as typed in the form editor; each text below likewise. */
  forbiddenRoleNames?: string | null;
  forbiddenPrivilegeNames?: string | null;
  warningPrivilegeNames?: string | null;
  nonInteractiveLimit?: number | null;
  /** Directory role names; none allowed when blank. */
  allowedDirectoryRoleNames?: string | null;
}

/** Builds a policy from loosely typed configuration, falling back to the defaults for blanks and nonsense. */
export function policyFrom(input: PolicyInput): CompliancePolicy {
  const serviceRoleName = input.serviceRoleName?.trim() || DEFAULT_POLICY.serviceRoleName;
  const forbidden = listOr(input.forbiddenRoleNames, DEFAULT_POLICY.forbiddenRoleNames);
  const forbiddenPrivileges = listOr(input.forbiddenPrivilegeNames, DEFAULT_POLICY.forbiddenPrivilegeNames);
  const limit = input.nonInteractiveLimit;
  return {
    serviceRoleName,
    // The service role itself can never be forbidden: that would make compliance impossible.
    forbiddenRoleNames: forbidden.filter((name) => !sameRoleName(name, serviceRoleName)),
    forbiddenPrivilegeNames: forbiddenPrivileges,
    // A privilege that fails is not also a warning.
    warningPrivilegeNames: listOr(input.warningPrivilegeNames, DEFAULT_POLICY.warningPrivilegeNames).filter(
      (name) => !forbiddenPrivileges.some((forbiddenName) => samePrivilege(forbiddenName, name)),
    ),
    fallbackNonInteractiveLimit:
      typeof limit === "number" && Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_POLICY.fallbackNonInteractiveLimit,
    allowedDirectoryRoleNames: listOr(input.allowedDirectoryRoleNames, DEFAULT_POLICY.allowedDirectoryRoleNames),
  };
}

/** The privileges whose grants a snapshot must carry for this policy: the ones it fails or warns on. */
export function watchedPrivileges(policy: CompliancePolicy): string[] {
  return [...policy.forbiddenPrivilegeNames, ...policy.warningPrivilegeNames];
}

/** Privilege names, like other Dataverse names, compare without case. */
export function samePrivilege(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** A `;`-separated setting as a list; absent means the default, blank means none. */
function listOr(text: string | null | undefined, fallback: string[]): string[] {
  if (text == null) return fallback;
  return text
    .split(ROLE_NAME_SEPARATOR)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/**
 * The policy's settings by the names the webhook reads from its environment and the CLI from its
 * flags (each flag falling back on the variable): one set of names, one set of defaults.
 */
export const POLICY_SETTINGS = [
  "SERVICE_ROLE_NAME",
  "FORBIDDEN_ROLE_NAMES",
  "FORBIDDEN_PRIVILEGES",
  "WARNING_PRIVILEGES",
  "ALLOWED_DIRECTORY_ROLES",
  "NON_INTERACTIVE_LIMIT",
] as const;

export type PolicySetting = (typeof POLICY_SETTINGS)[number];

/** A policy from settings as text (an environment, or flags over it); unset ones take the defaults. */
export function policyFromSettings(settings: Partial<Record<PolicySetting, string | undefined>>): CompliancePolicy {
  const limit = settings.NON_INTERACTIVE_LIMIT;
  return policyFrom({
    serviceRoleName: settings.SERVICE_ROLE_NAME,
    forbiddenRoleNames: settings.FORBIDDEN_ROLE_NAMES,
    forbiddenPrivilegeNames: settings.FORBIDDEN_PRIVILEGES,
    warningPrivilegeNames: settings.WARNING_PRIVILEGES,
    allowedDirectoryRoleNames: settings.ALLOWED_DIRECTORY_ROLES,
    nonInteractiveLimit: limit === undefined ? null : Number(limit),
  });
}
