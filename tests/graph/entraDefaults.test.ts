import { evaluate } from "../../src/core/evaluate";
import { DEFAULT_POLICY } from "../../src/core/policy";
import { withAdvancedQueryParameters, type GraphClient, type GraphRequest, type GraphResponse } from "../../src/graph/graphClient";
import { readEntraFacts } from "../../src/graph/entraReader";
import { snapshot } from "../support/snapshots";

/**
 * The reader against answers written as Graph documents them, one documented default or error per
 * test: each would turn a failing check into a pass (or a manual check into a guess) if read otherwise.
 */

const USER = "aaaaaaaa-0000-4000-8000-000000000001";
const APP = "0d000000-0000-4000-8000-000000000001";
const NOW = new Date("2026-12-01T12:00:00Z");

type Body = Record<string, unknown>;
type Answer = { status: number; body: Body | null };
const ok = (body: Body): Answer => ({ status: 200, body });
const refused = (status: number, code: string): Answer => ({ status, body: { error: { code, message: "…" } } });

/** Graph answers by URL; anything not overridden is a healthy, unremarkable tenant. */
function fakeGraph(overrides: Record<string, Answer> = {}): GraphClient & { urls: string[] } {
  const defaults: Record<string, Answer> = {
    "/domains": ok({ value: [{ id: "contoso.com", passwordValidityPeriodInDays: 2147483647 }] }),
    "/identity/conditionalAccess/policies": ok({ value: [] }),
    "/policies/identitySecurityDefaultsEnforcementPolicy": ok({ isEnabled: true }),
    [`/users/${USER}?$select=signInActivity`]: ok({
      signInActivity: { lastSignInDateTime: null, lastSuccessfulSignInDateTime: "2026-11-30T08:00:00Z" },
    }),
    [`/users/${USER}/transitiveMemberOf`]: ok({ value: [] }),
    [`/users/${USER}?`]: ok({
      userPrincipalName: "svc@contoso.com",
      passwordPolicies: null,
      assignedLicenses: [],
      userType: "Member",
      createdDateTime: "2024-01-01T00:00:00Z",
      lastPasswordChangeDateTime: "2026-06-01T00:00:00Z",
    }),
    [`/applications(appId='${APP}')/owners`]: ok({ value: [{ id: "owner" }] }),
    [`/applications(appId='${APP}')/federatedIdentityCredentials`]: ok({ value: [] }),
    [`/applications(appId='${APP}')?`]: ok({ passwordCredentials: [], keyCredentials: [] }),
    [`/servicePrincipals(appId='${APP}')`]: ok({ servicePrincipalType: "Application" }),
  };
  const answers = { ...defaults, ...overrides };
  const urls: string[] = [];
  const answer = (request: GraphRequest): GraphResponse => {
    urls.push(request.url);
    // The longest prefix answers: "/users/{id}?$select=signInActivity" before "/users/{id}?".
    const key = Object.keys(answers)
      .filter((prefix) => request.url.startsWith(prefix))
      .sort((a, b) => b.length - a.length)[0];
    const found = key ? answers[key] : refused(400, "BadRequest");
    return { id: request.id, status: found.status, headers: {}, body: found.body };
  };
  return {
    urls,
    counter: { count: 0 },
    batch: (requests) => Promise.resolve(requests.map(answer)),
    get: (url) => Promise.resolve(answer({ id: url, url })),
  };
}

const read = async (graph: GraphClient, subjects = { users: [USER], applications: [] as string[] }) =>
  readEntraFacts(graph, subjects, { now: () => NOW, sleep: () => Promise.resolve() });
const userFacts = async (overrides: Record<string, Answer>) => (await read(fakeGraph(overrides))).users.get(USER)!;
const appFacts = async (overrides: Record<string, Answer>) =>
  (await read(fakeGraph(overrides), { users: [], applications: [APP] })).applications.get(APP)!;

describe("Graph's documented defaults, as the Entra reader reads them", () => {
  it("a domain whose passwordValidityPeriodInDays is null expires passwords after 90 days, and the check fails", async () => {
    const facts = await userFacts({ "/domains": ok({ value: [{ id: "contoso.com", passwordValidityPeriodInDays: null }] }) });
    expect(facts.passwordExpiry).toEqual({ value: { expires: true, validityDays: 90 } });
    const report = evaluate(snapshot({ entra: facts }), DEFAULT_POLICY);
    expect(report.checks.find((check) => check.id === "password-expiry")).toMatchObject({ status: "fail", params: { days: 90 } });
  });

  it("a domain without the property at all reads as the same default", async () => {
    const facts = await userFacts({ "/domains": ok({ value: [{ id: "contoso.com" }] }) });
    expect(facts.passwordExpiry).toEqual({ value: { expires: true, validityDays: 90 } });
  });

  it("passwordPolicies null leaves expiry to the domain; DisablePasswordExpiration among others disables it", async () => {
    expect((await userFacts({})).passwordExpiry).toEqual({ value: { expires: false, because: "domain-policy" } });
    const user = ok({ userPrincipalName: "svc@contoso.com", passwordPolicies: "DisableStrongPassword, DisablePasswordExpiration" });
    expect((await userFacts({ [`/users/${USER}?`]: user })).passwordExpiry).toEqual({ value: { expires: false, because: "user-policy" } });
  });

  it("signInActivity null means the account never signed in: no sign-in at all, not a recent one", async () => {
    const facts = await userFacts({ [`/users/${USER}?$select=signInActivity`]: ok({ signInActivity: null }) });
    expect(facts.signIns).toEqual({ value: { lastInteractive: null, lastSuccessful: null, createdOn: "2024-01-01T00:00:00Z" } });
    expect(evaluate(snapshot({ entra: facts }), DEFAULT_POLICY).checks.find((check) => check.id === "recent-use")).toMatchObject({
      status: "warning",
      messageKey: "check_recentUse_never",
    });
  });

  it("no P1/P2: the sign-in checks are manual and say Graph's own code", async () => {
    const facts = await userFacts({
      [`/users/${USER}?$select=signInActivity`]: refused(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant"),
    });
    expect(facts.signIns).toEqual({
      problem: expect.stringContaining("Entra ID P1 or P2 in the tenant (Graph: Authentication_RequestFromNonPremiumTenantOrB2CTenant)"),
    });
    expect(facts.passwordExpiry).toEqual({ value: { expires: false, because: "domain-policy" } });
  });

  it("no AuditLog.Read.All: manual, naming the permission and Graph's code", async () => {
    const facts = await userFacts({ [`/users/${USER}?$select=signInActivity`]: refused(403, "Authorization_RequestDenied") });
    expect(facts.signIns).toEqual({
      problem: expect.stringMatching(/AuditLog\.Read\.All application permission.*\(Graph: Authorization_RequestDenied\)/),
    });
  });

  it("no Policy.Read.All: the MFA check is manual, naming it", async () => {
    const facts = await userFacts({ "/identity/conditionalAccess/policies": refused(403, "AccessDenied") });
    expect(facts.mfa).toEqual({ problem: expect.stringMatching(/Policy\.Read\.All.*\(Graph: AccessDenied\)/) });
  });

  it("security defaults count only while no Conditional Access policy applies; isEnabled false is not MFA", async () => {
    expect((await userFacts({})).mfa).toEqual({ value: { requiring: [], excludedFrom: [], securityDefaults: true } });
    const off = await userFacts({ "/policies/identitySecurityDefaultsEnforcementPolicy": ok({ isEnabled: false }) });
    expect(off.mfa).toEqual({ value: { requiring: [], excludedFrom: [], securityDefaults: false } });
  });

  it("roles hidden (no RoleManagement.Read.Directory): the MFA check is manual only when a policy names roles", async () => {
    const hidden = ok({ value: [{ "@odata.type": "#microsoft.graph.directoryRole", id: "r1", displayName: null, roleTemplateId: null }] });
    const byRole = ok({
      value: [
        {
          displayName: "Admins",
          state: "enabled",
          conditions: { users: { includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] }, applications: { includeApplications: ["All"] } },
          grantControls: { operator: "OR", builtInControls: ["mfa"] },
        },
      ],
    });
    const facts = await userFacts({ [`/users/${USER}/transitiveMemberOf`]: hidden, "/identity/conditionalAccess/policies": byRole });
    expect(facts.mfa).toEqual({ problem: expect.stringContaining("RoleManagement.Read.Directory") });
    expect(facts.directoryRoles).toEqual({ problem: expect.stringContaining("RoleManagement.Read.Directory") });
    expect((await userFacts({ [`/users/${USER}/transitiveMemberOf`]: hidden })).mfa).toMatchObject({ value: { securityDefaults: true } });
  });

  it("groups come back with their id only without a group permission, and still count for Conditional Access", async () => {
    const memberships = ok({
      value: [{ "@odata.type": "#microsoft.graph.group", id: "9A000000-0000-4000-8000-000000000002", displayName: null }],
    });
    const policies = ok({
      value: [
        {
          displayName: "MFA",
          state: "enabled",
          conditions: {
            users: { includeUsers: ["All"], excludeGroups: ["9a000000-0000-4000-8000-000000000002"] },
            applications: { includeApplications: ["All"] },
          },
          grantControls: { operator: "OR", builtInControls: ["mfa"] },
        },
      ],
    });
    const facts = await userFacts({ [`/users/${USER}/transitiveMemberOf`]: memberships, "/identity/conditionalAccess/policies": policies });
    expect(facts.mfa).toEqual({ value: { requiring: [], excludedFrom: [{ name: "MFA", reportOnly: false }], securityDefaults: true } });
    expect(facts.directoryRoles).toEqual({ value: [] });
  });

  it("keyCredentials used to sign tokens (usage Sign) are not sign-in credentials", async () => {
    const facts = await appFacts({
      [`/applications(appId='${APP}')?`]: ok({
        passwordCredentials: [],
        keyCredentials: [
          { displayName: "saml", usage: "Sign", endDateTime: "2025-01-01T00:00:00Z", startDateTime: "2024-01-01T00:00:00Z" },
          { displayName: "client", usage: "Verify", endDateTime: "2027-06-01T00:00:00Z", startDateTime: "2026-06-01T00:00:00Z" },
        ],
      }),
    });
    expect(facts.registration).toEqual({
      value: {
        kind: "registered",
        credentials: [{ type: "certificate", name: "client", startsOn: "2026-06-01T00:00:00Z", endsOn: "2027-06-01T00:00:00Z" }],
        federatedCredentialCount: 0,
        ownerCount: 1,
      },
    });
  });

  it("tells a managed identity, an app of another tenant and a missing app apart", async () => {
    const noApp = { [`/applications(appId='${APP}')?`]: refused(404, "Request_ResourceNotFound") };
    const managed = await appFacts({ ...noApp, [`/servicePrincipals(appId='${APP}')`]: ok({ servicePrincipalType: "ManagedIdentity" }) });
    expect(managed.registration).toEqual({ value: { kind: "managed-identity" } });
    expect((await appFacts(noApp)).registration).toEqual({ value: { kind: "other-tenant" } });
    const gone = await appFacts({ ...noApp, [`/servicePrincipals(appId='${APP}')`]: refused(404, "Request_ResourceNotFound") });
    expect(gone.registration).toEqual({
      problem: expect.stringMatching(/no app registration or service principal.*\(Graph: Request_ResourceNotFound\)/),
    });
    const denied = await appFacts({ [`/applications(appId='${APP}')?`]: refused(403, "Authorization_RequestDenied") });
    expect(denied.registration).toEqual({ problem: expect.stringContaining("Application.Read.All") });
  });

  it("sends no advanced query: no request needs ConsistencyLevel", async () => {
    const graph = fakeGraph();
    await read(graph, { users: [USER], applications: [APP] });
    expect(graph.urls.length).toBe(3 + 3 + 4);
    for (const url of graph.urls) expect(withAdvancedQueryParameters({ id: "x", url }).headers).toBeUndefined();
  });
});

describe("advanced queries", () => {
  it("get ConsistencyLevel: eventual and $count=true, in the item's own headers", () => {
    expect(
      withAdvancedQueryParameters({ id: "r", url: `/users/${USER}/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName` }),
    ).toEqual({
      id: "r",
      url: `/users/${USER}/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName&$count=true`,
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(withAdvancedQueryParameters({ id: "r", url: '/users?$search="displayName:svc"&$count=true' })).toMatchObject({
      url: '/users?$search="displayName:svc"&$count=true',
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(withAdvancedQueryParameters({ id: "r", url: `/users/${USER}?$select=id` })).toEqual({
      id: "r",
      url: `/users/${USER}?$select=id`,
    });
  });
});
