import { DIRECTORY_ROLES, GRAPH_PATH, SAMPLE_GROUPS } from "../../src/emulator/graphEmulator";
import { DATAVERSE_ADMINS_GROUP, USERS } from "../../src/emulator/sampleOrg";
import { emulatorSuite, type Json } from "../support/emulator";
import { daysAgo, graphBatch, graphGet, objectId } from "./graphSupport";

const USER_SELECT =
  "accountEnabled,passwordPolicies,assignedLicenses,userPrincipalName,userType,createdDateTime,lastPasswordChangeDateTime";
const MEMBERSHIPS = "transitiveMemberOf?$select=id,displayName,roleTemplateId";
const DATA_PLATFORM_APP = "0d000000-0000-4000-8000-000000000001";
const ROLE_MANAGER_APP = "0d000000-0000-4000-8000-000000000002";
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const DENIED = { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } };
const UNSUPPORTED = { error: { code: "Request_UnsupportedQuery", message: "Unsupported Query." } };

describe("the Graph emulator's resources", () => {
  const suite = emulatorSuite();
  const get = (path: string, headers: Record<string, string> = {}) => graphGet(suite.running, path, headers);
  const graph = () => suite.running.emulator.graph;

  describe("users/{id}", () => {
    it("answers the selected properties, with dates relative to the seed written as Graph writes them", async () => {
      const { status, body } = await get(`users/${objectId(USERS.compliant)}?$select=${USER_SELECT}`);
      expect(status).toBe(200);
      expect(body).toEqual({
        accountEnabled: true,
        passwordPolicies: "DisablePasswordExpiration",
        assignedLicenses: [],
        userPrincipalName: "svc-erp@contoso.com",
        userType: "Member",
        createdDateTime: expect.stringMatching(ISO),
        lastPasswordChangeDateTime: expect.stringMatching(ISO),
      });
      expect(daysAgo(body.createdDateTime)).toBe(400);
      expect(daysAgo(body.lastPasswordChangeDateTime)).toBe(200);
      expect(
        daysAgo((await get(`users/${objectId(USERS.noEmail)}?$select=lastPasswordChangeDateTime`)).body.lastPasswordChangeDateTime),
      ).toBe(500);
    });

    it("answers 404 Request_ResourceNotFound for a user deleted from Entra and for an unknown id", async () => {
      for (const id of [objectId(USERS.disabled), "00000000-0000-4000-8000-0000000000ff"]) {
        const { status, body } = await get(`users/${id}?$select=accountEnabled`);
        expect(status).toBe(404);
        expect(body.error).toEqual({
          code: "Request_ResourceNotFound",
          message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
        });
      }
    });

    it("refuses an unknown $select property with 400 naming the type", async () => {
      const { status, body } = await get(`users/${objectId(USERS.compliant)}?$select=mobilePhone2`);
      expect(status).toBe(400);
      expect(body.error.message).toBe("Could not find a property named 'mobilePhone2' on type 'microsoft.graph.user'.");
    });

    it("answers 403 without User.Read.All", async () => {
      graph().permissions.delete("User.Read.All");
      const { status, body } = await get(`users/${objectId(USERS.compliant)}?$select=${USER_SELECT}`);
      expect({ status, body }).toEqual({ status: 403, body: DENIED });
    });
  });

  describe("signInActivity", () => {
    const signIns = async (systemUserId: string) => {
      const { status, body } = await get(`users/${objectId(systemUserId)}?$select=signInActivity`);
      expect(status).toBe(200);
      return body.signInActivity as Json;
    };

    it("has every documented property: interactive, non-interactive and successful sign-ins with their request ids", async () => {
      const activity = await signIns(USERS.admin);
      expect(Object.keys(activity).sort()).toEqual(
        [
          "lastNonInteractiveSignInDateTime",
          "lastNonInteractiveSignInRequestId",
          "lastSignInDateTime",
          "lastSignInRequestId",
          "lastSuccessfulSignInDateTime",
          "lastSuccessfulSignInRequestId",
        ].sort(),
      );
      expect(daysAgo(activity.lastSignInDateTime)).toBe(1);
      expect(activity.lastSignInRequestId).toEqual(expect.any(String));
    });

    it("tells each sample scenario: non-interactive, signed in to as a person, unused", async () => {
      const compliant = await signIns(USERS.compliant);
      expect(compliant.lastSignInDateTime).toBeNull();
      expect(compliant.lastSignInRequestId).toBeNull();
      expect(daysAgo(compliant.lastNonInteractiveSignInDateTime)).toBe(1);
      expect(daysAgo(compliant.lastSuccessfulSignInDateTime)).toBe(1);

      expect(daysAgo((await signIns(USERS.wrongBusinessUnit)).lastSignInDateTime)).toBe(3);

      const unused = await signIns(USERS.forbiddenRole);
      expect(unused.lastSignInDateTime).toBeNull();
      expect(daysAgo(unused.lastNonInteractiveSignInDateTime)).toBe(200);
      expect(daysAgo(unused.lastSuccessfulSignInDateTime)).toBe(200);
    });

    it("is null for a user who never signed in", async () => {
      graph().tenant.users.get(objectId(USERS.compliant))!.signInActivity = null;
      expect((await get(`users/${objectId(USERS.compliant)}?$select=signInActivity`)).body).toEqual({ signInActivity: null });
    });

    it("needs AuditLog.Read.All besides User.Read.All", async () => {
      graph().permissions.delete("AuditLog.Read.All");
      const { status, body } = await get(`users/${objectId(USERS.compliant)}?$select=signInActivity`);
      expect({ status, body }).toEqual({ status: 403, body: DENIED });
      expect((await get(`users/${objectId(USERS.compliant)}?$select=${USER_SELECT}`)).status).toBe(200);
    });

    it("needs Microsoft Entra ID P1 or P2: a tenant without it gets Graph's 403, other properties still read", async () => {
      graph().tenant.premium = false;
      const { status, body } = await get(`users/${objectId(USERS.compliant)}?$select=signInActivity`);
      expect(status).toBe(403);
      expect(body).toEqual({
        error: {
          code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
          message: "Neither tenant is B2C or tenant doesn't have premium license",
        },
      });
      expect((await get(`users/${objectId(USERS.compliant)}?$select=${USER_SELECT}`)).status).toBe(200);
    });
  });

  describe("transitiveMemberOf", () => {
    it("lists directory roles and groups, direct and nested, each with its type and only its type's properties", async () => {
      graph().permissions.add("GroupMember.Read.All");
      const marketing = await get(`users/${objectId(USERS.compliantMarketing)}/${MEMBERSHIPS}`);
      expect(marketing.status).toBe(200);
      expect(marketing.body.value).toEqual(
        expect.arrayContaining([
          { "@odata.type": "#microsoft.graph.group", id: SAMPLE_GROUPS.mfaExempt, displayName: "Integration accounts – MFA exempt" },
          { "@odata.type": "#microsoft.graph.group", id: SAMPLE_GROUPS.allIntegrationAccounts, displayName: "All integration accounts" },
          { "@odata.type": "#microsoft.graph.group", id: DATAVERSE_ADMINS_GROUP, displayName: "Dataverse Admins" },
        ]),
      );
      expect(marketing.body.value).toHaveLength(3);
      expect(marketing.body["@odata.nextLink"]).toBeUndefined();

      const admin = await get(`users/${objectId(USERS.admin)}/${MEMBERSHIPS}`);
      expect(admin.body.value).toEqual([
        {
          "@odata.type": "#microsoft.graph.directoryRole",
          id: DIRECTORY_ROLES["Global Administrator"],
          displayName: "Global Administrator",
          roleTemplateId: DIRECTORY_ROLES["Global Administrator"],
        },
      ]);
    });

    it("includes roles held through a role-assignable group", async () => {
      graph().tenant.groups.get(SAMPLE_GROUPS.allIntegrationAccounts)!.directoryRoles.push("Service Support Administrator");
      const { body } = await get(`users/${objectId(USERS.compliantMarketing)}/${MEMBERSHIPS}`);
      expect(body.value).toContainEqual(expect.objectContaining({ displayName: "Service Support Administrator" }));
    });

    it("gives groups with type and id only without a group permission (the product's least privilege)", async () => {
      const { body } = await get(`users/${objectId(USERS.compliantMarketing)}/${MEMBERSHIPS}`);
      expect(body.value).toContainEqual({ "@odata.type": "#microsoft.graph.group", id: SAMPLE_GROUPS.mfaExempt, displayName: null });
    });

    it("gives directory roles with type and id only without RoleManagement.Read.Directory", async () => {
      graph().permissions.delete("RoleManagement.Read.Directory");
      const { body } = await get(`users/${objectId(USERS.admin)}/${MEMBERSHIPS}`);
      expect(body.value).toEqual([
        {
          "@odata.type": "#microsoft.graph.directoryRole",
          id: DIRECTORY_ROLES["Global Administrator"],
          displayName: null,
          roleTemplateId: null,
        },
      ]);
    });

    it("answers 100 objects a page with an absolute next link on the emulator's origin", async () => {
      const user = graph().tenant.users.get(objectId(USERS.compliant))!;
      for (let n = 0; n < 150; n++) {
        const id = `9b000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
        graph().tenant.groups.set(id, { id, displayName: `Group ${n}`, memberOf: [], directoryRoles: [] });
        user.groups.push(id);
      }
      const first = await get(`users/${objectId(USERS.compliant)}/${MEMBERSHIPS}`);
      expect(first.body.value).toHaveLength(100);
      const next: string = first.body["@odata.nextLink"];
      expect(next.startsWith(`${suite.running.url}${GRAPH_PATH}/users/${objectId(USERS.compliant)}/transitiveMemberOf?`)).toBe(true);
      expect(new URL(next).searchParams.get("$skiptoken")).toEqual(expect.any(String));
      expect(new URL(next).searchParams.get("$select")).toBe("id,displayName,roleTemplateId");

      const second = await get(next);
      expect(second.body.value).toHaveLength(50);
      expect(second.body["@odata.nextLink"]).toBeUndefined();
      const ids = [...first.body.value, ...second.body.value].map((each: { id: string }) => each.id);
      expect(new Set(ids).size).toBe(150);
    });

    it("takes $top as the page size (1 to 999) and refuses a token it did not give", async () => {
      const first = await get(`users/${objectId(USERS.compliantMarketing)}/${MEMBERSHIPS}&$top=2`);
      expect(first.body.value).toHaveLength(2);
      expect((await get(first.body["@odata.nextLink"] as string)).body.value).toHaveLength(1);
      expect((await get(`users/${objectId(USERS.compliantMarketing)}/${MEMBERSHIPS}&$top=1000`)).status).toBe(400);
      expect((await get(`users/${objectId(USERS.compliantMarketing)}/${MEMBERSHIPS}&$skiptoken=nonsense`)).status).toBe(400);
    });

    it("refuses $count without ConsistencyLevel: eventual", async () => {
      const { status, body } = await get(`users/${objectId(USERS.admin)}/${MEMBERSHIPS}&$count=true`);
      expect({ status, body }).toEqual({ status: 400, body: UNSUPPORTED });
    });
  });

  describe("OData casts on transitiveMemberOf (advanced queries)", () => {
    const cast = (type: string, query: string) =>
      `users/${objectId(USERS.compliantMarketing)}/transitiveMemberOf/microsoft.graph.${type}?${query}`;
    const EVENTUAL = { ConsistencyLevel: "eventual" };

    it.each([
      ["without ConsistencyLevel", "$select=id&$count=true", {}],
      ["without $count", "$select=id", EVENTUAL],
      ["with $count=false", "$select=id&$count=false", EVENTUAL],
    ])("refuses a cast %s with Request_UnsupportedQuery", async (_label, query, headers) => {
      const { status, body } = await get(cast("group", query), headers);
      expect({ status, body }).toEqual({ status: 400, body: UNSUPPORTED });
    });

    it("serves the cast with both, filtered to the type and counted", async () => {
      const groups = await get(cast("group", "$select=id&$count=true"), EVENTUAL);
      expect(groups.status).toBe(200);
      expect(groups.body["@odata.count"]).toBe(3);
      expect(groups.body.value.every((each: Record<string, string>) => each["@odata.type"] === "#microsoft.graph.group")).toBe(true);

      const roles = await get(
        `users/${objectId(USERS.admin)}/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName&$count=true`,
        EVENTUAL,
      );
      expect(roles.body).toEqual({
        "@odata.count": 1,
        value: [{ "@odata.type": "#microsoft.graph.directoryRole", displayName: "Global Administrator" }],
      });
    });

    it("in a batch, honours ConsistencyLevel only from the item's own headers", async () => {
      const url = `/${cast("directoryRole", "$select=id&$count=true")}`;
      const batch = await graphBatch(suite.running, [
        { id: "bare", method: "GET", url },
        { id: "eventual", method: "GET", url, headers: EVENTUAL },
        { id: "noCount", method: "GET", url: `/${cast("directoryRole", "$select=id")}`, headers: EVENTUAL },
      ]);
      expect(batch.status).toBe(200);
      expect(batch.item("bare")).toMatchObject({ status: 400, body: UNSUPPORTED });
      expect(batch.item("noCount")).toMatchObject({ status: 400, body: UNSUPPORTED });
      expect(batch.item("eventual")).toMatchObject({ status: 200, body: { "@odata.count": 0, value: [] } });
    });
  });

  describe("domains", () => {
    it("answers the password validity (90 days in the sample), and 403 without Domain.Read.All", async () => {
      expect((await get("domains?$select=id,passwordValidityPeriodInDays")).body.value).toContainEqual({
        id: "contoso.com",
        passwordValidityPeriodInDays: 90,
      });
      graph().permissions.delete("Domain.Read.All");
      expect((await get("domains?$select=id,passwordValidityPeriodInDays")).status).toBe(403);
    });
  });

  describe("Conditional Access and security defaults", () => {
    const POLICIES = "identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls";

    it("lists the sample tenant's policies in Graph's shape", async () => {
      const { status, body } = await get(POLICIES);
      expect(status).toBe(200);
      const byName = Object.fromEntries(body.value.map((policy: { displayName: string }) => [policy.displayName, policy]));
      expect(Object.keys(byName)).toEqual([
        "Require MFA for all users",
        "Require phishing-resistant MFA for admins",
        "Block legacy authentication",
      ]);
      expect(Object.keys(byName["Require MFA for all users"]).sort()).toEqual([
        "conditions",
        "displayName",
        "grantControls",
        "id",
        "state",
      ]);
      expect(byName["Require MFA for all users"]).toMatchObject({
        state: "enabled",
        conditions: {
          users: {
            includeUsers: ["All"],
            excludeUsers: [objectId(USERS.admin)],
            includeGroups: [],
            excludeGroups: [SAMPLE_GROUPS.mfaExempt],
            includeRoles: [],
            excludeRoles: [],
          },
          applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [] },
          clientAppTypes: ["all"],
          locations: null,
          platforms: null,
          signInRiskLevels: [],
          userRiskLevels: [],
        },
        grantControls: { operator: "OR", builtInControls: ["mfa"], authenticationStrength: null },
      });
      expect(byName["Require phishing-resistant MFA for admins"]).toMatchObject({
        state: "enabledForReportingButNotEnforced",
        conditions: { users: { includeUsers: [], includeRoles: [DIRECTORY_ROLES["Global Administrator"]] } },
        grantControls: {
          builtInControls: [],
          authenticationStrength: { id: "00000000-0000-0000-0000-000000000004", displayName: "Phishing-resistant MFA" },
        },
      });
      expect(byName["Block legacy authentication"]).toMatchObject({
        state: "enabled",
        conditions: { clientAppTypes: ["exchangeActiveSync", "other"] },
        grantControls: { builtInControls: ["block"] },
      });
    });

    it("answers Conditional Access's own 403 without Policy.Read.All", async () => {
      graph().permissions.delete("Policy.Read.All");
      const { status, body } = await get(POLICIES);
      expect(status).toBe(403);
      expect(body.error).toEqual({
        code: "AccessDenied",
        message: "You cannot perform the requested operation, required scopes are missing in the token.",
      });
      expect((await get("policies/identitySecurityDefaultsEnforcementPolicy?$select=isEnabled")).body).toEqual(DENIED);
    });

    it("lists no policy in a tenant without Microsoft Entra ID P1", async () => {
      graph().tenant.premium = false;
      expect((await get(POLICIES)).body).toEqual({ value: [] });
    });

    it("answers security defaults (off in the sample, which uses Conditional Access)", async () => {
      expect((await get("policies/identitySecurityDefaultsEnforcementPolicy?$select=isEnabled")).body).toEqual({ isEnabled: false });
      graph().tenant.securityDefaultsEnabled = true;
      const { body } = await get("policies/identitySecurityDefaultsEnforcementPolicy");
      expect(body).toMatchObject({ id: "00000000-0000-0000-0000-000000000005", displayName: "Security Defaults", isEnabled: true });
      expect(body.description).toEqual(expect.any(String));
    });
  });

  describe("app registrations and service principals", () => {
    const app = (appId: string) => `applications(appId='${appId}')`;

    it("answers an app registration's credentials, with secretText null", async () => {
      const { status, body } = await get(`${app(DATA_PLATFORM_APP)}?$select=id,appId,displayName,passwordCredentials,keyCredentials`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ appId: DATA_PLATFORM_APP, displayName: "# Data Platform App", keyCredentials: [] });
      expect(body.passwordCredentials).toEqual([
        {
          keyId: expect.any(String),
          displayName: expect.any(String),
          hint: expect.any(String),
          startDateTime: expect.stringMatching(ISO),
          endDateTime: expect.stringMatching(ISO),
          secretText: null,
        },
      ]);
      expect(daysAgo(body.passwordCredentials[0].startDateTime)).toBe(100);
      expect(daysAgo(body.passwordCredentials[0].endDateTime)).toBe(-265);

      const roleManager = await get(`${app(ROLE_MANAGER_APP)}?$select=passwordCredentials`);
      expect(daysAgo(roleManager.body.passwordCredentials[0].endDateTime)).toBe(-10);
    });

    it("accepts the appId key percent-encoded", async () => {
      expect((await get(`applications(appId=%27${DATA_PLATFORM_APP}%27)?$select=id`)).status).toBe(200);
    });

    it("lists owners (the admin owns the Data Platform App; nobody the Role Manager App) and federated credentials", async () => {
      expect((await get(`${app(DATA_PLATFORM_APP)}/owners?$select=id`)).body).toEqual({
        value: [{ "@odata.type": "#microsoft.graph.user", id: objectId(USERS.admin) }],
      });
      expect((await get(`${app(ROLE_MANAGER_APP)}/owners?$select=id`)).body).toEqual({ value: [] });
      expect((await get(`${app(DATA_PLATFORM_APP)}/federatedIdentityCredentials?$select=id,name,issuer,subject`)).body).toEqual({
        value: [],
      });

      graph()
        .tenant.applications.get(DATA_PLATFORM_APP)!
        .federatedIdentityCredentials.push({
          id: "f1000000-0000-4000-8000-000000000001",
          name: "github-main",
          issuer: "https://token.actions.githubusercontent.com",
          subject: "repo:contoso/erp:ref:refs/heads/main",
          audiences: ["api://AzureADTokenExchange"],
          description: null,
        });
      expect((await get(`${app(DATA_PLATFORM_APP)}/federatedIdentityCredentials?$select=id,name,issuer,subject`)).body.value).toEqual([
        {
          id: "f1000000-0000-4000-8000-000000000001",
          name: "github-main",
          issuer: "https://token.actions.githubusercontent.com",
          subject: "repo:contoso/erp:ref:refs/heads/main",
        },
      ]);
    });

    it("answers the service principal, and 404 for an app registered nowhere in the tenant (a managed identity)", async () => {
      expect(
        (await get(`servicePrincipals(appId='${DATA_PLATFORM_APP}')?$select=id,appId,servicePrincipalType,appOwnerOrganizationId`)).body,
      ).toEqual({
        id: objectId(USERS.applicationUser),
        appId: DATA_PLATFORM_APP,
        servicePrincipalType: "Application",
        appOwnerOrganizationId: graph().tenant.id,
      });
      const identity = "0d000000-0000-4000-8000-0000000000aa";
      graph().tenant.servicePrincipals.set(identity, {
        id: "5b000000-0000-4000-8000-0000000000aa",
        appId: identity,
        displayName: "func-erp",
        servicePrincipalType: "ManagedIdentity",
        appOwnerOrganizationId: "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
      });
      expect((await get(`servicePrincipals(appId='${identity}')?$select=servicePrincipalType`)).body).toEqual({
        servicePrincipalType: "ManagedIdentity",
      });
      for (const path of [
        `${app(identity)}?$select=id`,
        `${app(identity)}/owners?$select=id`,
        `${app(identity)}/federatedIdentityCredentials?$select=id`,
      ]) {
        const { status, body } = await get(path);
        expect(status).toBe(404);
        expect(body.error.code).toBe("Request_ResourceNotFound");
      }
      expect((await get(`servicePrincipals(appId='0d000000-0000-4000-8000-0000000000bb')?$select=id`)).status).toBe(404);
    });

    it("answers 403 on each without Application.Read.All", async () => {
      graph().permissions.delete("Application.Read.All");
      for (const path of [
        `${app(DATA_PLATFORM_APP)}?$select=id`,
        `${app(DATA_PLATFORM_APP)}/owners?$select=id`,
        `${app(DATA_PLATFORM_APP)}/federatedIdentityCredentials?$select=id`,
        `servicePrincipals(appId='${DATA_PLATFORM_APP}')?$select=id`,
      ])
        expect(await get(path)).toMatchObject({ status: 403, body: DENIED });
    });
  });

  describe("batching and throttling", () => {
    it("throttles each item of a batch on its own, with Retry-After", async () => {
      graph().throttle.unitsPer10s = 2;
      const url = `/users/${objectId(USERS.compliant)}?$select=accountEnabled`;
      const batch = await graphBatch(suite.running, [
        { id: "1", method: "GET", url },
        { id: "2", method: "GET", url: "/domains?$select=id" },
        { id: "3", method: "GET", url },
      ]);
      expect([1, 2, 3].map((id) => batch.item(String(id)).status as number)).toEqual([200, 200, 429]);
      expect(batch.item("3").headers["Retry-After"]).toMatch(/^\d+$/);
      expect(graph().calls).toEqual([{ method: "POST", path: "/$batch", items: 3 }]);
    });

    it("refuses more than 20 requests in a batch", async () => {
      const requests = Array.from({ length: 21 }, (_, n) => ({ id: String(n), method: "GET", url: "/domains" }));
      expect((await graphBatch(suite.running, requests)).status).toBe(400);
    });

    it("starts again from the seed on reset: permissions, premium, tenant, shapes", async () => {
      graph().permissions.delete("Policy.Read.All");
      graph().tenant.premium = false;
      await get("domains");
      suite.running.emulator.reset();
      expect(graph().permissions.has("Policy.Read.All")).toBe(true);
      expect(graph().tenant.premium).toBe(true);
      expect(graph().shapes.size).toBe(0);
    });
  });
});
