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
  /** Days: an interactive sign-in this recent on a non-interactive account fails. */
  interactiveSignInDays: number;
  /** Days without a successful sign-in after which an account is unused. */
  unusedAfterDays: number;
  /** Days after which a password that was not changed is worth rotating. */
  credentialMaxAgeDays: number;
  /** Days before an app's secret or certificate expires when it starts to warn. */
  credentialWarningDays: number;
  /** Days a client secret may be valid for before its lifetime itself is a finding. */
  credentialMaxLifetimeDays: number;
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
  // Microsoft Entra "Governing service accounts" and "Securing cloud-based service accounts": review
  // sign-ins and usage regularly, rotate credentials; the figures are this product's defaults.
  interactiveSignInDays: 30,
  unusedAfterDays: 90,
  credentialMaxAgeDays: 365,
  credentialWarningDays: 30,
  credentialMaxLifetimeDays: 730,
};

/** The day thresholds of the policy, by setting name, for the loops that read and validate them. */
export const DAY_SETTINGS = {
  INTERACTIVE_SIGN_IN_DAYS: "interactiveSignInDays",
  UNUSED_AFTER_DAYS: "unusedAfterDays",
  CREDENTIAL_MAX_AGE_DAYS: "credentialMaxAgeDays",
  CREDENTIAL_WARNING_DAYS: "credentialWarningDays",
  CREDENTIAL_MAX_LIFETIME_DAYS: "credentialMaxLifetimeDays",
} as const satisfies Record<string, keyof CompliancePolicy>;

type DaySetting = keyof typeof DAY_SETTINGS;
type DayField = (typeof DAY_SETTINGS)[DaySetting];

export interface PolicyInput {
  serviceRoleName?: string | null;
  /** Separated by ROLE_NAME_SEPARATOR, as typed in the form editor; each text below likewise. */
  forbiddenRoleNames?: string | null;
  forbiddenPrivilegeNames?: string | null;
  warningPrivilegeNames?: string | null;
  nonInteractiveLimit?: number | null;
  /** Directory role names; none allowed when blank. */
  allowedDirectoryRoleNames?: string | null;
  /** Day thresholds; a blank, zero, negative or fractional value keeps the default. */
  days?: Partial<Record<DayField, number | null>>;
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
    fallbackNonInteractiveLimit: isPositiveInteger(limit) ? limit : DEFAULT_POLICY.fallbackNonInteractiveLimit,
    allowedDirectoryRoleNames: listOr(input.allowedDirectoryRoleNames, DEFAULT_POLICY.allowedDirectoryRoleNames),
    ...daysOr(input.days ?? {}),
  };
}

function daysOr(days: Partial<Record<DayField, number | null>>): Record<DayField, number> {
  const fields = Object.values(DAY_SETTINGS);
  return Object.fromEntries(
    fields.map((field) => {
      const value = days[field];
      return [field, isPositiveInteger(value) ? value : DEFAULT_POLICY[field]];
    }),
  ) as Record<DayField, number>;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
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
  ...(Object.keys(DAY_SETTINGS) as DaySetting[]),
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
    days: Object.fromEntries(
      (Object.entries(DAY_SETTINGS) as [DaySetting, DayField][]).map(([setting, field]) => {
        const text = settings[setting];
        return [field, text === undefined || text.trim() === "" ? null : Number(text)];
      }),
    ),
  });
}
