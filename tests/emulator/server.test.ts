import { roleId, ROOT_BU, SALES_BU, USERS } from "../../src/emulator/sampleOrg";
import { asCaller, BASE, emulatorSuite, ODATA_HEADERS, type Json } from "../support/emulator";

describe("Dataverse Web API emulator", () => {
  const suite = emulatorSuite();
  const { get, send } = suite;
  const emulator = {
    get store() {
      return suite.running.emulator.store;
    },
  };

  describe("GET one row", () => {
    it("returns the selected columns, the primary key, the etag and formatted values", async () => {
      const { status, body } = await get(`systemusers(${USERS.compliant})?$select=fullname,accessmode,_businessunitid_value,isdisabled`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        "@odata.etag": expect.stringMatching(/^W\/"\d+"$/),
        systemuserid: USERS.compliant,
        fullname: "ERP Integration",
        accessmode: 4,
        "accessmode@OData.Community.Display.V1.FormattedValue": "Non-interactive",
        _businessunitid_value: ROOT_BU,
        "_businessunitid_value@OData.Community.Display.V1.FormattedValue": "Contoso",
        "_businessunitid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "businessunit",
        "isdisabled@OData.Community.Display.V1.FormattedValue": "Enabled",
      });
      expect(body).not.toHaveProperty("domainname");
    });

    it("leaves annotations out unless they are asked for", async () => {
      const { body } = await get(`systemusers(${USERS.compliant})?$select=accessmode`, { prefer: "" });
      expect(Object.keys(body).filter((k) => k.includes("@OData.Community"))).toEqual([]);
    });

    it("expands the user's roles with their business unit and root role", async () => {
      const { body } = await get(
        `systemusers(${USERS.wrongBusinessUnit})?$select=fullname&$expand=systemuserroles_association($select=roleid,name,_businessunitid_value,_parentrootroleid_value)`,
      );
      expect(body.systemuserroles_association).toEqual([
        expect.objectContaining({
          roleid: roleId("Integration Service Account", ROOT_BU),
          name: "Integration Service Account",
          _businessunitid_value: ROOT_BU,
          _parentrootroleid_value: roleId("Integration Service Account", ROOT_BU),
        }),
      ]);
    });

    it("answers 404 in Dataverse's shape for a missing row", async () => {
      const { status, body } = await get("systemusers(00000000-0000-4000-8000-000000000000)");
      expect(status).toBe(404);
      expect(body.error).toEqual({
        code: "0x80040217",
        message: "systemuser With Id = 00000000-0000-4000-8000-000000000000 Does Not Exist",
      });
    });

    it("refuses an unknown column with 400", async () => {
      const { status, body } = await get(`systemusers(${USERS.compliant})?$select=nosuchcolumn`);
      expect(status).toBe(400);
      expect(body.error.message).toContain("nosuchcolumn");
    });
  });

  describe("GET many", () => {
    it("filters with eq, and, string quotes and the lookup _value form", async () => {
      const filter = encodeURIComponent(`name eq 'Integration Service Account' and _businessunitid_value eq ${SALES_BU}`);
      const { body } = await get(`roles?$select=roleid,name&$filter=${filter}`);
      expect(body.value.map((r: { roleid: string }) => r.roleid)).toEqual([roleId("Integration Service Account", SALES_BU)]);
    });

    it("filters with or, ne, null and parentheses", async () => {
      const filter = encodeURIComponent(
        "accessmode eq 4 and applicationid eq null and (isdisabled eq true or internalemailaddress eq null)",
      );
      const { body } = await get(`systemusers?$select=fullname&$filter=${filter}`);
      expect(body.value.map((r: { fullname: string }) => r.fullname).sort()).toEqual(["Retired Sync", "Warehouse Feed"]);
      const ne = await get(`systemusers?$select=fullname&$filter=${encodeURIComponent("accessmode ne 0 and accessmode ne 4")}`);
      expect(ne.body.value).toHaveLength(2);
    });

    it("compares strings without case, like Dataverse", async () => {
      const { body } = await get(`roles?$select=name&$filter=${encodeURIComponent("name eq 'system administrator'")}`);
      expect(body.value).toHaveLength(2);
    });

    it("counts, tops and pages with odata.maxpagesize and @odata.nextLink", async () => {
      const first = await get("systemusers?$select=fullname&$count=true", { prefer: "odata.maxpagesize=5" });
      expect(first.body["@odata.count"]).toBe(15);
      expect(first.body.value).toHaveLength(5);
      expect(first.headers.get("preference-applied")).toBe("odata.maxpagesize=5");
      const names: string[] = first.body.value.map((r: { fullname: string }) => r.fullname);
      let next: string | undefined = first.body["@odata.nextLink"];
      while (next) {
        const page = await get(next.slice(next.indexOf(BASE) + BASE.length), { prefer: "odata.maxpagesize=5" });
        names.push(...page.body.value.map((r: { fullname: string }) => r.fullname));
        next = page.body["@odata.nextLink"];
      }
      expect(new Set(names).size).toBe(15);
      expect((await get("systemusers?$select=fullname&$top=3")).body.value).toHaveLength(3);
    });

    it("refuses a malformed filter with 400", async () => {
      const { status } = await get(`systemusers?$filter=${encodeURIComponent("accessmode eq")}`);
      expect(status).toBe(400);
    });
  });

  describe("PATCH a user", () => {
    it("updates with a matching If-Match and moves the version on", async () => {
      const before = await get(`systemusers(${USERS.interactive})?$select=accessmode`);
      const patch = await send("PATCH", `systemusers(${USERS.interactive})`, { accessmode: 4 }, { "if-match": before.body["@odata.etag"] });
      expect(patch.status).toBe(204);
      const after = await get(`systemusers(${USERS.interactive})?$select=accessmode`);
      expect(after.body.accessmode).toBe(4);
      expect(after.body["@odata.etag"]).not.toBe(before.body["@odata.etag"]);
    });

    it("answers 412 when the row changed since it was read", async () => {
      const { status, body } = await send("PATCH", `systemusers(${USERS.interactive})`, { accessmode: 4 }, { "if-match": 'W/"1"' });
      expect(status).toBe(412);
      expect(body?.error.code).toBe("0x80060882");
    });

    it("returns the row with Prefer: return=representation", async () => {
      const { status, body } = await send(
        "PATCH",
        `systemusers(${USERS.interactive})`,
        { accessmode: 4 },
        { prefer: "return=representation" },
      );
      expect(status).toBe(200);
      expect(body?.accessmode).toBe(4);
    });

    it("disables a user that leaves non-interactive mode", async () => {
      await send("PATCH", `systemusers(${USERS.compliant})`, { accessmode: 0 });
      expect((await get(`systemusers(${USERS.compliant})?$select=isdisabled`)).body.isdisabled).toBe(true);
    });

    it("refuses a switch to non-interactive past the maximum, with Dataverse's message", async () => {
      expect((await send("PATCH", `systemusers(${USERS.interactive})`, { accessmode: 4 })).status).toBe(204); // 7 of 7
      const refused = await send("PATCH", `systemusers(${USERS.interactiveWithServiceRole})`, { accessmode: 4 });
      expect(refused.status).toBe(400);
      expect(refused.body?.error).toEqual({ code: "0x8004b050", message: "You have reached the maximum number of non-interactive users." });
    });

    it("lets only a System Administrator change access mode", async () => {
      emulator.store.associate(USERS.salesNonAdmin, roleId("System Customizer", SALES_BU));
      const refused = await send("PATCH", `systemusers(${USERS.interactive})`, { accessmode: 4 }, asCaller(USERS.salesNonAdmin));
      expect(refused.status).toBe(403);
      expect(refused.body?.error.code).toBe("0x80040220"); // no prvWriteUser at all
    });

    it("answers 0x80048d2f to a caller who may write users but is no System Administrator", async () => {
      const writer = "0c0000ff-0000-4000-8000-000000000001";
      emulator.store.insert("role", { roleid: writer, name: "User Writer", businessunitid: SALES_BU, parentrootroleid: writer });
      emulator.store.setRolePrivileges(writer, [
        { name: "prvReadUser", depth: "Global" },
        { name: "prvWriteUser", depth: "Global" },
      ]);
      emulator.store.associate(USERS.salesNonAdmin, writer);
      const refused = await send("PATCH", `systemusers(${USERS.interactive})`, { accessmode: 4 }, asCaller(USERS.salesNonAdmin));
      expect(refused.status).toBe(403);
      expect(refused.body?.error.code).toBe("0x80048d2f");
      // The same caller may still change other columns.
      expect(
        (
          await send(
            "PATCH",
            `systemusers(${USERS.interactive})`,
            { internalemailaddress: "nora@contoso.com" },
            asCaller(USERS.salesNonAdmin),
          )
        ).status,
      ).toBe(204);
    });

    it("refuses a value outside the choice", async () => {
      expect((await send("PATCH", `systemusers(${USERS.interactive})`, { accessmode: 9 })).status).toBe(400);
    });
  });

  describe("role assignment", () => {
    const ref = (id: string) => ({ "@odata.id": `http://localhost${BASE}roles(${id})` });

    it("associates the copy in the user's business unit and disassociates it", async () => {
      const role = roleId("Integration Service Account", ROOT_BU);
      expect((await send("POST", `systemusers(${USERS.interactive})/systemuserroles_association/$ref`, ref(role))).status).toBe(204);
      expect(emulator.store.holds(USERS.interactive, role)).toBe(true);
      expect((await send("DELETE", `systemusers(${USERS.interactive})/systemuserroles_association(${role})/$ref`)).status).toBe(204);
      expect(emulator.store.holds(USERS.interactive, role)).toBe(false);
    });

    it("refuses a duplicate association with DuplicateRecord and 412, as Dataverse reports it", async () => {
      const { status, body } = await send(
        "POST",
        `systemusers(${USERS.compliant})/systemuserroles_association/$ref`,
        ref(roleId("Integration Service Account")),
      );
      expect(status).toBe(412);
      expect(body?.error.code).toBe("0x80040237");
    });

    it("refuses a role copy from another business unit (classic business units)", async () => {
      const { status, body } = await send(
        "POST",
        `systemusers(${USERS.interactive})/systemuserroles_association/$ref`,
        ref(roleId("Integration Service Account", SALES_BU)),
      );
      expect(status).toBe(400);
      // Not AttributePermissionUpdateIsMissingDuringUpdate (0x8004f507), a secured-column error.
      expect(body?.error.code).toBe("0x80040203");
    });

    it("refuses a non-admin caller with 403 0x80040220", async () => {
      const { status, body } = await send(
        "POST",
        `systemusers(${USERS.interactive})/systemuserroles_association/$ref`,
        ref(roleId("Integration Service Account")),
        asCaller(USERS.salesNonAdmin),
      );
      expect(status).toBe(403);
      expect(body?.error.message).toContain("prvAssignRole");
    });
  });

  describe("functions", () => {
    it("computes RetrieveOrganizationResources from the data, without application users", async () => {
      const { body } = await get("RetrieveOrganizationResources()");
      expect(body.OrganizationResources).toMatchObject({ CurrentNumberOfNonInteractiveUsers: 6, MaxNumberOfNonInteractiveUsers: 7 });
    });

    it("answers WhoAmI for the caller", async () => {
      expect((await get("WhoAmI()", asCaller(USERS.salesNonAdmin))).body).toMatchObject({
        UserId: USERS.salesNonAdmin,
        BusinessUnitId: SALES_BU,
      });
    });

    it("lists a user's privileges", async () => {
      const { body } = await get(`systemusers(${USERS.salesNonAdmin})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`);
      expect(body.RolePrivileges.map((p: { PrivilegeName: string }) => p.PrivilegeName)).toContain("prvReadUser");
      expect(body.RolePrivileges.map((p: { PrivilegeName: string }) => p.PrivilegeName)).not.toContain("prvWriteUser");
    });
  });

  describe("fault injection", () => {
    it("answers 429 with Retry-After once, then serves again", async () => {
      await fetch(`${suite.running.url}/_emulator/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ method: "GET", path: "^systemusers", status: 429, retryAfter: 2 }),
      });
      const throttled = await get(`systemusers(${USERS.compliant})`);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get("retry-after")).toBe("2");
      expect(throttled.body.error.code).toBe("0x80072322");
      expect((await get(`systemusers(${USERS.compliant})`)).status).toBe(200);
    });
  });

  describe("caching and conditional reads", () => {
    const userPath = `systemusers(${USERS.interactive})?$select=fullname&$expand=systemuserroles_association($select=name)`;

    it("gives a single-record read the row version as its ETag, with headers that let a browser keep it and revalidate", async () => {
      const { status, headers, body } = await get(userPath);
      expect(status).toBe(200);
      expect(headers.get("etag")).toBe(body["@odata.etag"]);
      expect(headers.get("cache-control")).toBe("no-cache");
    });

    it("answers a matching If-None-Match with 304, and If-None-Match: null with the row", async () => {
      const etag = (await get(userPath)).headers.get("etag") ?? "";
      const conditional = await fetch(suite.running.url + BASE + userPath, { headers: { ...ODATA_HEADERS, "if-none-match": etag } });
      expect(conditional.status).toBe(304);
      const bypass = await fetch(suite.running.url + BASE + userPath, { headers: { ...ODATA_HEADERS, "if-none-match": "null" } });
      expect(bypass.status).toBe(200);
    });

    it("does not move the user's row version when a role is associated or removed, so an expanded read revalidates stale", async () => {
      const before = (await get(userPath)).headers.get("etag");
      const role = roleId("Integration Service Account");
      expect(
        (
          await send("POST", `systemusers(${USERS.interactive})/systemuserroles_association/$ref`, {
            "@odata.id": `${suite.running.url}${BASE}roles(${role})`,
          })
        ).status,
      ).toBe(204);
      expect((await get(userPath)).headers.get("etag")).toBe(before);
      const conditional = await fetch(suite.running.url + BASE + userPath, {
        headers: { ...ODATA_HEADERS, "if-none-match": before ?? "" },
      });
      expect(conditional.status).toBe(304);
      expect((await send("DELETE", `systemusers(${USERS.interactive})/systemuserroles_association(${role})/$ref`)).status).toBe(204);
      expect((await get(userPath)).headers.get("etag")).toBe(before);
    });

    it("gives collections no ETag to revalidate against", async () => {
      const { headers } = await get("roles?$select=name&$top=1");
      expect(headers.get("etag")).toBeNull();
    });
  });

  describe("filtering on the users-roles relationship", () => {
    const rolesOf = (userId: string) =>
      get(`roles?$select=roleid,name&$filter=systemuserroles_association/any(u:u/systemuserid eq ${userId})`).then(({ body }) =>
        (body.value as Json[]).map((row) => row.name as string).sort(),
      );

    it("lists the roles a user holds with any(), and sees an association at once", async () => {
      expect(await rolesOf(USERS.forbiddenRole)).toContain("System Administrator");
      expect(await rolesOf(USERS.interactive)).toEqual([]);
      const role = roleId("Integration Service Account");
      await send("POST", `systemusers(${USERS.interactive})/systemuserroles_association/$ref`, {
        "@odata.id": `${suite.running.url}${BASE}roles(${role})`,
      });
      expect(await rolesOf(USERS.interactive)).toEqual(["Integration Service Account"]);
    });

    it("filters users by their roles from the other side, and all() too", async () => {
      const { body } = await get(
        `systemusers?$select=systemuserid&$filter=systemuserroles_association/any(r:r/name eq 'System Administrator')`,
      );
      expect((body.value as Json[]).map((row) => String(row.systemuserid))).toContain(USERS.admin);
      const none = await get(
        `systemusers?$select=systemuserid&$filter=systemuserroles_association/all(r:r/name eq 'No such role') and systemuserroles_association/any()`,
      );
      expect(none.body.value).toEqual([]);
    });

    it("refuses a lambda over something that is not a collection-valued navigation property", async () => {
      expect((await get("roles?$filter=businessunitid/any(b:b/name eq 'x')")).status).toBe(400);
    });
  });

  describe("messages in the caller's language", () => {
    it("words errors in French for a caller whose usersettings.uilanguageid is 1036, with the same code", async () => {
      emulator.store.insert("usersettings", { systemuserid: USERS.salesNonAdmin, uilanguageid: 1036 });
      const { status, body } = await send("PATCH", `systemusers(${USERS.interactive})`, { accessmode: 4 }, asCaller(USERS.salesNonAdmin));
      expect(status).toBe(403);
      expect(body?.error.code).toBe("0x80040220");
      expect(body?.error.message).toContain("Il manque le privilège prvWriteUser");
      const english = await get("systemusers(00000000-0000-4000-8000-000000000000)?$select=fullname");
      expect(english.body.error.message).toBe("systemuser With Id = 00000000-0000-4000-8000-000000000000 Does Not Exist");
    });

    it("words the limit refusal in French too, with no code of its own", async () => {
      emulator.store.insert("usersettings", { systemuserid: USERS.admin, uilanguageid: 1036 });
      emulator.store.update("systemuser", USERS.interactive, { accessmode: 4 }); // 7 of 7
      const { status, body } = await send("PATCH", `systemusers(${USERS.interactiveWithServiceRole})`, { accessmode: 4 });
      expect(status).toBe(400);
      expect(body?.error.message).toBe("Vous avez atteint le nombre maximal d'utilisateurs non interactifs.");
    });
  });
});
