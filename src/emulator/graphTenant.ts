import { DATAVERSE_ADMINS_GROUP, USERS } from "./sampleOrg";
import type { OrgData, Row } from "./store";

/**
 * The Microsoft Entra tenant behind a Dataverse org, as the Graph emulator serves it: users, groups,
 * Conditional Access, security defaults, app registrations and service principals, with the sample
 * org's scenarios (docs/graph-emulator.md). Dates are relative to the moment the tenant is seeded.
 */

/** Directory role templates (Microsoft Entra built-in roles, https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). */
export const DIRECTORY_ROLES: Record<string, string> = {
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Service Support Administrator": "f023fd81-a637-4b56-95fd-791ac0226033",
};

/** Entra groups of the sample tenant besides those behind Dataverse group teams. */
export const SAMPLE_GROUPS = {
  dataverseAdmins: DATAVERSE_ADMINS_GROUP,
  /** Excluded from "Require MFA for all users". */
  mfaExempt: "9a000000-0000-4000-8000-000000000002",
  /** Holds the MFA-exempt group: a nested group for transitive membership. */
  allIntegrationAccounts: "9a000000-0000-4000-8000-000000000003",
} as const;

export const SAMPLE_TENANT_ID = "0a000000-0000-4000-8000-0000000000aa";

/** https://learn.microsoft.com/graph/api/resources/signinactivity */
export interface SignInActivity {
  /** The last interactive sign-in, successful or not. */
  lastSignInDateTime: string | null;
  lastSignInRequestId: string | null;
  lastNonInteractiveSignInDateTime: string | null;
  lastNonInteractiveSignInRequestId: string | null;
  /** The last successful sign-in, interactive or not. */
  lastSuccessfulSignInDateTime: string | null;
  lastSuccessfulSignInRequestId: string | null;
}

/** https://learn.microsoft.com/graph/api/resources/user */
export interface EntraUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  userType: "Member" | "Guest";
  accountEnabled: boolean;
  passwordPolicies: string | null;
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
  createdDateTime: string;
  lastPasswordChangeDateTime: string;
  /** Null when the user never signed in. */
  signInActivity: SignInActivity | null;
  /** Names of directory roles (DIRECTORY_ROLES) assigned to the user directly. */
  directoryRoles: string[];
  /** Ids of the groups the user is a direct member of. */
  groups: string[];
}

/** https://learn.microsoft.com/graph/api/resources/group */
export interface EntraGroup {
  id: string;
  displayName: string;
  /** Ids of the groups this group is a direct member of (nesting). */
  memberOf: string[];
  /** Directory roles assigned to the group (a role-assignable group), by name. */
  directoryRoles: string[];
}

/** https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy */
export interface ConditionalAccessPolicy {
  id: string;
  displayName: string;
  createdDateTime: string;
  modifiedDateTime: string | null;
  state: "enabled" | "disabled" | "enabledForReportingButNotEnforced";
  conditions: {
    users: {
      includeUsers: string[];
      excludeUsers: string[];
      includeGroups: string[];
      excludeGroups: string[];
      includeRoles: string[];
      excludeRoles: string[];
    };
    applications: { includeApplications: string[]; excludeApplications: string[]; includeUserActions: string[] };
    clientAppTypes: ("all" | "browser" | "mobileAppsAndDesktopClients" | "exchangeActiveSync" | "easSupported" | "other")[];
    locations: { includeLocations: string[]; excludeLocations: string[] } | null;
    platforms: { includePlatforms: string[]; excludePlatforms: string[] } | null;
    signInRiskLevels: string[];
    userRiskLevels: string[];
  };
  grantControls: {
    operator: "OR" | "AND";
    builtInControls: (
      "block" | "mfa" | "compliantDevice" | "domainJoinedDevice" | "approvedApplication" | "compliantApplication" | "passwordChange"
    )[];
    customAuthenticationFactors: string[];
    termsOfUse: string[];
    authenticationStrength: { id: string; displayName: string } | null;
  } | null;
  sessionControls: null;
}

/** https://learn.microsoft.com/graph/api/resources/passwordcredential (secretText is only returned on creation). */
export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  hint: string | null;
  startDateTime: string;
  endDateTime: string;
  secretText: null;
}

/** https://learn.microsoft.com/graph/api/resources/keycredential */
export interface KeyCredential {
  keyId: string;
  displayName: string | null;
  type: "AsymmetricX509Cert" | "X509CertAndPassword";
  usage: "Verify" | "Sign";
  startDateTime: string;
  endDateTime: string;
}

/** https://learn.microsoft.com/graph/api/resources/federatedidentitycredential */
export interface FederatedIdentityCredential {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description: string | null;
}

/** An app registration (https://learn.microsoft.com/graph/api/resources/application). */
export interface AppRegistration {
  id: string;
  appId: string;
  displayName: string;
  passwordCredentials: PasswordCredential[];
  keyCredentials: KeyCredential[];
  /** Object ids of the owners (users, or service principals of this tenant). */
  owners: string[];
  federatedIdentityCredentials: FederatedIdentityCredential[];
}

/** https://learn.microsoft.com/graph/api/resources/serviceprincipal */
export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType: "Application" | "ManagedIdentity";
  /** The tenant the app is registered in (a managed identity's is Microsoft's). */
  appOwnerOrganizationId: string | null;
}

export interface EntraTenant {
  id: string;
  /** Microsoft Entra ID P1 or P2: signInActivity and Conditional Access need it. */
  premium: boolean;
  users: Map<string, EntraUser>;
  groups: Map<string, EntraGroup>;
  domains: { id: string; passwordValidityPeriodInDays: number | null }[];
  conditionalAccessPolicies: ConditionalAccessPolicy[];
  /** Security defaults and Conditional Access exclude each other. */
  securityDefaultsEnabled: boolean;
  /** App registrations by lower-case appId. */
  applications: Map<string, AppRegistration>;
  /** Service principals by lower-case appId. */
  servicePrincipals: Map<string, ServicePrincipal>;
}

const MICROSOFT_365_E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965";
const DYNAMICS_365_SALES = "1e1a282c-9c54-43a2-9310-98ef728faace";
const DAY_MS = 86_400_000;

/** A sign-in history: days ago of each kind (null: never); request ids derived from the user's id. */
interface SignIns {
  interactive: number | null;
  nonInteractive: number | null;
  successful: number | null;
}

interface UserScenario {
  user?: Partial<EntraUser>;
  signIns?: Partial<SignIns>;
  passwordChangedDaysAgo?: number;
  /** Removed from Microsoft Entra ID while its Dataverse row stayed: Graph answers 404. */
  deleted?: true;
}

/** What each sample user shows in Entra: the scenarios the checks need (docs/graph-emulator.md). */
const USER_SCENARIOS: Record<string, UserScenario> = {
  [USERS.admin]: { user: { passwordPolicies: null, directoryRoles: ["Global Administrator"] } },
  // The password can expire (no policy of its own; contoso.com: 90 days), and it is old.
  [USERS.noEmail]: { user: { passwordPolicies: null }, passwordChangedDaysAgo: 500 },
  // Unused for 200 days, and a Global Administrator.
  [USERS.forbiddenRole]: { user: { directoryRoles: ["Global Administrator"] }, signIns: { nonInteractive: 200, successful: 200 } },
  [USERS.licenceStillAssigned]: { user: { assignedLicenses: [{ skuId: DYNAMICS_365_SALES, disabledPlans: [] }] } },
  // A non-interactive account someone signs in to as a person.
  [USERS.wrongBusinessUnit]: { signIns: { interactive: 3 } },
  [USERS.compliantMarketing]: { user: { groups: [SAMPLE_GROUPS.mfaExempt] } },
  [USERS.disabled]: { deleted: true },
};

/** The Entra tenant behind a Dataverse org, seeded at `now`: one user per systemuser with an object id (application users are service principals). */
export function entraTenantOf(org: OrgData, now = Date.now()): EntraTenant {
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
  const objectIdOf = (row: Row | undefined) =>
    typeof row?.azureactivedirectoryobjectid === "string" ? row.azureactivedirectoryobjectid.toLowerCase() : null;

  const users = new Map<string, EntraUser>();
  for (const row of org.systemusers) {
    const id = objectIdOf(row);
    const scenario = USER_SCENARIOS[String(row.systemuserid)] ?? {};
    if (!id || row.applicationid || scenario.deleted) continue;
    const interactive = row.accessmode !== 4;
    const signIns: SignIns = { interactive: interactive ? 1 : null, nonInteractive: 1, successful: 1, ...scenario.signIns };
    users.set(id, {
      id,
      displayName: String(row.fullname),
      userPrincipalName: String(row.domainname),
      userType: "Member",
      accountEnabled: row.isdisabled !== true,
      // Service accounts are set to never expire; people follow the domain's policy.
      passwordPolicies: interactive ? null : "DisablePasswordExpiration",
      assignedLicenses: row.islicensed === true ? [{ skuId: interactive ? MICROSOFT_365_E3 : DYNAMICS_365_SALES, disabledPlans: [] }] : [],
      createdDateTime: at(400),
      lastPasswordChangeDateTime: at(scenario.passwordChangedDaysAgo ?? 200),
      signInActivity: signInActivityOf(id, signIns, at),
      directoryRoles: [],
      groups: [],
      // A copy: tests change the tenant, and the next seed must start from the scenario again.
      ...structuredClone(scenario.user),
    });
  }

  const groups = new Map<string, EntraGroup>(
    [
      {
        id: SAMPLE_GROUPS.mfaExempt,
        displayName: "Integration accounts – MFA exempt",
        memberOf: [SAMPLE_GROUPS.allIntegrationAccounts],
        directoryRoles: [],
      },
      { id: SAMPLE_GROUPS.allIntegrationAccounts, displayName: "All integration accounts", memberOf: [], directoryRoles: [] },
    ].map((group) => [group.id, group]),
  );
  // A Dataverse group team (teamtype 2 security, 3 Microsoft 365) stands for an Entra group; its members as Dataverse lists them.
  const objectIdOfUser = new Map(org.systemusers.map((row) => [row.systemuserid, objectIdOf(row)]));
  const membersOf = new Map<unknown, unknown[]>();
  for (const [teamId, userId] of org.teamMembers ?? []) {
    const members = membersOf.get(teamId) ?? [];
    members.push(userId);
    membersOf.set(teamId, members);
  }
  for (const team of org.teams ?? []) {
    const id = objectIdOf(team);
    if (!id || (team.teamtype !== 2 && team.teamtype !== 3)) continue;
    groups.set(id, { id, displayName: String(team.name), memberOf: [], directoryRoles: [] });
    for (const userId of membersOf.get(team.teamid) ?? []) {
      const member = users.get(objectIdOfUser.get(userId) ?? "");
      if (member && !member.groups.includes(id)) member.groups.push(id);
    }
  }

  const admin = objectIdOf(org.systemusers.find((row) => row.systemuserid === USERS.admin));
  // An app registration's owner: the sample admin, or in another org its first person.
  const owner = admin ?? objectIdOf(org.systemusers.find((row) => users.has(objectIdOf(row) ?? "") && row.accessmode !== 4));
  const applications = new Map<string, AppRegistration>();
  const servicePrincipals = new Map<string, ServicePrincipal>();
  for (const row of org.systemusers) {
    const appId = typeof row.applicationid === "string" ? row.applicationid.toLowerCase() : null;
    if (!appId) continue;
    const scenario = APP_SCENARIOS[appId] ?? { secret: { createdDaysAgo: 100, expiresInDays: 265 }, owned: true };
    // Real object ids differ from the appId; derived here so they stay fixed.
    applications.set(appId, {
      id: `${appId.slice(0, 24)}a0${appId.slice(26)}`,
      appId,
      displayName: String(row.fullname),
      passwordCredentials: [
        {
          keyId: `${appId.slice(0, 24)}c1${appId.slice(26)}`,
          displayName: "Dataverse connection",
          hint: appId.slice(0, 3),
          startDateTime: at(scenario.secret.createdDaysAgo),
          endDateTime: at(-scenario.secret.expiresInDays),
          secretText: null,
        },
      ],
      keyCredentials: [],
      owners: scenario.owned && owner ? [owner] : [],
      federatedIdentityCredentials: [],
    });
    // Dataverse's application user points at the service principal's object id.
    servicePrincipals.set(appId, {
      id: objectIdOf(row) ?? `${appId.slice(0, 24)}5b${appId.slice(26)}`,
      appId,
      displayName: String(row.fullname),
      servicePrincipalType: "Application",
      appOwnerOrganizationId: SAMPLE_TENANT_ID,
    });
  }

  const domains = [...new Set([...users.values()].map((user) => user.userPrincipalName.split("@")[1]?.toLowerCase()).filter(Boolean))];
  return {
    id: SAMPLE_TENANT_ID,
    premium: true,
    users,
    groups,
    domains: domains.map((id) => ({ id, passwordValidityPeriodInDays: 90 })),
    conditionalAccessPolicies: samplePolicies(admin, at),
    securityDefaultsEnabled: false,
    applications,
    servicePrincipals,
  };
}

function signInActivityOf(userId: string, signIns: SignIns, at: (daysAgo: number) => string): SignInActivity | null {
  if (signIns.interactive === null && signIns.nonInteractive === null && signIns.successful === null) return null;
  const requestId = (kind: string, daysAgo: number | null) => (daysAgo === null ? null : `${kind}${userId.slice(1)}`);
  return {
    lastSignInDateTime: signIns.interactive === null ? null : at(signIns.interactive),
    lastSignInRequestId: requestId("1", signIns.interactive),
    lastNonInteractiveSignInDateTime: signIns.nonInteractive === null ? null : at(signIns.nonInteractive),
    lastNonInteractiveSignInRequestId: requestId("2", signIns.nonInteractive),
    lastSuccessfulSignInDateTime: signIns.successful === null ? null : at(signIns.successful),
    lastSuccessfulSignInRequestId: requestId("3", signIns.successful),
  };
}

/** The sample app registrations, by appId; any other application user gets a valid secret and one owner. */
const APP_SCENARIOS: Record<string, { secret: { createdDaysAgo: number; expiresInDays: number }; owned: boolean }> = {
  // "# Data Platform App": a valid secret and an owner.
  "0d000000-0000-4000-8000-000000000001": { secret: { createdDaysAgo: 100, expiresInDays: 265 }, owned: true },
  // "# Role Manager App": the secret expires in 10 days, and nobody owns the app.
  "0d000000-0000-4000-8000-000000000002": { secret: { createdDaysAgo: 355, expiresInDays: 10 }, owned: false },
};

/** The sample tenant's Conditional Access (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-policy-common). */
function samplePolicies(admin: string | null, at: (daysAgo: number) => string): ConditionalAccessPolicy[] {
  const users = { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] };
  const policy = (
    id: string,
    displayName: string,
    state: ConditionalAccessPolicy["state"],
    conditions: Partial<ConditionalAccessPolicy["conditions"]>,
    grantControls: Partial<NonNullable<ConditionalAccessPolicy["grantControls"]>>,
  ): ConditionalAccessPolicy => ({
    id,
    displayName,
    createdDateTime: at(300),
    modifiedDateTime: at(30),
    state,
    conditions: {
      users,
      applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [] },
      clientAppTypes: ["all"],
      locations: null,
      platforms: null,
      signInRiskLevels: [],
      userRiskLevels: [],
      ...conditions,
    },
    grantControls: {
      operator: "OR",
      builtInControls: [],
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength: null,
      ...grantControls,
    },
    sessionControls: null,
  });
  return [
    policy(
      "ca000000-0000-4000-8000-000000000001",
      "Require MFA for all users",
      "enabled",
      // The break-glass admin and the MFA-exempt integration accounts are left out.
      { users: { ...users, excludeUsers: admin ? [admin] : [], excludeGroups: [SAMPLE_GROUPS.mfaExempt] } },
      { builtInControls: ["mfa"] },
    ),
    policy(
      "ca000000-0000-4000-8000-000000000002",
      "Require phishing-resistant MFA for admins",
      "enabledForReportingButNotEnforced",
      { users: { ...users, includeUsers: [], includeRoles: [DIRECTORY_ROLES["Global Administrator"]] } },
      // The built-in authentication strength (https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths).
      { authenticationStrength: { id: "00000000-0000-0000-0000-000000000004", displayName: "Phishing-resistant MFA" } },
    ),
    policy(
      "ca000000-0000-4000-8000-000000000003",
      "Block legacy authentication",
      "enabled",
      { clientAppTypes: ["exchangeActiveSync", "other"] },
      { builtInControls: ["block"] },
    ),
  ];
}
