/** Configuration of the rules: what the organisation calls its service role and what a service account must not hold. */
export interface CompliancePolicy {
  serviceRoleName: string;
  forbiddenRoleNames: string[];
  /** Used only when the environment's own maximum cannot be read. */
  fallbackNonInteractiveLimit: number;
  /** Microsoft 365 admin (directory) roles a service account may hold, e.g. its vendor's Service Support Administrator. */
  allowedDirectoryRoleNames: string[];
}

/** Dataverse allows 7 non-interactive users per environment (MicrosoftDocs/dynamics-365-customer-engagement#1259). */
export const DOCUMENTED_NON_INTERACTIVE_LIMIT = 7;

/** Separates role names in one text setting: the form property, the CLI's --forbidden-roles, FORBIDDEN_ROLE_NAMES. */
export const ROLE_NAME_SEPARATOR = ";";

export const DEFAULT_POLICY: CompliancePolicy = {
  serviceRoleName: "Integration Service Account",
  forbiddenRoleNames: ["System Administrator", "System Customizer"],
  fallbackNonInteractiveLimit: DOCUMENTED_NON_INTERACTIVE_LIMIT,
  allowedDirectoryRoleNames: [],
};

export interface PolicyInput {
  serviceRoleName?: string | null;
  /** Separated by ROLE_NAME_SEPARATOR, as typed in the form editor. */
  forbiddenRoleNames?: string | null;
  nonInteractiveLimit?: number | null;
  /** Directory role names separated by ROLE_NAME_SEPARATOR; none allowed when blank. */
  allowedDirectoryRoleNames?: string | null;
}

/** Builds a policy from loosely typed configuration, falling back to the defaults for blanks and nonsense. */
export function policyFrom(input: PolicyInput): CompliancePolicy {
  const serviceRoleName = input.serviceRoleName?.trim() || DEFAULT_POLICY.serviceRoleName;
  const forbidden = input.forbiddenRoleNames == null ? DEFAULT_POLICY.forbiddenRoleNames : names(input.forbiddenRoleNames);
  const limit = input.nonInteractiveLimit;
  return {
    serviceRoleName,
    // The service role itself can never be forbidden: that would make compliance impossible.
    forbiddenRoleNames: forbidden.filter((name) => !sameRoleName(name, serviceRoleName)),
    fallbackNonInteractiveLimit:
      typeof limit === "number" && Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_POLICY.fallbackNonInteractiveLimit,
    allowedDirectoryRoleNames:
      input.allowedDirectoryRoleNames == null ? DEFAULT_POLICY.allowedDirectoryRoleNames : names(input.allowedDirectoryRoleNames),
  };
}

function names(list: string): string[] {
  return list
    .split(ROLE_NAME_SEPARATOR)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/** Role names are compared as Dataverse compares them: case-insensitively, ignoring outer blanks. */
export function sameRoleName(a: string, b: string): boolean {
  return a.trim().localeCompare(b.trim(), undefined, { sensitivity: "accent" }) === 0;
}
