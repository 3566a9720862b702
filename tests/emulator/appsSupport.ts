import JSZip from "jszip";
import { roleId, sampleOrgBeforeImport } from "../../src/emulator/sampleOrg";
import type { OrgData } from "../../src/emulator/store";
import type { RunningEmulator } from "../support/emulator";
import { sendJson } from "../support/emulator";

/** Fixed ids of the inline solution (the spec gives the same shapes). */
export const IDS = {
  app: "svcacct_TestApp",
  icon: "5f0c7a2e-1d3b-4e8a-9c6f-2b4d8e1a7c01",
  view: "6b0e2f6c-3a9d-4f57-8c21-9d4e7b1a5c02",
  chart: "3c9e5b7a-2f4d-4a6b-8e1c-0d2f4a6b8c04",
  dashboard: "c2f4a8e1-9b3d-4c6e-8a7f-0d1e2f3a4b05",
  systemAdministratorTemplate: "627090ff-40a3-4053-8790-584edc5be201",
} as const;

export const ICON_PATH = "WebResources/svcacct_/images/TestApp.svg";
export const ICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7"/></svg>';

/** The sample org before the import, its System Administrator also reading apps and site maps. */
export function orgForApps(): OrgData {
  const org = sampleOrgBeforeImport();
  return {
    ...org,
    roles: org.roles.map((role) =>
      role.roleid === roleId("System Administrator")
        ? {
            ...role,
            privileges: [
              ...role.privileges,
              { name: "prvReadAppModule", depth: "Global" as const },
              { name: "prvReadSiteMap", depth: "Global" as const },
            ],
          }
        : role,
    ),
  };
}

export interface FixtureOptions {
  /** The chart's datadescription fetch (default: counts by compliance status). */
  chartFetch?: string;
  /** The table the chart's Entity names (default SystemUser). */
  chartTable?: string;
  /** Leave out the app's site map from the solution. */
  withoutSiteMap?: boolean;
  /** Role ids of the app's role map. */
  roles?: string[];
  /** The app's display name. */
  appName?: string;
}

const CHART_FETCH = `<fetch mapping="logical" aggregate="true"><entity name="systemuser"><attribute name="svcacct_compliancestatus" groupby="true" alias="groupby_column"/><attribute name="systemuserid" aggregate="count" alias="aggregate_column"/><order alias="groupby_column" descending="false"/></entity></fetch>`;

/** A customizations.xml written to CustomizationsSolution.xsd: a view and a chart on SystemUser, a dashboard, an icon, a site map and an app. */
export function customizationsXml(options: FixtureOptions = {}): string {
  const table = options.chartTable ?? "SystemUser";
  const roles = (options.roles ?? [IDS.systemAdministratorTemplate, roleId("Salesperson")]).map((id) => `<Role id="{${id}}"/>`).join("");
  const siteMap = options.withoutSiteMap
    ? ""
    : `<AppModuleSiteMaps><AppModuleSiteMap><SiteMapUniqueName>${IDS.app}</SiteMapUniqueName><SiteMap><Area Id="area_accounts" ShowGroups="true"><Titles><Title LCID="1033" Title="Service accounts"/></Titles><Group Id="group_compliance"><Titles><Title LCID="1033" Title="Compliance"/></Titles><SubArea Id="svcacct_serviceaccounts" Entity="systemuser"/></Group></Area></SiteMap><LocalizedNames><LocalizedName description="Test app" languagecode="1033"/></LocalizedNames></AppModuleSiteMap></AppModuleSiteMaps>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Entities>
    <Entity>
      <Name LocalizedName="User" OriginalName="User">${table}</Name>
      <SavedQueries><savedqueries><savedquery>
        <IsCustomizable>1</IsCustomizable><CanBeDeleted>1</CanBeDeleted><isquickfindquery>0</isquickfindquery><isprivate>0</isprivate><isdefault>0</isdefault>
        <savedqueryid>{${IDS.view}}</savedqueryid>
        <layoutxml><grid name="resultset" jump="fullname" select="1" icon="1" preview="1"><row name="result" id="systemuserid"><cell name="fullname" width="200"/></row></grid></layoutxml>
        <querytype>0</querytype>
        <fetchxml><fetch version="1.0" output-format="xml-platform" mapping="logical" distinct="false"><entity name="systemuser"><attribute name="fullname"/><attribute name="systemuserid"/><order attribute="fullname" descending="false"/><filter type="and"><condition attribute="accessmode" operator="eq" value="4"/><condition attribute="applicationid" operator="null"/></filter></entity></fetch></fetchxml>
        <IntroducedVersion>1.0.0.0</IntroducedVersion>
        <LocalizedNames><LocalizedName description="Non-compliant service accounts" languagecode="1033"/></LocalizedNames>
        <Descriptions><Description description="Service accounts that fail a check." languagecode="1033"/></Descriptions>
      </savedquery></savedqueries></SavedQueries>
      <Visualizations><visualization>
        <savedqueryvisualizationid>{${IDS.chart}}</savedqueryvisualizationid>
        <LocalizedNames><LocalizedName description="Service accounts by compliance status" languagecode="1033"/></LocalizedNames>
        <datadescription><datadefinition><fetchcollection>${options.chartFetch ?? CHART_FETCH}</fetchcollection><categorycollection><category><measurecollection><measure alias="aggregate_column"/></measurecollection></category></categorycollection></datadefinition></datadescription>
        <presentationdescription><Chart Palette="None" PaletteCustomColors="16,124,16; 255,185,0; 209,52,56; 138,136,134"><Series ChartType="Doughnut" IsValueShownAsLabel="True"/></Chart></presentationdescription>
        <isdefault>0</isdefault>
        <IntroducedVersion>1.0.0.0</IntroducedVersion>
      </visualization></Visualizations>
    </Entity>
  </Entities>
  <Roles/>
  <Workflows/>
  <Dashboards><Dashboard>
    <FormId>{${IDS.dashboard}}</FormId>
    <LocalizedNames><LocalizedName description="Service account compliance" languagecode="1033"/></LocalizedNames>
    <FormXml><forms type="dashboard"><form><tabs><tab name="tab_1"><columns><column width="100%"><sections><section name="section_1"><rows><row><cell id="{0b0b0b0b-0000-4000-8000-000000000001}"><control id="chart" classid="{E7A81278-8635-4d9e-8D4D-59480B391C5B}"><parameters><ViewId>{${IDS.view}}</ViewId><VisualizationId>{${IDS.chart}}</VisualizationId><ChartGridMode>Chart</ChartGridMode></parameters></control></cell></row></rows></section></sections></column></columns></tab></tabs></form></forms></FormXml>
  </Dashboard></Dashboards>
  <WebResources><WebResource>
    <WebResourceId>{${IDS.icon}}</WebResourceId>
    <Name>svcacct_/images/TestApp.svg</Name>
    <DisplayName>Test app icon</DisplayName>
    <WebResourceType>11</WebResourceType>
    <IntroducedVersion>1.0.0.0</IntroducedVersion>
    <IsCustomizable>1</IsCustomizable>
    <FileName>/${ICON_PATH}</FileName>
  </WebResource></WebResources>
  <CustomControls/>
  ${siteMap}
  <AppModules><AppModule>
    <UniqueName>${IDS.app}</UniqueName>
    <IntroducedVersion>1.0.0.0</IntroducedVersion>
    <WebResourceId>{${IDS.icon}}</WebResourceId>
    <FormFactor>1</FormFactor>
    <ClientType>4</ClientType>
    <AppModuleComponents>
      <AppModuleComponent type="1" schemaName="systemuser"/>
      <AppModuleComponent type="26" id="{${IDS.view}}"/>
      <AppModuleComponent type="59" id="{${IDS.chart}}"/>
      <AppModuleComponent type="60" id="{${IDS.dashboard}}"/>
      <AppModuleComponent type="62" schemaName="${IDS.app}"/>
    </AppModuleComponents>
    <AppModuleRoleMaps>${roles}</AppModuleRoleMaps>
    <LocalizedNames><LocalizedName description="${options.appName ?? "Test app"}" languagecode="1033"/></LocalizedNames>
    <Descriptions><Description description="An app made for the emulator's tests." languagecode="1033"/></Descriptions>
  </AppModule></AppModules>
  <Languages><Language>1033</Language></Languages>
</ImportExportXml>`;
}

/** A solution zip with solution.xml, customizations.xml, [Content_Types].xml and the icon's file. */
export async function solutionZip(managed: boolean, options: FixtureOptions = {}): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    "solution.xml",
    `<?xml version="1.0" encoding="utf-8"?><ImportExportXml version="9.2.0.0" SolutionPackageVersion="9.2" languagecode="1033"><SolutionManifest><UniqueName>TestApps</UniqueName><LocalizedNames><LocalizedName description="Test apps" languagecode="1033"/></LocalizedNames><Version>1.0.0.0</Version><Managed>${managed ? 1 : 0}</Managed><Publisher><UniqueName>ServiceAccountTools</UniqueName><LocalizedNames><LocalizedName description="Service Account Tools" languagecode="1033"/></LocalizedNames><CustomizationPrefix>svcacct</CustomizationPrefix></Publisher><RootComponents/><MissingDependencies/></SolutionManifest></ImportExportXml>`,
  );
  zip.file("customizations.xml", customizationsXml(options));
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/octet-stream"/></Types>`,
  );
  zip.file(ICON_PATH, ICON_SVG);
  return zip.generateAsync({ type: "nodebuffer" });
}

/** ImportSolution through the Web API, as the product sends it. */
export async function importZip(running: RunningEmulator, zip: Buffer, importJobId: string) {
  return sendJson(running, "POST", "ImportSolution", { ImportJobId: importJobId, CustomizationFile: zip.toString("base64") });
}

export async function publishXml(running: RunningEmulator, parameterXml: string) {
  return sendJson(running, "POST", "PublishXml", { ParameterXml: parameterXml });
}
