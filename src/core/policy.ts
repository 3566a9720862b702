/** Configuration of the rules: what the organisation calls its service role and what a service account must not hold. */
export interface CompliancePolicy {
  serviceRoleName: string;
  forbiddenRoleNames: string[];
  /** Used only when the environment's own maximum cannot be read. */
  fallbackNonInteractiveLimit: number;
}

/** Dataverse allows 7 non-interactive users per environment (MicrosoftDocs/dynamics-365-customer-engagement#1259). */
export const DOCUMENTED_NON_INTERACTIVE_LIMIT = 7;

export const DEFAULT_POLICY: CompliancePolicy = {
  serviceRoleName: "Integration Service Account",
  forbiddenRoleNames: ["System Administrator", "System Customizer"],
  fallbackNonInteractiveLimit: DOCUMENTED_NON_INTERACTIVE_LIMIT,
};

export interface PolicyInput {
  serviceRoleName?: string | null;
  /** Semicolon-separated, as typed in the form editor. */
  forbiddenRoleNames?: string | null;
  nonInteractiveLimit?: number | null;
}

/** Builds a policy from loosely typed configuration, falling back to the defaults for blanks and nonsense. */
export function policyFrom(input: PolicyInput): CompliancePolicy {
  const serviceRoleName = input.serviceRoleName?.trim() || DEFAULT_POLICY.serviceRoleName;
  const forbidden =
    input.forbiddenRoleNames == null
      ? DEFAULT_POLICY.forbiddenRoleNames
      : input.forbiddenRoleNames
          .split(";")
          .map((name) => name.trim())
          .filter((name) => name.length > 0);
  const limit = input.nonInteractiveLimit;
  return {
    serviceRoleName,
    // The service role itself can never be forbidden: that would make compliance impossible.
    forbiddenRoleNames: forbidden.filter((name) => !sameRoleName(name, serviceRoleName)),
    fallbackNonInteractiveLimit:
      typeof limit === "number" && Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_POLICY.fallbackNonInteractiveLimit,
  };
}

/** Role names are compared as Dataverse compares them: case-insensitively, ignoring outer blanks. */
export function sameRoleName(a: string, b: string): boolean {
  return a.trim().localeCompare(b.trim(), undefined, { sensitivity: "accent" }) === 0;
}
