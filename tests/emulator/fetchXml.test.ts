import { generateOrg } from "../../src/emulator/generateOrg";
import { sampleOrg, USERS } from "../../src/emulator/sampleOrg";
import { asCaller, emulatorSuite, type Json } from "../support/emulator";

/** `GET <set>?fetchXml=` (src/emulator/fetchXml.ts; docs/dataverse-emulator-apps.md). */
describe("FetchXml over the emulator's Web API", () => {
  const suite = emulatorSuite(sampleOrg);
  const store = () => suite.running.emulator.store;
  const values = (body: Json) => body.value as Record<string, unknown>[];
  const fetchXml = (set: string, xml: string, headers: Record<string, string> = {}) =>
    suite.get(`${set}?fetchXml=${encodeURIComponent(xml)}`, headers);
  const ALL = { prefer: 'odata.include-annotations="*"' };
  const NONE = { prefer: "" };

  // The chart of the spec: counts by compliance status, the view's filter merged in (non-interactive, not application users).
  const CHART = `<fetch aggregate="true" mapping="logical" version="1.0" output-format="xml-platform" distinct="false" no-lock="true">
    <entity name="systemuser">
      <attribute name="svcacct_compliancestatus" groupby="true" alias="groupby_column"/>
      <attribute name="systemuserid" aggregate="count" alias="aggregate_column"/>
      <order alias="groupby_column"/>
      <filter type="and"><condition attribute="accessmode" operator="eq" value="4"/><condition attribute="applicationid" operator="null"/></filter>
    </entity>
  </fetch>`;

  const badge = (user: string, status: number | null, checkedOn: string | null = null) =>
    store().update("systemuser", user, { svcacct_compliancestatus: status, svcacct_compliancecheckedon: checkedOn });
  const badges = () => {
    badge(USERS.compliant, 413500000, "2026-03-02T10:00:00Z");
    badge(USERS.compliantMarketing, 413500002, "2026-03-01T09:00:00Z");
    badge(USERS.wrongBusinessUnit, 413500002, "2026-02-27T23:59:59Z");
    badge(USERS.licenceStillAssigned, 413500001, "2026-03-01T00:00:00Z");
    badge(USERS.noEmail, 413500002);
    badge(USERS.applicationUser, 413500002); // an application user: the view's filter leaves it out
  };

  describe("aggregates", () => {
    it("counts service accounts by compliance status with the view's filter merged, choices formatted in the caller's language", async () => {
      badges();
      const { status, body } = await fetchXml("systemusers", CHART, ALL);
      expect(status).toBe(200);
      expect(body["@odata.context"]).toMatch(/\$metadata#systemusers$/);
      // Service accounts: ERP, Marketing, Sales Connector, Billing, Warehouse, Legacy Import, Retired Sync (no badge: null group first).
      expect(values(body)).toEqual([
        { "aggregate_column@OData.Community.Display.V1.FormattedValue": "2", aggregate_column: 2 },
        {
          "groupby_column@OData.Community.Display.V1.FormattedValue": "Compliant",
          groupby_column: 413500000,
          "aggregate_column@OData.Community.Display.V1.FormattedValue": "1",
          aggregate_column: 1,
        },
        expect.objectContaining({
          groupby_column: 413500001,
          "groupby_column@OData.Community.Display.V1.FormattedValue": "Needs attention",
          aggregate_column: 1,
        }),
        expect.objectContaining({
          groupby_column: 413500002,
          "groupby_column@OData.Community.Display.V1.FormattedValue": "Non-compliant",
          aggregate_column: 3,
        }),
      ]);
    });

    it("gives the FormattedValue only when asked for, by name or by *", async () => {
      badges();
      const named = await fetchXml("systemusers", CHART, {
        prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
      });
      expect(values(named.body)[1]["groupby_column@OData.Community.Display.V1.FormattedValue"]).toBe("Compliant");
      const plain = await fetchXml("systemusers", CHART, NONE);
      expect(values(plain.body)[1]).toEqual({ groupby_column: 413500000, aggregate_column: 1 });
    });

    it("orders groups descending, and by an aggregate alias", async () => {
      badges();
      const descending = CHART.replace('<order alias="groupby_column"/>', '<order alias="groupby_column" descending="true"/>');
      expect(values((await fetchXml("systemusers", descending, NONE)).body).map((row) => row.groupby_column ?? null)).toEqual([
        413500002,
        413500001,
        413500000,
        null,
      ]);
      const byCount = CHART.replace('<order alias="groupby_column"/>', '<order alias="aggregate_column" descending="true"/>');
      expect(values((await fetchXml("systemusers", byCount, NONE)).body)[0]).toEqual({ groupby_column: 413500002, aggregate_column: 3 });
    });

    it("counts rows, rows with a value and distinct values; min and max of dates", async () => {
      badges();
      const { body } = await fetchXml(
        "systemusers",
        `<fetch aggregate="true"><entity name="systemuser">
          <attribute name="systemuserid" aggregate="count" alias="rows"/>
          <attribute name="svcacct_compliancestatus" aggregate="countcolumn" alias="badged"/>
          <attribute name="svcacct_compliancestatus" aggregate="countcolumn" distinct="true" alias="statuses"/>
          <attribute name="svcacct_compliancecheckedon" aggregate="min" alias="oldest"/>
          <attribute name="svcacct_compliancecheckedon" aggregate="max" alias="newest"/>
        </entity></fetch>`,
        NONE,
      );
      expect(values(body)).toEqual([{ rows: 15, badged: 6, statuses: 3, oldest: "2026-02-27T23:59:59Z", newest: "2026-03-02T10:00:00Z" }]);
    });
  });

  describe("rows", () => {
    it("returns the requested columns and the primary key, ordered, without null properties, top applied", async () => {
      badges();
      const { status, body } = await fetchXml(
        "systemusers",
        `<fetch top="3"><entity name="systemuser">
          <attribute name="fullname"/><attribute name="svcacct_compliancestatus"/><attribute name="internalemailaddress"/>
          <order attribute="fullname" descending="true"/>
          <filter><condition attribute="accessmode" operator="eq" value="4"/><condition attribute="applicationid" operator="null"/></filter>
        </entity></fetch>`,
        ALL,
      );
      expect(status).toBe(200);
      expect(values(body).map((row) => row.fullname)).toEqual(["Warehouse Feed", "Sales Connector", "Retired Sync"]);
      const [warehouse] = values(body);
      expect(warehouse).toEqual({
        "@odata.etag": expect.stringMatching(/^W\/"\d+"$/),
        fullname: "Warehouse Feed",
        svcacct_compliancestatus: 413500002,
        "svcacct_compliancestatus@OData.Community.Display.V1.FormattedValue": "Non-compliant",
        systemuserid: USERS.noEmail,
      });
      expect(values(body)[2]).not.toHaveProperty("svcacct_compliancestatus");
    });

    it("orders a choice by its label, or by its value with useraworderby", async () => {
      const attributes =
        '<attribute name="fullname"/><filter><condition attribute="accessmode" operator="in"><value>3</value><value>5</value><value>0</value></condition></filter>';
      const byLabel = await fetchXml(
        "systemusers",
        `<fetch><entity name="systemuser">${attributes}<order attribute="accessmode"/><order attribute="fullname"/></entity></fetch>`,
        NONE,
      );
      // Labels: Delegated Admin (5) < Read-Write (0) < Support User (3).
      expect(values(byLabel.body).map((row) => row.fullname)).toEqual([
        "Delegated Admin",
        "Avery Admin",
        "Ivan Integrator",
        "Nora Newhire",
        "Sam Sales",
        "Support User",
      ]);
      const byValue = await fetchXml(
        "systemusers",
        `<fetch useraworderby="true"><entity name="systemuser">${attributes}<order attribute="accessmode" descending="true"/><order attribute="fullname"/></entity></fetch>`,
        NONE,
      );
      expect(values(byValue.body).map((row) => row.fullname)[0]).toBe("Delegated Admin");
      expect(values(byValue.body).map((row) => row.fullname)[1]).toBe("Support User");
    });

    it.each([
      ["like %x%", '<condition attribute="fullname" operator="like" value="%sync%"/>', ["Marketing Sync", "Retired Sync"]],
      ["begins-with", '<condition attribute="domainname" operator="begins-with" value="svc-b"/>', ["Billing Export"]],
      // The built-in users' addresses are Microsoft's; the users without one are left out.
      [
        "not-like leaves nulls out",
        '<condition attribute="internalemailaddress" operator="not-like" value="%contoso.com"/>',
        ["Delegated Admin", "Support User"],
      ],
      [
        "ne leaves nulls out",
        '<condition attribute="svcacct_compliancestatus" operator="ne" value="413500002"/>',
        ["Billing Export", "ERP Integration"],
      ],
      [
        "not-in leaves nulls out",
        '<condition attribute="svcacct_compliancestatus" operator="not-in"><value>413500000</value><value>413500001</value></condition>',
        ["# Data Platform App", "Marketing Sync", "Sales Connector", "Warehouse Feed"],
      ],
      ["on", '<condition attribute="svcacct_compliancecheckedon" operator="on" value="2026-03-01"/>', ["Billing Export", "Marketing Sync"]],
      [
        "on-or-before",
        '<condition attribute="svcacct_compliancecheckedon" operator="on-or-before" value="2026-02-28"/>',
        ["Sales Connector"],
      ],
      [
        "on-or-after",
        '<condition attribute="svcacct_compliancecheckedon" operator="on-or-after" value="2026-03-02"/>',
        ["ERP Integration"],
      ],
      [
        "olderthan-x-days",
        '<condition attribute="svcacct_compliancecheckedon" operator="olderthan-x-days" value="1"/>',
        ["Billing Export", "ERP Integration", "Marketing Sync", "Sales Connector"],
      ],
      [
        "a nested or",
        '<filter type="or"><condition attribute="fullname" operator="eq" value="retired sync"/><condition attribute="isdisabled" operator="eq" value="1"/></filter>',
        ["Retired Sync"],
      ],
      [
        "a lookup",
        `<condition attribute="businessunitid" operator="eq" value="{0B000000-0000-4000-8000-000000000002}"/><condition attribute="accessmode" operator="eq" value="4"/>`,
        ["Sales Connector"],
      ],
    ])("filters with %s", async (_label, conditions, names) => {
      badges();
      const { status, body } = await fetchXml(
        "systemusers",
        `<fetch><entity name="systemuser"><attribute name="fullname"/><order attribute="fullname"/><filter>${conditions}</filter></entity></fetch>`,
        NONE,
      );
      expect(status).toBe(200);
      expect(values(body).map((row) => row.fullname)).toEqual(names);
    });

    it("pages with count and page, saying whether more rows follow", async () => {
      const page = (n: number) =>
        `<fetch count="4" page="${n}"><entity name="systemuser"><attribute name="fullname"/><order attribute="fullname"/></entity></fetch>`;
      const first = await fetchXml("systemusers", page(1), ALL);
      expect(values(first.body)).toHaveLength(4);
      expect(first.body["@Microsoft.Dynamics.CRM.morerecords"]).toBe(true);
      const last = await fetchXml("systemusers", page(4), ALL);
      // 15 users: the fourth page holds the last three.
      expect(values(last.body).map((row) => row.fullname)).toEqual(["Sam Sales", "Support User", "Warehouse Feed"]);
      expect(last.body["@Microsoft.Dynamics.CRM.morerecords"]).toBe(false);
    });
  });

  describe("refusals", () => {
    const entity = (inner: string, name = "systemuser") =>
      `<fetch><entity name="${name}"><attribute name="fullname"/>${inner}</entity></fetch>`;
    it.each([
      [
        "link-entity, which the emulator does not implement",
        entity('<link-entity name="businessunit" from="businessunitid" to="businessunitid"/>'),
        "0x80060888",
        "src/emulator/fetchXml.ts",
      ],
      [
        "dategrouping, which the emulator does not implement",
        `<fetch aggregate="true"><entity name="systemuser"><attribute name="svcacct_compliancecheckedon" groupby="true" dategrouping="month" alias="m"/><attribute name="systemuserid" aggregate="count" alias="n"/></entity></fetch>`,
        "0x80060888",
        "src/emulator/fetchXml.ts",
      ],
      [
        "a documented operator the emulator does not implement",
        entity('<filter><condition attribute="svcacct_compliancecheckedon" operator="last-x-days" value="3"/></filter>'),
        "0x80060888",
        "last-x-days",
      ],
      [
        "an unknown operator",
        entity('<filter><condition attribute="fullname" operator="contains" value="x"/></filter>'),
        "0x80041120",
        "Unsupported condition operator.",
      ],
      [
        "an unknown column to return",
        entity('<attribute name="nosuchcolumn"/>'),
        "0x80041103",
        "The specified attribute does not exist on this entity.",
      ],
      [
        "an unknown column in a condition",
        entity('<filter><condition attribute="nosuchcolumn" operator="null"/></filter>'),
        "0x80041103",
        "nosuchcolumn",
      ],
      ["an unknown column to order by", entity('<order attribute="nosuchcolumn"/>'), "0x80041103", "nosuchcolumn"],
      [
        "an entity that is not the set's table",
        `<fetch><entity name="role"><attribute name="name"/></entity></fetch>`,
        "0x80041128",
        "The entity name specified in fetchxml does not match",
      ],
      [
        "a filter type other than and/or",
        entity('<filter type="xor"><condition attribute="fullname" operator="null"/></filter>'),
        "0x80041122",
        "Unsupported filter type.",
      ],
      [
        "a value of the wrong type",
        entity('<filter><condition attribute="accessmode" operator="eq" value="four"/></filter>'),
        "0x80041108",
        "Invalid value specified for type.",
      ],
      [
        "an aggregate without an alias",
        `<fetch aggregate="true"><entity name="systemuser"><attribute name="systemuserid" aggregate="count"/></entity></fetch>`,
        "0x80041109",
        "Invalid alias for aggregate operation.",
      ],
      [
        "a plain attribute in an aggregate",
        `<fetch aggregate="true"><entity name="systemuser"><attribute name="fullname"/><attribute name="systemuserid" aggregate="count" alias="n"/></entity></fetch>`,
        "0x80041107",
        "Attributes can not be returned",
      ],
      [
        "an order by attribute in an aggregate",
        `<fetch aggregate="true"><entity name="systemuser"><attribute name="systemuserid" aggregate="count" alias="n"/><order attribute="fullname"/></entity></fetch>`,
        "0x80041131",
        "Use an alias.",
      ],
      [
        "sum of a text column",
        `<fetch aggregate="true"><entity name="systemuser"><attribute name="fullname" aggregate="sum" alias="n"/></entity></fetch>`,
        "0x8004112F",
        "Aggregate sum is not supported",
      ],
      ["an unknown element", entity("<having/>"), "0x8004111c", "The element node encountered is invalid."],
      [
        "top beyond 5,000",
        `<fetch top="5001"><entity name="systemuser"><attribute name="fullname"/></entity></fetch>`,
        "0x80041108",
        "5,000",
      ],
    ])("refuses %s with 400", async (_label, xml, code, message) => {
      const { status, body } = await fetchXml("systemusers", xml, NONE);
      expect(status).toBe(400);
      expect(body.error.code).toBe(code);
      expect(body.error.message).toContain(message);
    });

    it("refuses other query options beside fetchXml", async () => {
      const { status, body } = await suite.get(`systemusers?$select=fullname&fetchXml=${encodeURIComponent(entity(""))}`);
      expect(status).toBe(400);
      expect(body.error.message).toContain("src/emulator/fetchXml.ts");
    });

    it("needs the table's read privilege, and shows only the rows the caller's depth reaches", async () => {
      const refused = await fetchXml(
        "workflows",
        `<fetch aggregate="true"><entity name="workflow"><attribute name="workflowid" aggregate="count" alias="n"/></entity></fetch>`,
        asCaller(USERS.salesNonAdmin),
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error).toEqual({
        code: "0x80040220",
        message: `Principal user (Id=${USERS.salesNonAdmin}, type=8) is missing prvReadWorkflow privilege.`,
      });
      const salesperson = String(store().rolesOf(USERS.salesNonAdmin)[0].roleid);
      store().setRolePrivileges(salesperson, [...store().privilegesOfRole(salesperson), { name: "prvReadWorkflow", depth: "Basic" }]);
      const own = await fetchXml(
        "workflows",
        `<fetch aggregate="true"><entity name="workflow"><attribute name="workflowid" aggregate="count" alias="n"/></entity></fetch>`,
        {
          ...asCaller(USERS.salesNonAdmin),
          prefer: "",
        },
      );
      expect(values(own.body)).toEqual([{ n: 0 }]);
    });

    it("refuses an aggregate over more rows than AggregateQueryRecordLimit, and aggregatelimit lowers it", async () => {
      const count = `<fetch aggregate="true"><entity name="systemuser"><attribute name="systemuserid" aggregate="count" alias="n"/></entity></fetch>`;
      store().organization.aggregateQueryRecordLimit = 10;
      const refused = await fetchXml("systemusers", count, NONE);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toEqual({
        code: "0x8004e023",
        message: "AggregateQueryRecordLimit exceeded. Cannot perform this operation.",
      });
      store().organization.aggregateQueryRecordLimit = undefined;
      expect(values((await fetchXml("systemusers", count, NONE)).body)).toEqual([{ n: 15 }]);
      const limited = await fetchXml("systemusers", count.replace('aggregate="true"', 'aggregate="true" aggregatelimit="14"'), NONE);
      expect(limited.body.error.code).toBe("0x8004e023");
    });

    it("answers 50,000 rows at the default limit and refuses 50,001", async () => {
      const seeded = generateOrg({ users: 10, roleAssignments: 0, flows: 50_000 - 21 });
      for (const row of seeded.tables!.workflow) if (!store().get("workflow", String(row.workflowid))) store().insert("workflow", row);
      const count = `<fetch aggregate="true"><entity name="workflow"><attribute name="workflowid" aggregate="count" alias="n"/></entity></fetch>`;
      expect(values((await fetchXml("workflows", count, NONE)).body)).toEqual([{ n: 50_000 }]);
      store().insert("workflow", { ...seeded.tables!.workflow.at(-1)!, workflowid: "af0fffff-0000-4000-9000-000000ffffff" });
      const refused = await fetchXml("workflows", count, NONE);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe("0x8004e023");
    });
  });
});
