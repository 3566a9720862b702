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

export interface RoleAssignment {
  roleId: string;
  name: string;
  businessUnitId: string;
  /** Display name of the role's business unit, when the server formatted it. */
  businessUnitName?: string;
  /** The root role this copy was made from; equal to roleId for the root copy. */
  parentRootRoleId?: string;
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

/** What the server read about the user in Microsoft Entra ID through Microsoft Graph. */
export interface EntraFacts {
  passwordExpiry: EntraFact<PasswordExpiry>;
  /** Display names of the directory (Microsoft 365 admin) roles the user holds, directly or through groups. */
  directoryRoles: EntraFact<string[]>;
  /** Licences assigned in Microsoft 365 (`assignedLicenses`). */
  assignedLicenceCount: EntraFact<number>;
}

/** An Entra check as the server last decided it, written on the user for the form to show. */
export interface StampedEntraCheck {
  id: "password-expiry" | "m365-admin-role" | "licence-released";
  status: "pass" | "fail" | "warning";
  messageKey: string;
  params?: Record<string, string | number>;
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
  /** The server's latest Entra verdict stamped on the user; what the form shows, since it cannot call Graph. */
  stampedEntra?: StampedEntraVerdict | null;
}
