import { APP_ROLES } from "../../src/emulator/metadata";
import { roleId, USERS } from "../../src/emulator/sampleOrg";
import { customizationRows } from "../../src/emulator/solutionImport";
import { parseXml } from "../../src/solution/xml";
import { asCaller, emulatorSuite, type Json } from "../support/emulator";
import { customizationsXml, ICON_PATH, ICON_SVG, IDS, importZip, orgForApps, publishXml, solutionZip } from "./appsSupport";

/** Model-driven apps and their components as an import brings them (docs/dataverse-emulator-apps.md). */
describe("the emulator's model-driven apps", () => {
  const suite = emulatorSuite(orgForApps);
  const { get } = suite;
  const store = () => suite.running.emulator.store;
  const values = (body: Json) => body.value as Record<string, unknown>[];
  const UNPUBLISHED = "appmodules/Microsoft.Dynamics.CRM.RetrieveUnpublishedMultiple()";
  let jobs = 0;
  const jobId = () => `1a000000-0000-4000-8000-${String(++jobs).padStart(12, "0")}`;
  const importAs = async (managed: boolean, options = {}) => {
    const id = jobId();
    const answer = await importZip(suite.running, await solutionZip(managed, options), id);
    return { ...answer, id };
  };
  const appId = async () =>
    String(values((await get(`${UNPUBLISHED}?$select=appmoduleid&$filter=uniquename eq '${IDS.app}'`)).body)[0]?.appmoduleid);

  describe("an unmanaged import", () => {
    it("leaves the app unlisted until PublishXml names it, while RetrieveUnpublishedMultiple lists it", async () => {
      expect((await importAs(false)).status).toBe(204);
      expect(values((await get("appmodules?$select=name,uniquename")).body)).toEqual([]);
      const unpublished = await get(`${UNPUBLISHED}?$select=appmoduleid,name,uniquename,componentstate&$filter=uniquename eq '${IDS.app}'`);
      expect(unpublished.status).toBe(200);
      const [draft] = values(unpublished.body);
      expect(draft).toMatchObject({
        name: "Test app",
        uniquename: IDS.app,
        componentstate: 1,
        "componentstate@OData.Community.Display.V1.FormattedValue": "Unpublished",
      });
      const id = String(draft.appmoduleid);
      expect((await get(`appmodules(${id})?$select=name`)).status).toBe(404);
      expect(values((await get("sitemaps?$select=sitemapname")).body)).toEqual([]);

      expect(
        (await publishXml(suite.running, `<importexportxml><appmodules><appmodule>{${id}}</appmodule></appmodules></importexportxml>`))
          .status,
      ).toBe(204);
      const published = values(
        (await get("appmodules?$select=appmoduleid,name,description,uniquename,webresourceid,clienttype,formfactor,publishedon")).body,
      );
      expect(published).toEqual([
        expect.objectContaining({
          appmoduleid: id,
          name: "Test app",
          description: "An app made for the emulator's tests.",
          webresourceid: IDS.icon,
          clienttype: 4,
          formfactor: 1,
          publishedon: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        }),
      ]);
      // The app's site map is published with it; its other components wait for their own publish.
      expect(values((await get("sitemaps?$select=sitemapname,sitemapnameunique,isappaware,sitemapxml")).body)).toEqual([
        expect.objectContaining({
          sitemapnameunique: IDS.app,
          isappaware: true,
          sitemapxml: expect.stringContaining('<SubArea Id="svcacct_serviceaccounts"'),
        }),
      ]);
      expect(values((await get("webresourceset?$select=name")).body)).toEqual([]);
      expect((await get(`savedqueryvisualizations(${IDS.chart})`)).status).toBe(404);
      expect((await get(`systemforms(${IDS.dashboard})`)).status).toBe(404);
    });

    it("publishes dashboards, web resources, charts with their table and site maps, each by its own PublishXml item", async () => {
      await importAs(false);
      const publish = (xml: string) => publishXml(suite.running, `<importexportxml>${xml}</importexportxml>`);

      expect((await publish(`<dashboards><dashboard>{${IDS.dashboard.toUpperCase()}}</dashboard></dashboards>`)).status).toBe(204);
      const dashboard = await get(`systemforms(${IDS.dashboard})?$select=name,type,objecttypecode,formxml`);
      expect(dashboard.body).toMatchObject({ name: "Service account compliance", type: 0, objecttypecode: "none" });
      expect(dashboard.body["type@OData.Community.Display.V1.FormattedValue"]).toBe("Dashboard");
      expect(String(dashboard.body.formxml)).toMatch(/^<form>/);

      expect((await publish(`<webresources><webresource>{${IDS.icon}}</webresource></webresources>`)).status).toBe(204);
      const icon = values(
        (await get(`webresourceset?$select=name,displayname,webresourcetype,content&$filter=name eq 'svcacct_/images/TestApp.svg'`)).body,
      );
      expect(icon).toEqual([
        expect.objectContaining({
          displayname: "Test app icon",
          webresourcetype: 11,
          "webresourcetype@OData.Community.Display.V1.FormattedValue": "Vector format (SVG)",
        }),
      ]);
      expect(Buffer.from(String(icon[0].content), "base64").toString()).toBe(ICON_SVG);

      expect((await publish("<entities><entity>systemuser</entity></entities>")).status).toBe(204);
      const chart = await get(
        `savedqueryvisualizations(${IDS.chart})?$select=name,primaryentitytypecode,datadescription,presentationdescription,isdefault`,
      );
      expect(chart.body).toMatchObject({
        name: "Service accounts by compliance status",
        primaryentitytypecode: "systemuser",
        isdefault: false,
      });
      expect(String(chart.body.datadescription)).toMatch(/^<datadefinition>/);
      expect(String(chart.body.presentationdescription)).toMatch(/^<Chart Palette="None"/);
      const view = await get(`savedqueries(${IDS.view})?$select=fetchxml,layoutxml`);
      expect(view.body.fetchxml).toMatch(/^<fetch version="1.0"/);
      expect(view.body.layoutxml).toMatch(/^<grid name="resultset"/);
      const full = await get(`savedqueries(${IDS.view})?$select=name,description,querytype,isdefault,returnedtypecode`);
      expect(full.body).toMatchObject({
        name: "Non-compliant service accounts",
        description: "Service accounts that fail a check.",
        querytype: 0,
        isdefault: false,
      });

      // The schema: "We publish the sitemap if there is at least one <sitemap> node present".
      expect((await publish("<sitemaps><sitemap>any</sitemap></sitemaps>")).status).toBe(204);
      expect(values((await get("sitemaps?$select=sitemapnameunique")).body)).toHaveLength(1);
      expect(values((await get("appmodules?$select=name")).body)).toEqual([]);
    });

    it("publishes everything with PublishAllXml", async () => {
      await importAs(false);
      expect(store().draftRows().length).toBeGreaterThan(0);
      expect((await suite.send("POST", "PublishAllXml")).status).toBe(204);
      expect(store().draftRows()).toEqual([]);
      expect(values((await get("appmodules?$select=name")).body)).toHaveLength(1);
      expect((await get(`systemforms(${IDS.dashboard})?$select=name`)).status).toBe(200);
    });

    it("refuses a PublishXml item the org does not have with ObjectDoesNotExist, publishing nothing", async () => {
      await importAs(false);
      const missing = "00000000-0000-4000-8000-0000000000aa";
      for (const [list, item, table] of [
        ["appmodules", "appmodule", "appmodule"],
        ["dashboards", "dashboard", "systemform"],
        ["webresources", "webresource", "webresource"],
      ]) {
        const answer = await publishXml(
          suite.running,
          `<importexportxml><entities><entity>systemuser</entity></entities><${list}><${item}>{${missing}}</${item}></${list}></importexportxml>`,
        );
        expect(answer.status).toBe(404);
        expect(answer.body?.error).toEqual({ code: "0x80040217", message: `${table} With Id = ${missing} Does Not Exist` });
      }
      expect((await get(`savedqueryvisualizations(${IDS.chart})`)).status).toBe(404);
      const unknownList = await publishXml(suite.running, "<importexportxml><nodes><node>x</node></nodes></importexportxml>");
      expect(unknownList.status).toBe(400);
    });

    it("keeps the app's id on a re-import, and the new draft replaces the published app on the next publish", async () => {
      await importAs(false);
      const first = await appId();
      await publishXml(suite.running, `<importexportxml><appmodules><appmodule>${first}</appmodule></appmodules></importexportxml>`);
      await importAs(false, { appName: "Test app, renamed" });
      expect(await appId()).toBe(first);
      expect(values((await get(`${UNPUBLISHED}?$select=name`)).body).map((app) => app.name)).toEqual(["Test app, renamed"]);
      expect(values((await get("appmodules?$select=name")).body).map((app) => app.name)).toEqual(["Test app"]);
      await publishXml(suite.running, `<importexportxml><appmodules><appmodule>${first}</appmodule></appmodules></importexportxml>`);
      expect(values((await get("appmodules?$select=appmoduleid,name")).body)).toEqual([
        expect.objectContaining({ appmoduleid: first, name: "Test app, renamed" }),
      ]);
      expect(values((await get("sitemaps?$select=sitemapid")).body)).toHaveLength(1);
    });

    it("lists the new component sections in the import job's result log", async () => {
      const { id } = await importAs(false);
      const job = await get(`importjobs(${id})?$select=data`);
      const root = parseXml(String(job.body.data), "data").root;
      const sections = root.children
        .filter((child) => typeof child !== "string")
        .map((child) => (typeof child === "string" ? "" : child.name));
      expect(sections).toEqual(expect.arrayContaining(["visualizations", "dashboards", "webResources", "appModuleSiteMaps", "appModules"]));
      expect(String(job.body.data)).toContain(`<appModule id="${IDS.app}" name="${IDS.app}" processed="true">`);
      expect(String(job.body.data)).not.toContain('result="failure"');
    });
  });

  describe("a managed import", () => {
    it("makes the app and its components live at once, and reads the app's roles through appmoduleroles_association", async () => {
      expect((await importAs(true)).status).toBe(204);
      const [app] = values((await get("appmodules?$select=appmoduleid,componentstate,publishedon")).body);
      expect(app).toMatchObject({ componentstate: 0, publishedon: expect.any(String) });
      expect((await get(`systemforms(${IDS.dashboard})?$select=name`)).status).toBe(200);
      expect((await get(`savedqueryvisualizations(${IDS.chart})?$select=name`)).status).toBe(200);
      expect(values((await get("webresourceset?$select=name")).body)).toHaveLength(1);
      expect(store().draftRows()).toEqual([]);

      const roles = await get(`appmodules(${String(app.appmoduleid)})/appmoduleroles_association?$select=roleid,name`);
      expect(roles.status).toBe(200);
      // The role map's System Administrator is the template's id; the org's root role of that template answers to it.
      expect(
        values(roles.body)
          .map((role) => role.name)
          .sort(),
      ).toEqual(["Salesperson", "System Administrator"]);
      expect(values(roles.body).map((role) => role.roleid)).toContain(roleId("System Administrator"));
      const apps = await get(`roles(${roleId("Salesperson")})/appmoduleroles_association?$select=uniquename`);
      expect(values(apps.body).map((row) => row.uniquename)).toEqual([IDS.app]);
    });

    it("replaces an app's role map on a re-import", async () => {
      await importAs(true);
      const id = await appId();
      await importAs(true, { roles: [IDS.systemAdministratorTemplate] });
      expect(store().relatedIds(APP_ROLES, "appmodule", id)).toEqual([roleId("System Administrator")]);
    });
  });

  describe("components that cannot be imported fail the job", () => {
    const failure = async (options: Parameters<typeof solutionZip>[1]) => {
      const answer = await importAs(false, options);
      expect(answer.status).toBe(400);
      expect(answer.body?.error.code).toBe("0x80048033");
      const job = await get(`importjobs(${answer.id})?$select=data`);
      return { message: String(answer.body?.error.message), data: String(job.body.data) };
    };

    it("an app whose site map is neither in the solution nor in the org", async () => {
      const { message, data } = await failure({ withoutSiteMap: true });
      expect(message).toContain(
        `The required component SiteMap (Name=${IDS.app}) that was defined for the AppModule could not be found in the system.`,
      );
      expect(data).toContain('errorcode="0x8004F041"');
      expect(store().draftRows()).toEqual([]);
    });

    it("an app whose role map names a role the org does not have", async () => {
      const { message, data } = await failure({ roles: ["0c0000ff-0000-4000-8000-00000000ffff"] });
      expect(message).toContain(
        "The required component Role (Id=0c0000ff-0000-4000-8000-00000000ffff) that was defined for the AppModule could not be found in the system.",
      );
      expect(data).toContain('errorcode="0x8004F040"');
    });

    it("a chart on a table that does not exist", async () => {
      const { message, data } = await failure({ chartTable: "svcacct_nosuchtable" });
      expect(message).toContain(
        "The required component Entity (Name=svcacct_nosuchtable) that was defined for the SavedQueryVisualization could not be found in the system.",
      );
      expect(data).toContain('<visualization id="3c9e5b7a-2f4d-4a6b-8e1c-0d2f4a6b8c04"');
    });

    it("a chart whose fetch is not valid FetchXml on its table", async () => {
      const { message, data } = await failure({
        chartFetch: `<fetch aggregate="true"><entity name="systemuser"><attribute name="nosuchcolumn" groupby="true" alias="g"/><attribute name="systemuserid" aggregate="count" alias="c"/></entity></fetch>`,
      });
      expect(message).toContain("The data description for the visualization is invalid.");
      expect(data).toContain('errorcode="0x8004E000"');
    });

    it("a site map found in the org serves an app that names it", async () => {
      await importAs(false);
      expect((await importAs(false, { withoutSiteMap: true })).status).toBe(204);
    });
  });

  it("refuses the app tables to a caller without their read privilege, as other reads are refused", async () => {
    await importAs(true);
    for (const [path, privilege] of [
      ["appmodules?$select=name", "prvReadAppModule"],
      [`${UNPUBLISHED}?$select=name`, "prvReadAppModule"],
      ["sitemaps?$select=sitemapname", "prvReadSiteMap"],
      ["webresourceset?$select=name", "prvReadWebResource"],
      ["savedqueryvisualizations?$select=name", "prvReadSavedQueryVisualizations"],
    ]) {
      const { status, body } = await get(path, asCaller(USERS.salesNonAdmin));
      expect(status).toBe(403);
      expect(body.error).toEqual({
        code: "0x80040220",
        message: `Principal user (Id=${USERS.salesNonAdmin}, type=8) is missing ${privilege} privilege.`,
      });
    }
  });

  it("serves RetrieveUnpublishedMultiple only on the solution-aware tables", async () => {
    expect((await get("roles/Microsoft.Dynamics.CRM.RetrieveUnpublishedMultiple()?$select=name")).status).toBe(400);
  });

  describe("customizationRows", () => {
    const root = () => parseXml(customizationsXml(), "customizations.xml").root;

    it("turns customizations.xml into rows by table, with the app's role links and site map", () => {
      const rows = customizationRows(root(), {
        readFile: (path) => (path === ICON_PATH ? Buffer.from(ICON_SVG) : undefined),
        idFor: (table, uniqueName) =>
          table === "appmodule" ? "aa000000-0000-4000-8000-000000000001" : `bb000000-0000-4000-8000-00000000000${uniqueName.length % 10}`,
      });
      expect(Object.fromEntries(Object.entries(rows.tables).map(([table, list]) => [table, list.length]))).toEqual({
        systemform: 1,
        savedquery: 1,
        savedqueryvisualization: 1,
        appmodule: 1,
        sitemap: 1,
        webresource: 1,
      });
      expect(rows.tables.webresource[0]).toMatchObject({
        webresourceid: IDS.icon,
        content: Buffer.from(ICON_SVG).toString("base64"),
        webresourcetype: 11,
      });
      expect(rows.tables.systemform[0]).toMatchObject({ formid: IDS.dashboard, type: 0, objecttypecode: "none" });
      expect(rows.links).toEqual([
        [APP_ROLES, "aa000000-0000-4000-8000-000000000001", IDS.systemAdministratorTemplate],
        [APP_ROLES, "aa000000-0000-4000-8000-000000000001", roleId("Salesperson")],
      ]);
      expect(rows.appSiteMaps).toEqual([
        { appmoduleid: "aa000000-0000-4000-8000-000000000001", uniqueName: IDS.app, sitemapid: rows.tables.sitemap[0].sitemapid },
      ]);
      expect(rows.components.every((component) => !component.error)).toBe(true);
    });

    it("leaves content empty without readFile, and reports a missing file when it has one", () => {
      expect(customizationRows(root()).tables.webresource[0].content).toBeNull();
      const rows = customizationRows(root(), { readFile: () => undefined });
      expect(rows.components.find((component) => component.section === "webResources")?.error).toContain(`/${ICON_PATH}`);
    });
  });
});
