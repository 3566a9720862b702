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

export interface UserSnapshot {
  user: UserRecord;
  roles: RoleAssignment[];
  capacity: NonInteractiveCapacity;
  isOnPremises: boolean;
  actor: Actor | null;
  /** Absent outside the form: the webhook and the audit change no roles. */
  host?: HostCapabilities;
}
