/**
 * Every Microsoft Graph read behind the Entra checks, with the least-privileged application permission
 * each needs (docs/entra.md, "Application permissions (least privilege)"; the Graph emulator's src/emulator/graphRequestShapes.ts holds
 * the same requests with their Learn pages). None is an advanced query: no OData cast, $search,
 * $count or $orderby, so none needs `ConsistencyLevel: eventual` and none reads a lagging index.
 */

/** The user (https://learn.microsoft.com/graph/api/user-get), User.Read.All. */
export const USER_SELECT =
  "accountEnabled,passwordPolicies,assignedLicenses,userPrincipalName,userType,createdDateTime,lastPasswordChangeDateTime";
export const userUrl = (objectId: string) => `/users/${objectId}?$select=${USER_SELECT}`;

/**
 * The user's sign-ins, apart from the user: Graph refuses the whole request when the tenant has no
 * Entra ID P1/P2 or the app lacks AuditLog.Read.All (signInActivity, https://learn.microsoft.com/graph/api/resources/signinactivity),
 * and the other checks must not fall with it.
 */
export const signInActivityUrl = (objectId: string) => `/users/${objectId}?$select=signInActivity`;

/**
 * Every group and directory role the user belongs to, directly or through groups, in one list without
 * an OData cast (a cast is an advanced query; https://learn.microsoft.com/graph/api/user-list-transitivememberof).
 * User.Read.All; role names need RoleManagement.Read.Directory (Graph returns inaccessible members with
 * their id and type only, https://learn.microsoft.com/graph/permissions-overview).
 */
export const membershipsUrl = (objectId: string) => `/users/${objectId}/transitiveMemberOf?$select=id,displayName,roleTemplateId`;

/** The domains' password validity (https://learn.microsoft.com/graph/api/domain-list), Domain.Read.All; once per run. */
export const DOMAINS_URL = "/domains?$select=id,passwordValidityPeriodInDays";

/** Conditional Access policies (https://learn.microsoft.com/graph/api/conditionalaccessroot-list-policies), Policy.Read.All; once per run. */
export const CONDITIONAL_ACCESS_URL = "/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls";

/** Security defaults (https://learn.microsoft.com/graph/api/identitysecuritydefaultsenforcementpolicy-get), Policy.Read.All; once per run. */
export const SECURITY_DEFAULTS_URL = "/policies/identitySecurityDefaultsEnforcementPolicy?$select=isEnabled";

/** An application user's app registration by its application id (https://learn.microsoft.com/graph/api/application-get), Application.Read.All. */
const application = (appId: string) => `/applications(appId='${encodeURIComponent(appId)}')`;
export const applicationUrl = (appId: string) => `${application(appId)}?$select=id,appId,displayName,passwordCredentials,keyCredentials`;
/** Its owners (https://learn.microsoft.com/graph/api/application-list-owners), Application.Read.All. */
export const applicationOwnersUrl = (appId: string) => `${application(appId)}/owners?$select=id`;
/** Its federated credentials (https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials), Application.Read.All. */
export const federatedCredentialsUrl = (appId: string) =>
  `${application(appId)}/federatedIdentityCredentials?$select=id,name,issuer,subject`;
/**
 * Its service principal (https://learn.microsoft.com/graph/api/serviceprincipal-get), Application.Read.All:
 * a managed identity has one and no app registration.
 */
export const servicePrincipalUrl = (appId: string) =>
  `/servicePrincipals(appId='${encodeURIComponent(appId)}')?$select=id,appId,servicePrincipalType,appOwnerOrganizationId`;

/** The application permissions, by what they let the product read. */
export const PERMISSION = {
  users: "User.Read.All",
  roleNames: "RoleManagement.Read.Directory",
  domains: "Domain.Read.All",
  signIns: "AuditLog.Read.All",
  policies: "Policy.Read.All",
  applications: "Application.Read.All",
} as const;

/** Graph requests per audited user and per application user; the tenant-wide reads ride in the first batch. */
export const REQUESTS_PER_USER = 3;
export const REQUESTS_PER_APPLICATION = 4;
export const TENANT_REQUESTS = 3;
