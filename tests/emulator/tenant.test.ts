import Fastify from "fastify";
import { ENVIRONMENTS_PATH } from "../../src/emulator/adminApi";
import { generateTenant } from "../../src/emulator/generateOrg";
import { ORG_ID, sampleOrg, USERS } from "../../src/emulator/sampleOrg";
import { EMULATOR_SERVER_OPTIONS, registerEmulator } from "../../src/emulator/server";
import { createTenant, FINANCE_ADMIN, objectIdOf, registerTenant, SAMPLE_ENVIRONMENTS } from "../../src/emulator/tenant";
import { BASE, ODATA_HEADERS, type Json } from "../support/emulator";
import { bearer, startTenantEmulator, type RunningTenant } from "../support/tenant";

const SERVICE_POWERAPPS = "https://service.powerapps.com/";

async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers: { ...ODATA_HEADERS, ...headers } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

describe("the tenant emulator", () => {
  let running: RunningTenant;
  beforeAll(async () => (running = await startTenantEmulator()));
  beforeEach(() => running.mounted.reset());
  afterAll(() => running.close());
  const webApi = (name: string, path: string, headers: Record<string, string> = {}) =>
    getJson(`${running.instanceUrl(name)}api/data/v9.2/${path}`, headers);

  describe("List environments", () => {
    it("lists every environment with its type and, where there is a Dataverse, its instance URL", async () => {
      const { status, headers, body } = await getJson(running.listUrl);
      expect(status).toBe(200);
      expect(headers.get("content-type")).toMatch(/^application\/json/);
      expect(body).not.toHaveProperty("nextLink");
      const byName = new Map((body.value as Json[]).map((environment) => [environment.name, environment]));
      expect([...byName.keys()]).toEqual(Object.values(SAMPLE_ENVIRONMENTS));
      expect(byName.get(SAMPLE_ENVIRONMENTS.default)).toMatchObject({
        id: `${ENVIRONMENTS_PATH}/${SAMPLE_ENVIRONMENTS.default}`,
        type: "Microsoft.BusinessAppPlatform/scopes/environments",
        properties: {
          displayName: "Contoso (default)",
          environmentSku: "Default",
          isDefault: true,
          provisioningState: "Succeeded",
          states: { management: { id: "Ready" }, runtime: { id: "Enabled" } },
          databaseType: "CommonDataService",
          linkedEnvironmentMetadata: {
            instanceUrl: running.instanceUrl(SAMPLE_ENVIRONMENTS.default),
            instanceApiUrl: `${running.url}/env/${SAMPLE_ENVIRONMENTS.default}`,
            instanceState: "Ready",
          },
        },
      });
      expect(
        [...byName.values()].map((environment): unknown[] => [environment.properties.displayName, environment.properties.environmentSku]),
      ).toEqual([
        ["Contoso (default)", "Default"],
        ["Contoso Test", "Sandbox"],
        ["Contoso Dev", "Developer"],
        ["Contoso Finance", "Production"],
        ["Teams only", "Production"],
      ]);
      const teamsOnly = byName.get(SAMPLE_ENVIRONMENTS.teamsOnly)!;
      expect(teamsOnly.properties).not.toHaveProperty("linkedEnvironmentMetadata");
      expect(teamsOnly.properties.databaseType).toBe("");
    });

    it("pages by nextLink, which keeps the query", async () => {
      const paged = await startTenantEmulator({ pageSize: 2 });
      try {
        const names: string[] = [];
        let next: string | undefined = `${paged.listUrl}&$expand=properties.capacity`;
        let pages = 0;
        while (next) {
          const { status, body } = await getJson(next);
          expect(status).toBe(200);
          names.push(...(body.value as Json[]).map((environment) => environment.name as string));
          next = body.nextLink as string | undefined;
          if (next) expect(next).toContain("expand=properties.capacity");
          pages++;
        }
        expect(pages).toBe(3);
        expect(names).toEqual(Object.values(SAMPLE_ENVIRONMENTS));
      } finally {
        await paged.close();
      }
    });

    it("takes a token for the Power Apps Service or api.bap.microsoft.com, and refuses others with 401", async () => {
      const admin = { oid: objectIdOf(USERS.admin), scp: "user_impersonation" };
      expect((await getJson(running.listUrl, bearer({ ...admin, aud: SERVICE_POWERAPPS }))).status).toBe(200);
      expect((await getJson(running.listUrl, bearer({ ...admin, aud: "https://api.bap.microsoft.com" }))).status).toBe(200);
      const dataverseToken = await getJson(running.listUrl, bearer({ ...admin, aud: running.url }));
      expect(dataverseToken.status).toBe(401);
      expect(dataverseToken.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(dataverseToken.body.error.code).toBe("InvalidAuthenticationTokenAudience");
      const expired = await getJson(running.listUrl, bearer({ ...admin, aud: SERVICE_POWERAPPS, exp: 1 }));
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe("ExpiredAuthenticationToken");
      expect((await getJson(running.listUrl, { authorization: "Bearer nonsense" })).status).toBe(401);
    });

    it("shows a user who is no Power Platform admin only the environments they administer", async () => {
      const { status, body } = await getJson(
        running.listUrl,
        bearer({ aud: SERVICE_POWERAPPS, oid: objectIdOf(USERS.salesNonAdmin), scp: "user_impersonation" }),
      );
      expect(status).toBe(200);
      expect((body.value as Json[]).map((environment) => environment.properties.displayName as string)).toEqual(["Contoso Dev"]);
    });

    it("refuses an application not registered as a management application with 403, and serves it once it is", async () => {
      const app = bearer({
        aud: SERVICE_POWERAPPS,
        appid: "0d000000-0000-4000-8000-0000000000aa",
        oid: "5f000000-0000-4000-8000-000000000001",
      });
      const refused = await getJson(running.listUrl, app);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toEqual({
        code: "Forbidden",
        message: expect.stringMatching(
          /^The service principal with id '5f000000-0000-4000-8000-000000000001' for application 0d000000-0000-4000-8000-0000000000aa does not have permission to access the path '.*\/scopes\/admin\/environments\?api-version=2020-10-01' in tenant /,
        ),
      });
      running.mounted.tenant.managementApps.add("0d000000-0000-4000-8000-0000000000aa");
      try {
        const served = await getJson(running.listUrl, app);
        expect(served.status).toBe(200);
        expect(served.body.value).toHaveLength(5);
        expect(running.mounted.tenant.requests.at(-1)).toMatchObject({ method: "GET", caller: "0d000000-0000-4000-8000-0000000000aa" });
      } finally {
        running.mounted.tenant.managementApps.clear();
      }
    });

    it("throttles with 429 and Retry-After when told to, then answers again", async () => {
      const set = await fetch(`${running.adminUrl}/_emulator/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: 429, retryAfter: 7, times: 2 }),
      });
      expect(set.status).toBe(201);
      for (let attempt = 0; attempt < 2; attempt++) {
        const throttled = await getJson(running.listUrl);
        expect(throttled.status).toBe(429);
        expect(throttled.headers.get("retry-after")).toBe("7");
        expect(throttled.body.error.code).toBe("TooManyRequests");
      }
      expect((await getJson(running.listUrl)).status).toBe(200);
    });

    it("needs the api-version it documents", async () => {
      const missing = await getJson(`${running.adminUrl}${ENVIRONMENTS_PATH}`);
      expect(missing.status).toBe(400);
      expect(missing.body.error.code).toBe("MissingApiVersionParameter");
      expect((await getJson(`${running.adminUrl}${ENVIRONMENTS_PATH}?api-version=1999-01-01`)).status).toBe(400);
    });
  });

  describe("each environment's Dataverse", () => {
    it("serves the Web API under the instance URL, each org its own", async () => {
      const organizationIds = new Set<string>();
      for (const name of [SAMPLE_ENVIRONMENTS.default, SAMPLE_ENVIRONMENTS.test, SAMPLE_ENVIRONMENTS.dev]) {
        const { status, body } = await webApi(name, "WhoAmI()");
        expect(status).toBe(200);
        expect(body).toMatchObject({
          UserId: USERS.admin,
          "@odata.context": expect.stringContaining(`/env/${name}/api/data/v9.2/$metadata#`),
        });
        organizationIds.add(body.OrganizationId as string);
      }
      expect(organizationIds.size).toBe(3);
      expect(organizationIds).not.toContain(ORG_ID);
    });

    it("answers a systemusers query with the environment's own users and links", async () => {
      const { status, body } = await webApi(
        SAMPLE_ENVIRONMENTS.dev,
        "systemusers?$select=fullname&$filter=accessmode eq 4&$orderby=fullname",
        {
          prefer: "odata.maxpagesize=1",
        },
      );
      expect(status).toBe(200);
      expect(body.value).toEqual([expect.objectContaining({ fullname: "Billing Export" })]);
      expect(body["@odata.nextLink"]).toMatch(new RegExp(`^${running.instanceUrl(SAMPLE_ENVIRONMENTS.dev)}api/data/v9.2/systemusers\\?`));
      const generated = await webApi(SAMPLE_ENVIRONMENTS.test, "systemusers?$select=fullname&$count=true&$top=1");
      expect(generated.body["@odata.count"]).toBeGreaterThan(50);
    });

    it("reports each environment's non-interactive quota and use", async () => {
      const resources = async (name: string) => (await webApi(name, "RetrieveOrganizationResources()")).body.OrganizationResources as Json;
      expect(await resources(SAMPLE_ENVIRONMENTS.test)).toMatchObject({
        CurrentNumberOfNonInteractiveUsers: 6,
        MaxNumberOfNonInteractiveUsers: 7,
      });
      expect(await resources(SAMPLE_ENVIRONMENTS.dev)).toMatchObject({
        CurrentNumberOfNonInteractiveUsers: 2,
        MaxNumberOfNonInteractiveUsers: 7,
      });
    });

    it("refuses the default caller in Contoso Finance, where they are no user, and serves a member's token", async () => {
      const refused = await webApi(SAMPLE_ENVIRONMENTS.finance, "WhoAmI()");
      expect(refused.status).toBe(403);
      expect(refused.body.error).toEqual({ code: "0x80072560", message: "The user is not a member of the organization." });
      const orgUrl = running.instanceUrl(SAMPLE_ENVIRONMENTS.finance).replace(/\/$/, "");
      const asAvery = await webApi(SAMPLE_ENVIRONMENTS.finance, "WhoAmI()", bearer({ aud: orgUrl, oid: objectIdOf(USERS.admin) }));
      expect(asAvery.status).toBe(403);
      const asFiona = await webApi(SAMPLE_ENVIRONMENTS.finance, "WhoAmI()", bearer({ aud: orgUrl, oid: objectIdOf(FINANCE_ADMIN) }));
      expect(asFiona.status).toBe(200);
      expect(asFiona.body.UserId).toBe(FINANCE_ADMIN);
    });

    it("takes a token only for the environment's own instance URL", async () => {
      const other = running.instanceUrl(SAMPLE_ENVIRONMENTS.test);
      const { status, body } = await webApi(SAMPLE_ENVIRONMENTS.dev, "WhoAmI()", bearer({ aud: other, oid: objectIdOf(USERS.admin) }));
      expect(status).toBe(401);
      expect(body.error.code).toBe("0x8005f101");
    });

    it("serves no Dataverse for an environment without one", async () => {
      const response = await fetch(`${running.url}/env/${SAMPLE_ENVIRONMENTS.teamsOnly}${BASE}WhoAmI()`);
      expect(response.status).toBe(404);
    });

    it("injects faults per environment under its instance path", async () => {
      await fetch(`${running.instanceUrl(SAMPLE_ENVIRONMENTS.test)}_emulator/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: 429, retryAfter: 3 }),
      });
      expect((await webApi(SAMPLE_ENVIRONMENTS.dev, "WhoAmI()")).status).toBe(200);
      const throttled = await webApi(SAMPLE_ENVIRONMENTS.test, "WhoAmI()");
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get("retry-after")).toBe("3");
    });
  });

  it("leaves the root org as it was beside the tenant", async () => {
    const app = Fastify(EMULATOR_SERVER_OPTIONS);
    const root = registerEmulator(app, { seed: sampleOrg, defaultCallerId: USERS.admin });
    const mounted = registerTenant(app, createTenant(), { graph: root.graph });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const patch = await fetch(`${url}/env/${SAMPLE_ENVIRONMENTS.default}${BASE}systemusers(${USERS.interactive})`, {
        method: "PATCH",
        headers: { ...ODATA_HEADERS, "content-type": "application/json" },
        body: JSON.stringify({ accessmode: 4 }),
      });
      expect(patch.status).toBe(204);
      expect(mounted.org("Contoso (default)").store.get("systemuser", USERS.interactive)?.accessmode).toBe(4);
      expect(root.store.get("systemuser", USERS.interactive)?.accessmode).toBe(0);
      const whoAmI = await getJson(`${url}${BASE}WhoAmI()`);
      expect(whoAmI.body).toMatchObject({
        OrganizationId: ORG_ID,
        "@odata.context": `${url}${BASE}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      });
      expect(root.requests.map((request) => request.path)).toEqual(["WhoAmI()"]);
      expect((await getJson(`${url}/graph/v1.0/users/${objectIdOf(USERS.admin)}?$select=accountEnabled`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("generates a bench tenant whose orgs are built only when reached", async () => {
    const bench = await startTenantEmulator({ environments: generateTenant({ environments: 100, usersPerEnvironment: 2000 }) });
    try {
      const { body } = await getJson(bench.listUrl);
      expect(body.value).toHaveLength(100);
      expect(body).not.toHaveProperty("nextLink");
      const fifth = body.value[4] as Json;
      const resources = await getJson(
        `${fifth.properties.linkedEnvironmentMetadata.instanceUrl as string}api/data/v9.2/systemusers?$count=true&$top=1`,
      );
      expect(resources.body["@odata.count"]).toBeGreaterThan(2000);
      const whoAmI = await getJson(`${fifth.properties.linkedEnvironmentMetadata.instanceUrl as string}api/data/v9.2/WhoAmI()`);
      expect(whoAmI.body.OrganizationId).toBe(fifth.properties.linkedEnvironmentMetadata.resourceId);
    } finally {
      await bench.close();
    }
  });
});
