import { generateOrg } from "../../src/emulator/generateOrg";
import { SDKMESSAGEPROCESSINGSTEP } from "../../src/emulator/metadata";
import { PLUGIN_STEPS, sampleOrg, USERS } from "../../src/emulator/sampleOrg";
import { OrgStore } from "../../src/emulator/store";
import { asCaller, emulatorSuite, type Json } from "../support/emulator";

/** What runs as a user: processes, plug-in steps, connection references and user access audit (docs/dataverse-emulator-usage.md). */
describe("the emulator's usage tables", () => {
  const suite = emulatorSuite(() => sampleOrg({ pluginSteps: true }));
  const { get } = suite;
  const store = () => suite.running.emulator.store;
  const PAGED = { prefer: 'odata.include-annotations="*",odata.maxpagesize=500' };
  const ERP = USERS.compliant;
  const values = (body: Json) => body.value as Record<string, unknown>[];

  describe("the product's reads", () => {
    it("lists the process definitions a user owns, with formatted choices", async () => {
      const { status, body } = await get(
        `workflows?$select=workflowid,name,category,statecode,type&$filter=_ownerid_value eq ${ERP} and type eq 1&$orderby=name`,
        PAGED,
      );
      expect(status).toBe(200);
      const rows = values(body);
      expect(rows).toHaveLength(15);
      expect(rows.map((row) => row.name)).toEqual([...rows.map((row) => String(row.name))].sort((a, b) => a.localeCompare(b)));
      expect(rows.filter((row) => row.category === 5)).toHaveLength(12);
      expect(rows.filter((row) => row.category === 5 && row.statecode === 1)).toHaveLength(9);
      expect(rows.find((row) => row.name === "Sync orders to ERP")).toMatchObject({
        "@odata.etag": expect.stringMatching(/^W\/"\d+"$/),
        category: 5,
        "category@OData.Community.Display.V1.FormattedValue": "Modern Flow",
        statecode: 1,
        "statecode@OData.Community.Display.V1.FormattedValue": "Activated",
        type: 1,
        "type@OData.Community.Display.V1.FormattedValue": "Definition",
      });
      // An activated classic workflow also has an activation record (type 2), which the filter leaves out.
      const all = await get(`workflows?$select=name,type&$filter=_ownerid_value eq ${ERP}`);
      expect(values(all.body).filter((row) => row.type === 2)).toHaveLength(2);
    });

    it("gives the owner lookup its formatted value and table", async () => {
      const { body } = await get(`workflows?$select=name,_ownerid_value&$filter=name eq 'Sync orders to ERP'`);
      expect(values(body)[0]).toMatchObject({
        _ownerid_value: ERP,
        "_ownerid_value@OData.Community.Display.V1.FormattedValue": "ERP Integration",
        "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "systemuser",
      });
    });

    it("lists the plug-in steps that impersonate a user, with their handler and message", async () => {
      const { status, body } = await get(
        `sdkmessageprocessingsteps?$select=sdkmessageprocessingstepid,name,statecode,stage,mode,_eventhandler_value,_sdkmessageid_value&$filter=_impersonatinguserid_value eq ${ERP}&$orderby=name`,
        PAGED,
      );
      expect(status).toBe(200);
      expect(values(body)).toEqual([
        expect.objectContaining({
          sdkmessageprocessingstepid: PLUGIN_STEPS.creditCheck,
          name: "Contoso.Erp.Plugins.CreditCheck: Update of account",
          statecode: 1,
          "statecode@OData.Community.Display.V1.FormattedValue": "Disabled",
          stage: 20,
          "stage@OData.Community.Display.V1.FormattedValue": "Pre-operation",
          mode: 0,
          "mode@OData.Community.Display.V1.FormattedValue": "Synchronous",
          "_eventhandler_value@OData.Community.Display.V1.FormattedValue": "Contoso.Erp.Plugins.CreditCheck",
          "_eventhandler_value@Microsoft.Dynamics.CRM.lookuplogicalname": "plugintype",
          "_sdkmessageid_value@OData.Community.Display.V1.FormattedValue": "Update",
        }),
        expect.objectContaining({
          sdkmessageprocessingstepid: PLUGIN_STEPS.orderSync,
          statecode: 0,
          "statecode@OData.Community.Display.V1.FormattedValue": "Enabled",
          "_sdkmessageid_value@OData.Community.Display.V1.FormattedValue": "Create",
        }),
      ]);
    });

    it("lists the connection references a user owns", async () => {
      const { body } = await get(
        `connectionreferences?$select=connectionreferenceid,connectionreferencedisplayname,connectionreferencelogicalname,connectorid,statecode&$filter=_ownerid_value eq ${ERP}&$orderby=connectionreferencedisplayname`,
        PAGED,
      );
      expect(values(body).map((row) => [row.connectionreferencedisplayname, row.connectorid])).toEqual([
        ["Dataverse (ERP)", "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps"],
        ["ERP SQL connection", "/providers/Microsoft.PowerApps/apis/shared_sql"],
        ["Office 365 Outlook (ERP)", "/providers/Microsoft.PowerApps/apis/shared_office365"],
      ]);
      expect(values(body)[0]["statecode@OData.Community.Display.V1.FormattedValue"]).toBe("Active");
    });

    it("finds a user's last access, without an etag on audit rows", async () => {
      const path = (id: string) =>
        `audits?$select=createdon,action&$filter=_objectid_value eq ${id} and (action eq 64 or action eq 65)&$orderby=createdon desc&$top=1`;
      const { status, body } = await get(path(ERP), { prefer: 'odata.include-annotations="*"' });
      expect(status).toBe(200);
      const [last] = values(body);
      expect(values(body)).toHaveLength(1);
      expect(last["@odata.etag"]).toBeUndefined();
      expect(last).toMatchObject({ action: 65, "action@OData.Community.Display.V1.FormattedValue": "User Access via Web Services" });
      expect(Date.now() - Date.parse(String(last.createdon))).toBeLessThan(86_400_000);
      expect(String(last.createdon)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(values((await get(path(USERS.forbiddenRole))).body)).toEqual([]);
    });

    it("says whether the organization audits user access", async () => {
      const { body } = await get("organizations?$select=isauditenabled,isuseraccessauditenabled,useraccessauditinginterval");
      expect(values(body)[0]).toMatchObject({ isauditenabled: true, isuseraccessauditenabled: true, useraccessauditinginterval: 4 });
    });
  });

  describe("$apply", () => {
    it("counts process definitions by owner, category and state", async () => {
      const { status, body } = await get(
        "workflows?$apply=filter(type eq 1)/groupby((_ownerid_value,category,statecode),aggregate($count as count))",
        PAGED,
      );
      expect(status).toBe(200);
      expect(body["@odata.context"]).toMatch(/\$metadata#workflows$/);
      const erp = values(body).filter((row) => row._ownerid_value === ERP);
      expect(erp.map((row) => [row.category, row.statecode, row.count])).toEqual([
        [0, 0, 1],
        [0, 1, 1],
        [3, 1, 1],
        [5, 0, 3],
        [5, 1, 9],
      ]);
      expect(erp[4]).toEqual({
        "_ownerid_value@OData.Community.Display.V1.FormattedValue": "ERP Integration",
        "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "systemuser",
        _ownerid_value: ERP,
        "category@OData.Community.Display.V1.FormattedValue": "Modern Flow",
        category: 5,
        "statecode@OData.Community.Display.V1.FormattedValue": "Activated",
        statecode: 1,
        "count@OData.Community.Display.V1.FormattedValue": "9",
        count: 9,
      });
      expect(values(body).some((row) => row._ownerid_value === USERS.forbiddenRole)).toBe(false);
    });

    it("counts plug-in steps by impersonated user and state", async () => {
      const { body } = await get(
        "sdkmessageprocessingsteps?$apply=filter(_impersonatinguserid_value ne null)/groupby((_impersonatinguserid_value,statecode),aggregate($count as count))",
        PAGED,
      );
      expect(values(body).map((row) => [row._impersonatinguserid_value, row.statecode, row.count])).toEqual([
        [ERP, 0, 1],
        [ERP, 1, 1],
      ]);
    });

    it("counts connection references by owner", async () => {
      const { body } = await get("connectionreferences?$apply=groupby((_ownerid_value),aggregate($count as count))", PAGED);
      const counts = Object.fromEntries(values(body).map((row) => [row._ownerid_value, row.count]));
      expect(counts).toEqual({ [ERP]: 3, [USERS.licenceStillAssigned]: 1 });
    });

    it("finds each user's last access since a date", async () => {
      const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
      const { body } = await get(
        `audits?$apply=filter((action eq 64 or action eq 65) and createdon ge ${since})/groupby((_objectid_value),aggregate(createdon with max as lastaccess))`,
        PAGED,
      );
      const last = Object.fromEntries(values(body).map((row) => [row._objectid_value, row.lastaccess]));
      // Everyone with an access on record: all but Legacy Import, the support users and the disabled Retired Sync.
      const silent: string[] = [USERS.forbiddenRole, USERS.disabled, USERS.supportUser, USERS.delegatedAdmin];
      expect(Object.keys(last).sort()).toEqual(
        Object.values(USERS)
          .filter((id) => !silent.includes(id))
          .sort(),
      );
      expect(Date.now() - Date.parse(String(last[ERP]))).toBeLessThan(86_400_000);
      const days = (Date.now() - Date.parse(String(last[USERS.licenceStillAssigned]))) / 86_400_000;
      expect(days).toBeGreaterThan(9.9);
      expect(days).toBeLessThan(10.1);
      const erp = values(body).find((row) => row._objectid_value === ERP)!;
      // The audit page's answer carries no FormattedValue for _objectid_value; the max is formatted.
      expect(erp["_objectid_value@OData.Community.Display.V1.FormattedValue"]).toBeUndefined();
      expect(erp["lastaccess@OData.Community.Display.V1.FormattedValue"]).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d\d (AM|PM)$/);
      const recent = await get(
        `audits?$apply=filter((action eq 64 or action eq 65) and createdon ge ${new Date(Date.now() - 5 * 86_400_000).toISOString()})/groupby((_objectid_value),aggregate(createdon with max as lastaccess))`,
      );
      expect(values(recent.body).map((row) => row._objectid_value)).not.toContain(USERS.licenceStillAssigned);
    });

    it("answers aggregate(…) alone with one row, and leaves a null group value out", async () => {
      expect(values((await get("workflows?$apply=aggregate($count as total)")).body)).toEqual([
        { "total@OData.Community.Display.V1.FormattedValue": "21", total: 21 },
      ]);
      const { body } = await get("sdkmessageprocessingsteps?$apply=groupby((_impersonatinguserid_value))", {
        prefer: "odata.maxpagesize=50",
      });
      expect(values(body)).toEqual([{ _impersonatinguserid_value: ERP }]);
      store().insert("sdkmessageprocessingstep", { sdkmessageprocessingstepid: "4f400000-0000-4000-8000-0000000000ff", name: "x" });
      expect(
        values(
          (await get("sdkmessageprocessingsteps?$apply=groupby((_impersonatinguserid_value))", { prefer: "odata.maxpagesize=50" })).body,
        ),
      ).toEqual([{}, { _impersonatinguserid_value: ERP }]);
    });

    it("refuses an aggregate over more rows than AggregateQueryRecordLimit (50,000 by default)", async () => {
      store().organization.aggregateQueryRecordLimit = 20; // a test lowers the limit on the running org
      const { status, body } = await get("workflows?$apply=groupby((category),aggregate($count as count))");
      expect(status).toBe(400);
      expect(body.error).toEqual({ code: "0x8004e023", message: "AggregateQueryRecordLimit exceeded. Cannot perform this operation." });
      // The limit counts the filtered rows: a narrower filter passes.
      expect((await get(`workflows?$apply=filter(_ownerid_value eq ${ERP})/groupby((category),aggregate($count as count))`)).status).toBe(
        200,
      );
    });

    it("refuses 50,001 rows at the default limit and answers 50,000", async () => {
      const seeded = generateOrg({ users: 10, roleAssignments: 0, flows: 50_000 - 21 });
      // 21 sample processes and 49,979 generated ones.
      for (const row of seeded.tables!.workflow) if (!store().get("workflow", String(row.workflowid))) store().insert("workflow", row);
      expect((await get("workflows?$apply=aggregate($count as total)")).body.value[0].total).toBe(50_000);
      store().insert("workflow", { ...seeded.tables!.workflow.at(-1)!, workflowid: "af0fffff-0000-4000-9000-000000ffffff" });
      const refused = await get("workflows?$apply=aggregate($count as total)");
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe("0x8004e023");
    });

    it.each([
      [
        "$orderby with an aggregate value, as documented",
        "workflows?$apply=groupby((category),aggregate($count as n))&$orderby=n",
        "SingleValueOpenPropertyAccess",
      ],
      ["$top beside $apply", "workflows?$apply=groupby((category),aggregate($count as n))&$top=1", "src/emulator/aggregation.ts"],
      ["$filter beside $apply", "workflows?$apply=groupby((category))&$filter=type eq 1", "src/emulator/aggregation.ts"],
      ["a related table's column", "workflows?$apply=groupby((ownerid/fullname))", "src/emulator/aggregation.ts"],
      ["countdistinct", "workflows?$apply=aggregate(category with countdistinct as n)", "src/emulator/aggregation.ts"],
      ["another transformation", "workflows?$apply=topcount(2,category)", "src/emulator/aggregation.ts"],
      ["groupby of a datetime", "workflows?$apply=groupby((createdon))", "groupby with datetime values is not supported"],
      ["an unknown column", "workflows?$apply=groupby((nosuchcolumn))", "Could not find a property named 'nosuchcolumn'"],
    ])("refuses %s with 400", async (_label, path, message) => {
      const { status, body } = await get(path);
      expect(status).toBe(400);
      expect(body.error.message).toContain(message);
    });

    it("refuses more groups than the page holds, as no paging of $apply is documented", async () => {
      const { status, body } = await get("workflows?$apply=groupby((name))", { prefer: "odata.maxpagesize=5" });
      expect(status).toBe(400);
      expect(body.error.message).toContain("src/emulator/aggregation.ts");
    });

    it("accepts $apply only on the documented sets (src/emulator/requestShapes.ts)", async () => {
      const { status, body } = await get("roles?$apply=groupby((name))");
      expect(status).toBe(400);
      expect(body.error.message).toContain("src/emulator/requestShapes.ts");
    });
  });

  describe("privileges", () => {
    it.each([
      ["workflows?$select=name", "prvReadWorkflow"],
      ["workflows?$apply=aggregate($count as count)", "prvReadWorkflow"],
      ["connectionreferences?$select=connectionreferencedisplayname", "prvReadconnectionreference"],
      ["audits?$select=createdon", "prvReadAuditSummary"],
      ["audits?$apply=groupby((_objectid_value),aggregate(createdon with max as lastaccess))", "prvReadAuditSummary"],
    ])("refuses %s to a caller without %s, as other reads are refused", async (path, privilege) => {
      const { status, body } = await get(path, asCaller(USERS.salesNonAdmin));
      expect(status).toBe(403);
      expect(body.error).toEqual({
        code: "0x80040220",
        message: `Principal user (Id=${USERS.salesNonAdmin}, type=8) is missing ${privilege} privilege.`,
      });
    });

    it("shows a Basic-depth reader only the rows they own", async () => {
      const salesperson = store()
        .rolesOf(USERS.salesNonAdmin)
        .map((role) => String(role.roleid))[0];
      store().setRolePrivileges(salesperson, [...store().privilegesOfRole(salesperson), { name: "prvReadWorkflow", depth: "Basic" }]);
      store().insert("workflow", {
        workflowid: "4f100000-0000-4000-8000-0000000000ff",
        name: "Sam's own flow",
        category: 5,
        type: 1,
        statecode: 1,
        statuscode: 2,
        ownerid: USERS.salesNonAdmin,
        owninguser: USERS.salesNonAdmin,
        owningbusinessunit: String(store().get("systemuser", USERS.salesNonAdmin)?.businessunitid),
      });
      const { status, body } = await get("workflows?$select=name", asCaller(USERS.salesNonAdmin));
      expect(status).toBe(200);
      expect(values(body).map((row) => row.name)).toEqual(["Sam's own flow"]);
      expect((await get("workflows?$apply=aggregate($count as n)", asCaller(USERS.salesNonAdmin))).body.value).toEqual([
        { "n@OData.Community.Display.V1.FormattedValue": "1", n: 1 },
      ]);
    });
  });

  describe("sample and generated data", () => {
    it("keeps Legacy Import free of anything that runs as it", async () => {
      const id = USERS.forbiddenRole;
      for (const path of [
        `workflows?$select=name&$filter=_ownerid_value eq ${id}`,
        `sdkmessageprocessingsteps?$select=name&$filter=_impersonatinguserid_value eq ${id}`,
        `connectionreferences?$select=connectionreferencedisplayname&$filter=_ownerid_value eq ${id}`,
        `audits?$select=createdon&$filter=_objectid_value eq ${id}`,
      ])
        expect(values((await get(path)).body)).toEqual([]);
    });

    it("switches user access auditing off with sampleOrg({ userAccessAudit: false })", () => {
      const org = new OrgStore(sampleOrg({ userAccessAudit: false }));
      expect(org.findRow("organization", () => true)).toMatchObject({ isauditenabled: true, isuseraccessauditenabled: false });
      expect(org.findRow("audit", (row) => row.operation === 4)).toBeUndefined();
      // The vendor's plug-in steps are there by default, and only with it.
      expect([...new OrgStore(sampleOrg()).rows(SDKMESSAGEPROCESSINGSTEP)]).toHaveLength(2);
      expect([...new OrgStore(sampleOrg({ pluginSteps: false })).rows(SDKMESSAGEPROCESSINGSTEP)]).toHaveLength(0);
    });

    it("generates flows and connection references round-robin over the generated users, quickly", () => {
      const started = Date.now();
      const org = generateOrg({ users: 50_000, roleAssignments: 50_000, flows: 20_000, connectionReferences: 5_000 });
      const elapsed = Date.now() - started;
      const flows = org.tables!.workflow.slice(-20_000);
      expect(flows).toHaveLength(20_000);
      expect(flows.filter((row) => row.category === 5).length).toBe(17_500);
      expect(flows.filter((row) => row.statecode === 1).length).toBe(15_000);
      expect(new Set(flows.map((row) => row.ownerid)).size).toBe(20_000);
      expect(org.tables!.connectionreference.slice(-5_000)[0]).toMatchObject({
        statecode: 0,
        ownerid: org.systemusers.at(-50_000)!.systemuserid,
      });
      expect(elapsed).toBeLessThan(5_000); // about a second on a shared core; the bound leaves room for a busy machine
    });
  });

  it("takes a GET's URL up to Dataverse's 32 KB and refuses a longer one", async () => {
    const ids = (count: number) =>
      Array.from({ length: count }, (_, index) => `_ownerid_value eq 5f000000-0000-4000-8000-${String(index).padStart(12, "0")}`).join(
        " or ",
      );
    expect((await get(`workflows?$select=name&$filter=${encodeURIComponent(ids(400))}`)).status).toBe(200);
    const response = await fetch(`${suite.running.url}/api/data/v9.2/workflows?$select=name&$filter=${encodeURIComponent(ids(600))}`);
    expect(response.status).toBe(414);
  });
});
