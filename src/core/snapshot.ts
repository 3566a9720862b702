import type { MessageParams } from "./messages";

/**
 * Everything the rules need about one user, in one shape for the control, the webhook and the audit.
 * Built by src/dataverse's snapshot reader; never built from the UI.
 */

/** systemuser.accessmode (Dataverse table reference "systemuser"). */
export const AccessMode = {
  ReadWrite: 0,
  Administrative: 1,
  Read: 2,
  SupportUser: 3,
  NonInteractive: 4,
  DelegatedAdmin: 5,
} as const;
export type AccessModeValue = number;

/** systemuser.emailrouteraccessapproval. */
export const EmailApproval = {
  Empty: 0,
  Approved: 1,
  PendingApproval: 2,
  Rejected: 3,
} as const;

/** team.teamtype (team table reference). Access teams carry no security roles ("Manage teams"). */
export const TeamType = {
  Owner: 0,
  Access: 1,
  EntraSecurityGroup: 2,
  EntraOfficeGroup: 3,
} as const;

/** A team the user belongs to, as far as the rules need it. */
export interface TeamMembership {
  teamId: string;
  name: string;
  teamType: number;
  /** The Microsoft Entra group behind a group team (`azureactivedirectoryobjectid`); null for other teams. */
  entraGroupId: string | null;
  /** The business unit's default team: every user of the unit is in it, and nobody can be added or removed by hand. */
  isDefault: boolean;
}

/**
 * How a user holds a role: assigned directly, through a team they belong to ("Security concepts in
 * Dataverse": a user's privileges are the union of both), or held for sure but not yet traceable to
 * either (a fresh filter saw the role while an expansion, which Dataverse may serve from a cache, did not).
 */
export type RoleSource = { kind: "direct" } | { kind: "team"; team: TeamMembership } | { kind: "unattributed" };

export interface RoleAssignment {
  roleId: string;
  name: string;
  businessUnitId: string;
  /** Display name of the role's business unit, when the server formatted it. */
  businessUnitName?: string;
  /** The root role this copy was made from; equal to roleId for the root copy. */
  parentRootRoleId?: string;
  /** The role template (`_roletemplateid_value`): the same in every language and business unit; null for custom roles. */
  templateId?: string | null;
  source: RoleSource;
  /** The privileges the policy watches that this role grants, as Dataverse names them; undefined when they were not read. */
  privileges?: string[];
}

export interface UserRecord {
  systemUserId: string;
  fullName: string;
  domainName: string;
  accessMode: AccessModeValue;
  isDisabled: boolean;
  /** Online: a Dynamics licence is assigned in Microsoft 365. System-managed, read-only. */
  isLicensed: boolean;
  primaryEmail: string | null;
  emailApproval: number | null;
  businessUnitId: string;
  businessUnitName?: string;
  /** Set only on application users (server-to-server). */
  applicationId: string | null;
  /** No documented value list: shown raw, never interpreted. */
  userLicenseType: number | null;
  /** Row version (`@odata.etag`), used to refuse writes over someone else's change. */
  etag: string | null;
  /** The user's object id in Microsoft Entra ID (`azureactivedirectoryobjectid`); null when Dataverse has none. */
  entraObjectId?: string | null;
}

/**
 * The user's fields a verdict depends on: what `evaluate` reads, and what the server looks the user
 * up by in Microsoft Entra (object id, and the UPN's domain for its password policy). A change to any
 * of them must reach the webhook (its Update step filters on their columns); tests/core hold this list
 * to what the rules really read.
 */
export const FIELDS_THE_RULES_READ = [
  "systemUserId",
  "domainName",
  "accessMode",
  "isDisabled",
  "isLicensed",
  "primaryEmail",
  "emailApproval",
  "businessUnitId",
  "applicationId",
  "entraObjectId",
] as const satisfies readonly (keyof UserRecord)[];

export interface NonInteractiveCapacity {
  /** Non-interactive users now in the environment (application users excluded), or null when unknown. */
  used: number | null;
  /** The environment's maximum as reported by Dataverse, or null when it could not be read. */
  max: number | null;
  /** Where the figures came from: the documented function, a count of users, or nothing. */
  source: "organizationResources" | "count" | "unknown";
}

/** The acting admin, only in the form: the webhook and the audit act as nobody. */
export interface Actor {
  userId: string;
  /** Privilege names the admin holds (prvWriteUser, prvAssignRole, …); null when the platform could not say. */
  privileges: ReadonlySet<string> | null;
  /** Whether the admin holds System Administrator; null when the host does not say. */
  isSystemAdministrator?: boolean | null;
  /** The admin's own access mode; null when the host does not say. */
  accessMode?: AccessModeValue | null;
}

/** What the host the panel runs in can do beyond reading and updating rows. */
export interface HostCapabilities {
  /** Associate and disassociate roles: `Xrm.WebApi.online.execute`, absent outside model-driven apps. */
  roleAssignment: boolean;
}

/** One fact read from Microsoft Graph, or why it could not be read (in words an admin understands). */
export type EntraFact<T> = { value: T } | { problem: string };

/** Whether the user's password can expire, and what says so. */
export type PasswordExpiry =
  | { expires: false; because: "user-policy" | "domain-policy" }
  /** validityDays: the domain's period (90 when the domain sets none). */
  | { expires: true; validityDays: number };

/**
 * The user's sign-ins as Entra records them (`signInActivity`, https://learn.microsoft.com/graph/api/resources/signinactivity)
 * and when the account was made; ISO 8601 times, null when Entra has none.
 */
export interface SignInActivity {
  /** The last interactive sign-in, successful or not (`lastSignInDateTime`): a person typing the password. */
  lastInteractive: string | null;
  /** The last successful sign-in, interactive or not (`lastSuccessfulSignInDateTime`). */
  lastSuccessful: string | null;
  /** `createdDateTime`: an account younger than the policy's threshold is new, not unused. */
  createdOn: string | null;
}

/** A Conditional Access policy named in a finding; report-only ones enforce nothing and are said to be. */
export interface NamedPolicy {
  name: string;
  reportOnly: boolean;
}

/** Which Conditional Access policies demand MFA (or an authentication strength) of this account when it signs in to Dataverse. */
export interface MfaCoverage {
  /** Policies whose scope includes the account and that require MFA, enabled or report-only. */
  requiring: NamedPolicy[];
  /** Policies that require MFA of a scope the account is in, but exclude it (as a user, through a group or a role). */
  excludedFrom: NamedPolicy[];
  /** Security defaults are on (they and Conditional Access exclude each other). */
  securityDefaults: boolean;
}

/** What the server read about the user in Microsoft Entra ID through Microsoft Graph. */
export interface EntraFacts {
  /** When Graph was read (ISO 8601): the "now" of every date rule, so one read gives one verdict. */
  readOn: string;
  passwordExpiry: EntraFact<PasswordExpiry>;
  /** Display names of the directory (Microsoft 365 admin) roles the user holds, directly or through groups. */
  directoryRoles: EntraFact<string[]>;
  /** Licences assigned in Microsoft 365 (`assignedLicenses`). */
  assignedLicenceCount: EntraFact<number>;
  /** `lastPasswordChangeDateTime`: when the password was last changed or set. */
  passwordChangedOn: EntraFact<string>;
  signIns: EntraFact<SignInActivity>;
  mfa: EntraFact<MfaCoverage>;
}

/** A client secret or certificate of an app registration (`passwordCredentials`, `keyCredentials`). */
export interface AppCredential {
  type: "secret" | "certificate";
  name: string | null;
  startsOn: string | null;
  endsOn: string | null;
}

/** The identity behind an application user's `applicationid`, as Entra knows it. */
export type AppRegistration =
  /** A managed identity: Azure issues and rotates its credentials; it has no app registration. */
  | { kind: "managed-identity" }
  /** No app registration in this tenant: a multi-tenant app registered in another one. */
  | { kind: "other-tenant" }
  | { kind: "registered"; credentials: AppCredential[]; federatedCredentialCount: number; ownerCount: number };

/** What the server read about an application user's app in Microsoft Entra ID. */
export interface EntraAppFacts {
  readOn: string;
  registration: EntraFact<AppRegistration>;
}

/** The ids of the checks whose verdict Microsoft Graph decides and the server stamps on the user. */
export const ENTRA_CHECK_IDS = [
  "password-expiry",
  "m365-admin-role",
  "licence-released",
  "credential-age",
  "interactive-sign-in",
  "recent-use",
  "mfa-policy",
  "app-credentials",
  "app-owner",
] as const;

/** An Entra check as the server last decided it, written on the user for the form to show. */
export interface StampedEntraCheck {
  id: (typeof ENTRA_CHECK_IDS)[number];
  /** manual only where Graph itself says the check cannot be made here (an app registered in another tenant). */
  status: "pass" | "fail" | "warning" | "manual" | "not-applicable";
  messageKey: string;
  params?: MessageParams;
}

export interface StampedEntraVerdict {
  /** When the server set this verdict (ISO 8601). */
  decidedOn: string;
  checks: StampedEntraCheck[];
}

export interface UserSnapshot {
  user: UserRecord;
  roles: RoleAssignment[];
  capacity: NonInteractiveCapacity;
  isOnPremises: boolean;
  actor: Actor | null;
  /** Absent outside the form: the webhook and the audit change no roles. */
  host?: HostCapabilities;
  /** Read now from Microsoft Graph (server side only); absent when Graph is not configured. */
  entra?: EntraFacts;
  /** For an application user: its app as read now from Microsoft Graph (server side only). */
  entraApp?: EntraAppFacts;
  /** The server's latest Entra verdict stamped on the user; what the form shows, since it cannot call Graph. */
  stampedEntra?: StampedEntraVerdict | null;
}
