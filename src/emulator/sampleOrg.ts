import { ROLE_TEMPLATE_IDS } from "../core/roleNames";
import { sameId } from "../core/ids";
import { composeCustomizations, webResourceEntries } from "../solution/compose";
import { SOLUTION_DIR } from "../solution/main";
import { readSolutionSource } from "../solution/source";
import { customizationRows } from "./solutionImport";
import type { OrgData, PrivilegeGrant, Row } from "./store";

/**
 * The seeded sample organization: one user per scenario of design.md, readable by name. Ids are
 * fixed so tests, docs and the harness's user list can link to them.
 */
export const ORG_ID = "0a000000-0000-4000-8000-000000000001";
export const ROOT_BU = "0b000000-0000-4000-8000-000000000001";
export const SALES_BU = "0b000000-0000-4000-8000-000000000002";

const global = (...names: string[]): PrivilegeGrant[] => names.map((name) => ({ name, depth: "Global" }));

/**
 * The org's roles; every business unit gets a copy, tied to the root copy by parentrootroleid. System
 * roles carry their role template ("Security roles and privileges") and, in a French base language,
 * their French names: role names are base-language strings.
 */
const ROLE_TEMPLATES: { key: string; name: string; french?: string; templateId?: string; privileges: PrivilegeGrant[] }[] = [
  {
    key: "01",
    name: "System Administrator",
    french: "Administrateur système",
    templateId: ROLE_TEMPLATE_IDS.systemAdministrator,
    privileges: global(
      "prvReadUser",
      "prvWriteUser",
      "prvCreateUser",
      "prvReadRole",
      "prvWriteRole",
      "prvCreateRole",
      "prvAssignRole",
      "prvReadBusinessUnit",
      "prvReadOrganization",
      "prvWriteOrganization",
      "prvReadTeam",
      "prvWriteTeam",
      "prvImportCustomization",
      "prvCreateCustomControl",
      "prvReadSolution",
      "prvReadServiceEndpoint",
      "prvCreateServiceEndpoint",
      "prvWriteServiceEndpoint",
      "prvReadSdkMessageProcessingStep",
      "prvCreateSdkMessageProcessingStep",
      "prvWriteSdkMessageProcessingStep",
      "prvWriteSolution",
      "prvCreateSolution",
      "prvReadPublisher",
      "prvReadImportJob",
      "prvReadCustomization",
      "prvReadQuery",
      "prvWriteQuery",
      "prvReadSavedQueryVisualizations",
      "prvReadSystemForm",
      "prvReadWebResource",
      "prvReadAppModule",
      "prvReadSiteMap",
      "prvActOnBehalfOfAnotherUser",
      "prvReadAccount",
      "prvReadContact",
      // What runs as a user: processes, connection references, plug-in types and the audit summary.
      "prvReadWorkflow",
      "prvReadconnectionreference",
      "prvReadPluginType",
      "prvReadAuditSummary",
    ),
  },
  {
    key: "02",
    name: "System Customizer",
    french: "Personnalisateur du système",
    templateId: ROLE_TEMPLATE_IDS.systemCustomizer,
    privileges: global(
      "prvReadUser",
      "prvReadRole",
      "prvReadBusinessUnit",
      "prvReadOrganization",
      "prvReadTeam",
      "prvImportCustomization",
      "prvCreateCustomControl",
    ),
  },
  {
    key: "03",
    name: "Integration Service Account",
    privileges: global("prvReadOrganization", "prvReadUser", "prvReadBusinessUnit", "prvReadRole", "prvReadTeam"),
  },
  {
    key: "04",
    name: "Salesperson",
    privileges: [
      ...global("prvReadUser", "prvReadBusinessUnit", "prvReadOrganization", "prvReadRole", "prvReadTeam"),
      { name: "prvReadAccount", depth: "Local" },
    ],
  },
  // A custom role a vendor's guide might ask for: it can hand out roles and act for other users.
  {
    key: "05",
    name: "Integration Role Manager",
    privileges: global("prvReadUser", "prvReadRole", "prvAssignRole", "prvActOnBehalfOfAnotherUser"),
  },
  // A harmless custom role, given through a team.
  { key: "06", name: "Integration Reader", privileges: global("prvReadAccount", "prvReadContact") },
];

export const roleId = (name: string, businessUnitId = ROOT_BU): string => {
  const template = ROLE_TEMPLATES.find((candidate) => candidate.name === name);
  if (!template) throw new Error(`no role ${name}`);
  return `0c0000${template.key}-0000-4000-8000-${businessUnitId.slice(-12)}`;
};

/** SDK messages webhook steps register on (sdkmessage rows exist in every org with fixed names). */
export const SDK_MESSAGES = {
  Create: "0f100000-0000-4000-8000-000000000001",
  Update: "0f100000-0000-4000-8000-000000000002",
  Delete: "0f100000-0000-4000-8000-000000000003",
  Associate: "0f100000-0000-4000-8000-000000000004",
  Disassociate: "0f100000-0000-4000-8000-000000000005",
  // The RequestName of AddMembersTeamRequest and RemoveMembersTeamRequest (team table reference: "Event: True").
  AddMembersTeam: "0f100000-0000-4000-8000-000000000006",
  RemoveMembersTeam: "0f100000-0000-4000-8000-000000000007",
} as const;

/** Named users of the sample org. */
export const USERS = {
  admin: "5e000000-0000-4000-8000-000000000001",
  salesNonAdmin: "5e000000-0000-4000-8000-000000000002",
  compliant: "5e000000-0000-4000-8000-000000000003",
  compliantMarketing: "5e000000-0000-4000-8000-000000000004",
  wrongBusinessUnit: "5e000000-0000-4000-8000-000000000005",
  licenceStillAssigned: "5e000000-0000-4000-8000-000000000006",
  noEmail: "5e000000-0000-4000-8000-000000000007",
  forbiddenRole: "5e000000-0000-4000-8000-000000000008",
  disabled: "5e000000-0000-4000-8000-000000000009",
  interactive: "5e000000-0000-4000-8000-00000000000a",
  interactiveWithServiceRole: "5e000000-0000-4000-8000-00000000000b",
  applicationUser: "5e000000-0000-4000-8000-00000000000c",
  supportUser: "5e000000-0000-4000-8000-00000000000d",
  delegatedAdmin: "5e000000-0000-4000-8000-00000000000e",
  roleManagerApp: "5e000000-0000-4000-8000-00000000000f",
} as const;

/** Teams of the sample org besides each business unit's default team. */
export const TEAMS = {
  /** A Microsoft Entra security group team holding System Administrator. */
  dataverseAdmins: "7e000000-0000-4000-8000-000000000001",
  /** An owner team holding System Customizer. */
  legacyAdmins: "7e000000-0000-4000-8000-000000000002",
  /** An owner team holding a harmless read role. */
  integrationPartners: "7e000000-0000-4000-8000-000000000003",
  /** An access team: it shares records and holds no roles. */
  accountReviewers: "7e000000-0000-4000-8000-000000000004",
} as const;

/** The Entra group behind the Dataverse Admins team. */
export const DATAVERSE_ADMINS_GROUP = "9a000000-0000-4000-8000-000000000001";

/** What each sample user demonstrates, shown in the harness's user list. */
export const SCENARIOS: Record<string, string> = {
  [USERS.admin]: "System Administrator: the default acting user",
  [USERS.salesNonAdmin]: "Non-admin user (Salesperson): act as this user to see actions disabled",
  [USERS.compliant]:
    "Compliant service account (a harmless role through an owner team); runs 12 cloud flows, 2 plug-in steps, 3 connection references",
  [USERS.compliantMarketing]:
    "Non-compliant: System Administrator only through a Microsoft Entra group team; excluded from the MFA policy through a group (Entra)",
  [USERS.wrongBusinessUnit]: "Non-compliant: service role copy from another business unit; someone signs in to it as a person (Entra)",
  [USERS.licenceStillAssigned]: "Needs attention: licence still assigned",
  [USERS.noEmail]: "Non-compliant: no primary email; its password expires and is 500 days old (Entra)",
  [USERS.forbiddenRole]:
    "Non-compliant: holds System Administrator, and System Customizer through an owner team; unused for 200 days, Global Administrator (Entra); nothing runs as it",
  [USERS.disabled]: "Non-compliant: disabled",
  [USERS.interactive]: "Interactive user: convert it with the guided steps",
  [USERS.interactiveWithServiceRole]: "Non-compliant: holds the service role but is interactive",
  [USERS.applicationUser]: "Application user: not counted, nothing to fix",
  [USERS.supportUser]: "Built-in support user: never converted",
  [USERS.delegatedAdmin]: "Built-in delegated admin: never converted",
  [USERS.roleManagerApp]:
    "Application user: Non-compliant, a custom role lets it assign roles and impersonate; its secret expires in 10 days, no owner (Entra)",
};

function user(id: string, fullname: string, upn: string, fields: Row): Row {
  return {
    systemuserid: id,
    fullname,
    domainname: upn,
    internalemailaddress: upn,
    accessmode: 0,
    isdisabled: false,
    islicensed: true,
    caltype: 0,
    userlicensetype: 6,
    emailrouteraccessapproval: 1,
    applicationid: null,
    azureactivedirectoryobjectid: `${id.slice(0, 24)}aad${id.slice(27)}`,
    setupuser: false,
    businessunitid: ROOT_BU,
    ...fields,
  };
}

const SERVICE = { accessmode: 4, islicensed: false, userlicensetype: null };

/** The published solution's rows: the harness form shows the control because this form hosts it. */
const PUBLISHER_ID = "0e000000-0000-4000-8000-000000000002";
export const CONTROL_NAME = "svcacct_ServiceAccounts.ServiceAccountPanel";
const IMPORTED_SOLUTION: Record<string, Row[]> = {
  publisher: [
    { publisherid: PUBLISHER_ID, uniquename: "ServiceAccountTools", friendlyname: "Service Account Tools", customizationprefix: "svcacct" },
  ],
  solution: [
    {
      solutionid: "0e000000-0000-4000-8000-000000000001",
      uniquename: "ServiceAccountCompliance",
      friendlyname: "Service Account Compliance",
      version: "0.1.0.0",
      ismanaged: false,
      publisherid: PUBLISHER_ID,
    },
  ],
  customcontrol: [{ customcontrolid: "0e000000-0000-4000-8000-000000000003", name: CONTROL_NAME }],
  // Forms, views, the chart, the dashboard, the app, its site map and its icon: read from solution/ below.
};

/** The solution's app, as its import gives it an id in the org (app modules carry none in customizations.xml). */
export const APP_ID = "0e000000-0000-4000-8000-000000000010";
const SITEMAP_ID = "0e000000-0000-4000-8000-000000000011";

let solutionRows: { tables: Record<string, Row[]>; links: [string, string, string][] } | undefined;

/**
 * The solution's customization rows as an import of solution/ leaves them once published: composed
 * as the packer composes customizations.xml and read with the import's own reader, so the sample
 * org shows exactly what the solution ships. Its role map's System Administrator (a role template id
 * in exports) is the org's own System Administrator, as the import resolves it; roles the org lacks
 * (the solution's auditor role is not imported here) are left out.
 */
function importedSolutionRows(): { tables: Record<string, Row[]>; links: [string, string, string][] } {
  if (!solutionRows) {
    const source = readSolutionSource(SOLUTION_DIR);
    const customizations = composeCustomizations(
      source,
      source.controls.map((control) => control.folder),
    ).root;
    const files = new Map(webResourceEntries(source).map((entry) => [entry.path, entry.content]));
    const rows = customizationRows(customizations, {
      readFile: (path) => files.get(path),
      idFor: (table) => (table === "appmodule" ? APP_ID : SITEMAP_ID),
    });
    solutionRows = {
      tables: rows.tables,
      links: rows.links
        .filter(([, , role]) => sameId(role, ROLE_TEMPLATE_IDS.systemAdministrator))
        .map(([relationship, app]): [string, string, string] => [relationship, app, roleId("System Administrator")]),
    };
  }
  return solutionRows;
}

/** The sample org before the solution was ever imported: no solution, publisher, form, views, chart, dashboard, app or control. */
export function sampleOrgBeforeImport(): OrgData {
  return sampleOrg({ imported: false });
}

/**
 * Microsoft's own User views every org has: the app's "All users" entry opens the table's default
 * view. Only "Enabled Users" is modelled (its filter and a few of its columns; the id is the sample's).
 */
const SYSTEM_USER_VIEWS: Row[] = [
  {
    savedqueryid: "0e000000-0000-4000-8000-000000000020",
    name: "Enabled Users",
    returnedtypecode: "systemuser",
    querytype: 0,
    isdefault: true,
    componentstate: 0,
    fetchxml:
      '<fetch version="1.0" mapping="logical"><entity name="systemuser"><attribute name="fullname"/><attribute name="domainname"/><attribute name="accessmode"/><attribute name="businessunitid"/><attribute name="systemuserid"/><order attribute="fullname" descending="false"/><filter type="and"><condition attribute="isdisabled" operator="eq" value="0"/></filter></entity></fetch>',
    layoutxml:
      '<grid name="resultset" jump="fullname" select="1" icon="1" preview="1"><row name="result" id="systemuserid"><cell name="fullname" width="200"/><cell name="domainname" width="200"/><cell name="accessmode" width="130"/><cell name="businessunitid" width="150"/></row></grid>',
  },
];

export interface SampleOrgOptions {
  /** The org's base language: 1036 writes the system roles' names in French. */
  baseLanguage?: number;
  /** When the org is seeded (ms): usage rows (audit, flows) are dated relative to it. */
  now?: number;
  /**
   * Whether the organization audits user access (organization.isuseraccessauditenabled, default
   * true). Off, the org has no user-access audit rows either.
   */
  userAccessAudit?: boolean;
  /** The two plug-in steps that impersonate ERP Integration (default true; false leaves the org without them). */
  pluginSteps?: boolean;
  /** Whether the solution is imported and published (default true); sampleOrgBeforeImport sets false. */
  imported?: boolean;
}

/** Plug-in types of the sample org: the event handlers of the steps that impersonate ERP Integration. */
export const PLUGIN_TYPES = {
  orderSync: "4f500000-0000-4000-8000-000000000001",
  creditCheck: "4f500000-0000-4000-8000-000000000002",
} as const;

/** The plug-in steps that run as ERP Integration (sdkmessageprocessingstep.impersonatinguserid). */
export const PLUGIN_STEPS = {
  orderSync: "4f400000-0000-4000-8000-000000000001",
  creditCheck: "4f400000-0000-4000-8000-000000000002",
} as const;

const DAY_MS = 86_400_000;
const usageId = (kind: string, n: number) => `4f${kind}00000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const CLOUD_FLOW = 5;

/**
 * What runs as the sample users (workflow, connectionreference, sdkmessageprocessingstep and audit
 * table references): ERP Integration owns 12 cloud flows (9 on), 2 classic workflows (1 on), an action
 * and 3 connection references, 2 plug-in steps impersonate it, and it signed in through web services in
 * the last day; Billing Export owns 2 cloud flows (1 on) and a connection reference and last signed in 10
 * days ago; Legacy Import owns and runs nothing; the admin owns a couple of flows of their own.
 */
function usageTables(now: number, options: SampleOrgOptions): Record<string, Row[]> {
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
  const u = USERS;
  let n = 0;
  const workflows: Row[] = [];
  const workflow = (owner: string, name: string, category: number, on: boolean, primaryentity = "none", createdDaysAgo = 120) => {
    const fields = {
      name,
      category,
      statecode: on ? 1 : 0,
      statuscode: on ? 2 : 1,
      primaryentity,
      ownerid: owner,
      owninguser: owner,
      owningteam: null,
      owningbusinessunit: ROOT_BU,
      createdby: u.admin,
      createdon: at(createdDaysAgo),
      modifiedby: u.admin,
      modifiedon: at(createdDaysAgo / 4),
    };
    workflows.push({ ...fields, workflowid: usageId("1", ++n), type: 1 });
    // An activated classic workflow or action also has its activation record (type 2, "Activation").
    if (on && category !== CLOUD_FLOW) workflows.push({ ...fields, workflowid: usageId("1", ++n), type: 2 });
  };
  const erpFlows: [string, boolean][] = [
    ["Sync orders to ERP", true],
    ["Sync invoices from ERP", true],
    ["Push new accounts to ERP", true],
    ["Update stock levels from ERP", true],
    ["Sync price lists to ERP", true],
    ["Nightly customer reconciliation", true],
    ["Post shipments to ERP", true],
    ["Notify sales of credit holds", true],
    ["Archive closed orders", true],
    ["Sync purchase orders to ERP", false],
    ["Import currency rates", false],
    ["Retry failed ERP postings", false],
  ];
  erpFlows.forEach(([name, on], index) => workflow(u.compliant, name, CLOUD_FLOW, on, "none", 200 - index * 10));
  workflow(u.compliant, "ERP: set account number on create", 0, true, "account");
  workflow(u.compliant, "ERP: flag orders on credit hold", 0, false, "salesorder");
  workflow(u.compliant, "Recalculate order totals (ERP)", 3, true, "salesorder");
  workflow(u.licenceStillAssigned, "Export invoices to billing", CLOUD_FLOW, true);
  workflow(u.licenceStillAssigned, "Monthly billing reconciliation", CLOUD_FLOW, false);
  workflow(u.admin, "Weekly service account report", CLOUD_FLOW, true);
  workflow(u.admin, "Notify me of new application users", CLOUD_FLOW, false);

  const connector = (name: string) => `/providers/Microsoft.PowerApps/apis/${name}`;
  const reference = (k: number, owner: string, display: string, logical: string, api: string): Row => ({
    connectionreferenceid: usageId("2", k),
    connectionreferencedisplayname: display,
    connectionreferencelogicalname: logical,
    connectorid: connector(api),
    connectionid: `${api.replace(/^shared_/, "")}-${k.toString(16).padStart(4, "0")}`,
    description: null,
    statecode: 0,
    statuscode: 1,
    ownerid: owner,
    owninguser: owner,
    owningteam: null,
    owningbusinessunit: ROOT_BU,
    createdby: u.admin,
    createdon: at(180),
    modifiedby: u.admin,
    modifiedon: at(30),
  });
  const connectionreference = [
    reference(1, u.compliant, "ERP SQL connection", "contoso_ErpSqlConnection", "shared_sql"),
    reference(2, u.compliant, "Dataverse (ERP)", "contoso_DataverseErp", "shared_commondataserviceforapps"),
    reference(3, u.compliant, "Office 365 Outlook (ERP)", "contoso_Office365OutlookErp", "shared_office365"),
    reference(4, u.licenceStillAssigned, "Billing SFTP", "contoso_BillingSftp", "shared_sftpwithssh"),
  ];

  // User access rows: operation 4 (Access), action 64 (via Web) or 65 (via Web Services), the user as
  // both the audited record and the one who caused it ("Retrieve the history of audited data changes").
  let a = 0;
  const access = (user: string, action: 64 | 65, daysAgo: number): Row => ({
    auditid: usageId("3", ++a),
    createdon: at(daysAgo),
    action,
    operation: 4,
    objectid: user,
    objecttypecode: "systemuser",
    userid: user,
    callinguserid: null,
  });
  const audit: Row[] = [
    // A change, not an access: the admin updated Billing Export's record.
    {
      auditid: usageId("3", ++a),
      createdon: at(12),
      action: 2,
      operation: 2,
      objectid: u.licenceStillAssigned,
      objecttypecode: "systemuser",
      userid: u.admin,
      callinguserid: null,
    },
  ];
  if (options.userAccessAudit ?? true)
    audit.push(
      access(u.compliant, 65, 3),
      access(u.compliant, 65, 0.75),
      access(u.compliant, 65, 0.1),
      access(u.licenceStillAssigned, 65, 10),
      access(u.admin, 64, 0.05),
      access(u.salesNonAdmin, 64, 1),
      access(u.interactive, 64, 2),
      // The other service accounts and application users are in use; Legacy Import and the disabled
      // Retired Sync have no access on record.
      ...[u.compliantMarketing, u.wrongBusinessUnit, u.noEmail, u.interactiveWithServiceRole, u.applicationUser, u.roleManagerApp].map(
        (user, index) => access(user, 65, 1 + index),
      ),
    );

  const tables: Record<string, Row[]> = {
    workflow: workflows,
    connectionreference,
    audit,
    organization: [
      {
        organizationid: ORG_ID,
        name: "Contoso (emulated)",
        isauditenabled: true,
        auditretentionperiodv2: 30,
        isuseraccessauditenabled: options.userAccessAudit ?? true,
        useraccessauditinginterval: 4,
      },
    ],
    plugintype: [
      ["orderSync", "OrderSync"],
      ["creditCheck", "CreditCheck"],
    ].map(([key, name]) => ({
      plugintypeid: PLUGIN_TYPES[key as keyof typeof PLUGIN_TYPES],
      name: `Contoso.Erp.Plugins.${name}`,
      typename: `Contoso.Erp.Plugins.${name}`,
      friendlyname: name,
      assemblyname: "Contoso.Erp.Plugins",
    })),
  };
  if (options.pluginSteps !== false)
    tables.sdkmessageprocessingstep = [
      {
        sdkmessageprocessingstepid: PLUGIN_STEPS.orderSync,
        name: "Contoso.Erp.Plugins.OrderSync: Create of salesorder",
        description: null,
        stage: 40,
        mode: 1,
        rank: 1,
        supporteddeployment: 0,
        asyncautodelete: false,
        filteringattributes: null,
        sdkmessageid: SDK_MESSAGES.Create,
        sdkmessagefilterid: null,
        eventhandler: PLUGIN_TYPES.orderSync,
        impersonatinguserid: u.compliant,
        statecode: 0,
        statuscode: 1,
      },
      {
        sdkmessageprocessingstepid: PLUGIN_STEPS.creditCheck,
        name: "Contoso.Erp.Plugins.CreditCheck: Update of account",
        description: null,
        stage: 20,
        mode: 0,
        rank: 1,
        supporteddeployment: 0,
        asyncautodelete: false,
        filteringattributes: "creditlimit",
        sdkmessageid: SDK_MESSAGES.Update,
        sdkmessagefilterid: null,
        eventhandler: PLUGIN_TYPES.creditCheck,
        impersonatinguserid: u.compliant,
        statecode: 1,
        statuscode: 2,
      },
    ];
  return tables;
}

export function sampleOrg(options: SampleOrgOptions = {}): OrgData {
  const baseLanguage = options.baseLanguage ?? 1033;
  const businessunits = [
    { businessunitid: ROOT_BU, name: "Contoso", parentbusinessunitid: null },
    { businessunitid: SALES_BU, name: "Contoso Sales", parentbusinessunitid: ROOT_BU },
  ];
  const roles = businessunits.flatMap((bu) =>
    ROLE_TEMPLATES.map((template) => ({
      roleid: roleId(template.name, bu.businessunitid),
      name: baseLanguage === 1036 && template.french ? template.french : template.name,
      businessunitid: bu.businessunitid,
      parentrootroleid: roleId(template.name, ROOT_BU),
      roletemplateid: template.templateId ?? null,
      // "Direct User (Basic) access level and Team privileges": the only kind an Entra group team may hold.
      isinherited: 1,
      privileges: template.privileges,
    })),
  );
  const u = USERS;
  const systemusers = [
    user(u.admin, "Avery Admin", "avery.admin@contoso.com", {}),
    user(u.salesNonAdmin, "Sam Sales", "sam.sales@contoso.com", { businessunitid: SALES_BU }),
    user(u.compliant, "ERP Integration", "svc-erp@contoso.com", SERVICE),
    user(u.compliantMarketing, "Marketing Sync", "svc-marketing@contoso.com", SERVICE),
    user(u.wrongBusinessUnit, "Sales Connector", "svc-sales-connector@contoso.com", { ...SERVICE, businessunitid: SALES_BU }),
    user(u.licenceStillAssigned, "Billing Export", "svc-billing@contoso.com", { accessmode: 4, islicensed: true }),
    user(u.noEmail, "Warehouse Feed", "svc-warehouse@contoso.com", { ...SERVICE, internalemailaddress: null }),
    user(u.forbiddenRole, "Legacy Import", "svc-legacy@contoso.com", SERVICE),
    user(u.disabled, "Retired Sync", "svc-retired@contoso.com", { ...SERVICE, isdisabled: true }),
    user(u.interactive, "Nora Newhire", "nora.newhire@contoso.com", {}),
    user(u.interactiveWithServiceRole, "Ivan Integrator", "svc-ivan@contoso.com", {}),
    user(u.applicationUser, "# Data Platform App", "app-dataplatform@contoso.com", {
      ...SERVICE,
      applicationid: "0d000000-0000-4000-8000-000000000001",
      internalemailaddress: null,
    }),
    user(u.supportUser, "Support User", "crmoln@microsoft.com", { accessmode: 3, islicensed: false, userlicensetype: null }),
    user(u.delegatedAdmin, "Delegated Admin", "crmoln2@microsoft.com", { accessmode: 5, islicensed: false, userlicensetype: null }),
    user(u.roleManagerApp, "# Role Manager App", "app-rolemanager@contoso.com", {
      ...SERVICE,
      applicationid: "0d000000-0000-4000-8000-000000000002",
      internalemailaddress: null,
    }),
  ];
  const team = (teamid: string, name: string, teamtype: number, fields: Row = {}): Row => ({
    teamid,
    name,
    teamtype,
    isdefault: false,
    businessunitid: ROOT_BU,
    azureactivedirectoryobjectid: null,
    ...fields,
  });
  const teams = [
    team(TEAMS.dataverseAdmins, "Dataverse Admins", 2, { azureactivedirectoryobjectid: DATAVERSE_ADMINS_GROUP }),
    team(TEAMS.legacyAdmins, "Legacy Admins", 0),
    team(TEAMS.integrationPartners, "Integration Partners", 0),
    team(TEAMS.accountReviewers, "Account Reviewers", 1),
  ];
  const isa = (bu = ROOT_BU) => roleId("Integration Service Account", bu);
  const userRoles: [string, string][] = [
    [u.admin, roleId("System Administrator")],
    [u.salesNonAdmin, roleId("Salesperson", SALES_BU)],
    [u.compliant, isa()],
    [u.compliantMarketing, isa()],
    [u.wrongBusinessUnit, isa(ROOT_BU)],
    [u.licenceStillAssigned, isa()],
    [u.noEmail, isa()],
    [u.forbiddenRole, isa()],
    [u.forbiddenRole, roleId("System Administrator")],
    [u.disabled, isa()],
    [u.interactiveWithServiceRole, isa()],
    [u.applicationUser, isa()],
    [u.roleManagerApp, isa()],
    [u.roleManagerApp, roleId("Integration Role Manager")],
  ];
  // Group team members as Dataverse lists them once they have signed in ("Manage group teams").
  const teamMembers: [string, string][] = [
    [TEAMS.dataverseAdmins, u.compliantMarketing],
    [TEAMS.legacyAdmins, u.forbiddenRole],
    [TEAMS.integrationPartners, u.compliant],
    [TEAMS.accountReviewers, u.salesNonAdmin],
  ];
  const teamRoles: [string, string][] = [
    [TEAMS.dataverseAdmins, roleId("System Administrator")],
    [TEAMS.legacyAdmins, roleId("System Customizer")],
    [TEAMS.integrationPartners, roleId("Integration Reader")],
  ];
  return {
    tables: {
      sdkmessage: Object.entries(SDK_MESSAGES).map(([name, sdkmessageid]) => ({ sdkmessageid, name })),
      sdkmessagefilter: [
        // Associate and Disassociate are not per table: their one filter's primary entity is `none`.
        ...(
          [
            ["0f000000-0000-4000-8000-000000000001", "systemuser", SDK_MESSAGES.Update],
            ["0f000000-0000-4000-8000-000000000002", "systemuser", SDK_MESSAGES.Create],
            ["0f000000-0000-4000-8000-000000000004", "none", SDK_MESSAGES.Associate],
            ["0f000000-0000-4000-8000-000000000005", "none", SDK_MESSAGES.Disassociate],
            ["0f000000-0000-4000-8000-000000000006", "team", SDK_MESSAGES.AddMembersTeam],
            ["0f000000-0000-4000-8000-000000000007", "team", SDK_MESSAGES.RemoveMembersTeam],
          ] as const
        ).map(([sdkmessagefilterid, primaryobjecttypecode, sdkmessageid]) => ({
          sdkmessagefilterid,
          primaryobjecttypecode,
          sdkmessageid,
          // "Event framework": a message and table take plug-in steps where this is true.
          iscustomprocessingstepallowed: true,
        })),
      ],
      // The org as it is once the solution has been imported and published (the harness shows the control).
      ...(options.imported === false ? {} : { ...IMPORTED_SOLUTION, ...structuredClone(importedSolutionRows().tables) }),
      savedquery: structuredClone([
        ...SYSTEM_USER_VIEWS,
        ...(options.imported === false ? [] : (importedSolutionRows().tables.savedquery ?? [])),
      ]),
      ...usageTables(options.now ?? Date.now(), options),
    },
    organization: {
      organizationid: ORG_ID,
      name: "Contoso (emulated)",
      maxNonInteractiveUsers: 7,
      isOnPremises: false,
      modernizedBusinessUnits: false,
      baseLanguage,
    },
    businessunits,
    roles,
    systemusers,
    userRoles,
    teams,
    teamMembers,
    teamRoles,
    links: options.imported === false ? [] : importedSolutionRows().links,
  };
}
