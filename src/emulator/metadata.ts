/**
 * The slice of Dataverse's metadata the emulator serves: the tables with the columns the product
 * reads and writes, their types, choice labels and lookup targets, and the many-to-many relationships
 * between users, teams, roles and privileges (Dataverse table references: systemuser, role,
 * businessunit, team, privilege). Labels are the English ones Dataverse formats values with.
 */
export type ColumnType = "guid" | "string" | "int" | "bool" | "choice" | "lookup" | "datetime";

export interface ColumnDef {
  type: ColumnType;
  /** choice: value → label. */
  options?: Record<number, string>;
  /** bool: [label for false, label for true]. */
  labels?: [string, string];
  /** lookup: the target table's logical name; the column is exposed as `_<name>_value`. */
  target?: string;
  /**
   * A polymorphic lookup (Owner, or a Lookup with several Targets in the table reference): every table
   * it may point to, `target` first. `target` stays the one `$expand` and `@odata.bind` use.
   */
  targets?: string[];
  /** Dataverse sends no FormattedValue for this lookup (audit `_objectid_value`, "Retrieve the history of audited data changes"). */
  omitFormattedValue?: boolean;
  /** Dataverse sends no associatednavigationproperty for this lookup (every lookup of `audit`, same page). */
  omitNavigation?: boolean;
  /** Set by the platform: a PATCH may not change it. */
  readOnly?: boolean;
  /** Accepted on create and update, never returned (serviceendpoint.authvalue). */
  writeOnly?: boolean;
}

export interface EntityDef {
  logicalName: string;
  setName: string;
  primaryKey: string;
  primaryName: string;
  columns: Record<string, ColumnDef>;
  /**
   * OwnershipType UserOwned in the table reference: a read privilege's depth decides whose rows a
   * caller sees (Basic: their own and their teams', Local: their business unit's, Deep: and its
   * children's, Global: all; "Security roles and privileges").
   */
  userOwned?: boolean;
}

const ACCESS_MODE = { 0: "Read-Write", 1: "Administrative", 2: "Read", 3: "Support User", 4: "Non-interactive", 5: "Delegated Admin" };
const EMAIL_APPROVAL = { 0: "Empty", 1: "Approved", 2: "Pending Approval", 3: "Rejected" };
const CAL_TYPE = {
  0: "Professional",
  1: "Administrative",
  2: "Basic",
  3: "Device Professional",
  4: "Device Basic",
  5: "Essential",
  6: "Device Essential",
  7: "Enterprise",
  8: "Device Enterprise",
  9: "Sales",
  10: "Service",
  11: "Field Service",
  12: "Project Service",
};

/** The solution's compliance badge (option value prefix 41350). */
export const COMPLIANCE_STATUS_OPTIONS = {
  413500000: "Compliant",
  413500001: "Needs attention",
  413500002: "Non-compliant",
  413500003: "Not a service account",
};

/** Every table's row version and modification time, set by the platform. */
const ROW_VERSION: Record<string, ColumnDef> = {
  versionnumber: { type: "int", readOnly: true },
  modifiedon: { type: "datetime", readOnly: true },
};

export const SYSTEMUSER: EntityDef = {
  logicalName: "systemuser",
  setName: "systemusers",
  primaryKey: "systemuserid",
  primaryName: "fullname",
  columns: {
    systemuserid: { type: "guid", readOnly: true },
    fullname: { type: "string", readOnly: true },
    domainname: { type: "string" },
    internalemailaddress: { type: "string" },
    accessmode: { type: "choice", options: ACCESS_MODE },
    // Writable, as the systemuser table reference lists them (neither is marked IsValidForUpdate false).
    isdisabled: { type: "bool", labels: ["Enabled", "Disabled"] },
    islicensed: { type: "bool", labels: ["No", "Yes"] },
    caltype: { type: "choice", options: CAL_TYPE },
    // Both listed among the writable columns of the systemuser table reference.
    userlicensetype: { type: "int" },
    emailrouteraccessapproval: { type: "choice", options: EMAIL_APPROVAL },
    applicationid: { type: "guid" },
    azureactivedirectoryobjectid: { type: "guid", readOnly: true },
    setupuser: { type: "bool", labels: ["No", "Yes"] },
    businessunitid: { type: "lookup", target: "businessunit", readOnly: true },
    ...ROW_VERSION,
    svcacct_compliancestatus: { type: "choice", options: COMPLIANCE_STATUS_OPTIONS },
    svcacct_compliancesummary: { type: "string" },
    svcacct_compliancecheckedon: { type: "datetime" },
    svcacct_entraverdict: { type: "string" },
    svcacct_entraverdicton: { type: "datetime" },
  },
};

export const ROLE: EntityDef = {
  logicalName: "role",
  setName: "roles",
  primaryKey: "roleid",
  primaryName: "name",
  columns: {
    roleid: { type: "guid", readOnly: true },
    name: { type: "string" },
    businessunitid: { type: "lookup", target: "businessunit", readOnly: true },
    parentrootroleid: { type: "lookup", target: "role", readOnly: true },
    // The template a system role comes from: constant in every environment and language ("Security roles and privileges").
    roletemplateid: { type: "lookup", target: "roletemplate", readOnly: true },
    // "Member's privilege inheritance": 0 team privileges only, 1 direct user (basic) access level and team privileges.
    isinherited: { type: "choice", options: { 0: "Team privileges only", 1: "Direct User (Basic) access level and Team privileges" } },
    ...ROW_VERSION,
  },
};

/** team table reference: teamtype 0 Owner, 1 Access, 2 Security Group, 3 Office Group. */
export const TEAM: EntityDef = {
  logicalName: "team",
  setName: "teams",
  primaryKey: "teamid",
  primaryName: "name",
  columns: {
    teamid: { type: "guid", readOnly: true },
    name: { type: "string" },
    teamtype: { type: "choice", options: { 0: "Owner", 1: "Access", 2: "Security Group", 3: "Office Group" } },
    azureactivedirectoryobjectid: { type: "guid" },
    businessunitid: { type: "lookup", target: "businessunit" },
    isdefault: { type: "bool", labels: ["No", "Yes"], readOnly: true },
    ...ROW_VERSION,
  },
};

/** privilege table reference: one row per privilege, `name` as prvReadAccount. */
export const PRIVILEGE: EntityDef = {
  logicalName: "privilege",
  setName: "privileges",
  primaryKey: "privilegeid",
  primaryName: "name",
  columns: {
    privilegeid: { type: "guid", readOnly: true },
    name: { type: "string", readOnly: true },
    ...ROW_VERSION,
  },
};

export const BUSINESSUNIT: EntityDef = {
  logicalName: "businessunit",
  setName: "businessunits",
  primaryKey: "businessunitid",
  primaryName: "name",
  columns: {
    businessunitid: { type: "guid", readOnly: true },
    name: { type: "string" },
    parentbusinessunitid: { type: "lookup", target: "businessunit", readOnly: true },
    ...ROW_VERSION,
  },
};

/** Webhook registration ("Register a webhook"; serviceendpoint and sdkmessageprocessingstep references). */
export const SERVICEENDPOINT: EntityDef = {
  logicalName: "serviceendpoint",
  setName: "serviceendpoints",
  primaryKey: "serviceendpointid",
  primaryName: "name",
  columns: {
    serviceendpointid: { type: "guid", readOnly: true },
    name: { type: "string" },
    description: { type: "string" },
    url: { type: "string" },
    contract: {
      type: "choice",
      options: {
        1: "OneWay",
        2: "Queue",
        3: "Rest",
        4: "TwoWay",
        5: "Topic",
        6: "Queue (Persistent)",
        7: "Event Hub",
        8: "Webhook",
        9: "Event Grid",
      },
    },
    connectionmode: { type: "choice", options: { 1: "Normal", 2: "Federated" } },
    messageformat: { type: "choice", options: { 1: "Binary XML", 2: "Json", 3: "Text XML" } },
    authtype: {
      type: "choice",
      options: { 1: "ACS", 2: "SAS Key", 3: "SAS Token", 4: "Webhook Key", 5: "Http Header", 6: "Http Query String" },
    },
    authvalue: { type: "string", writeOnly: true },
    ...ROW_VERSION,
  },
};

export const SDKMESSAGE: EntityDef = {
  logicalName: "sdkmessage",
  setName: "sdkmessages",
  primaryKey: "sdkmessageid",
  primaryName: "name",
  columns: { sdkmessageid: { type: "guid", readOnly: true }, name: { type: "string" }, ...ROW_VERSION },
};

export const SDKMESSAGEFILTER: EntityDef = {
  logicalName: "sdkmessagefilter",
  setName: "sdkmessagefilters",
  primaryKey: "sdkmessagefilterid",
  primaryName: "primaryobjecttypecode",
  columns: {
    sdkmessagefilterid: { type: "guid", readOnly: true },
    primaryobjecttypecode: { type: "string" },
    sdkmessageid: { type: "lookup", target: "sdkmessage" },
    iscustomprocessingstepallowed: { type: "bool", labels: ["No", "Yes"], readOnly: true },
    ...ROW_VERSION,
  },
};

export const SDKMESSAGEPROCESSINGSTEP: EntityDef = {
  logicalName: "sdkmessageprocessingstep",
  setName: "sdkmessageprocessingsteps",
  primaryKey: "sdkmessageprocessingstepid",
  primaryName: "name",
  columns: {
    sdkmessageprocessingstepid: { type: "guid", readOnly: true },
    name: { type: "string" },
    description: { type: "string" },
    stage: { type: "choice", options: { 10: "Pre-validation", 20: "Pre-operation", 30: "Main operation", 40: "Post-operation" } },
    mode: { type: "choice", options: { 0: "Synchronous", 1: "Asynchronous" } },
    rank: { type: "int" },
    supporteddeployment: { type: "choice", options: { 0: "Server Only", 1: "Microsoft Dynamics 365 Client for Outlook Only", 2: "Both" } },
    asyncautodelete: { type: "bool", labels: ["No", "Yes"] },
    filteringattributes: { type: "string" },
    sdkmessageid: { type: "lookup", target: "sdkmessage" },
    sdkmessagefilterid: { type: "lookup", target: "sdkmessagefilter" },
    // EventHandler: "Targets: plugintype, serviceendpoint" (sdkmessageprocessingstep table reference).
    eventhandler: { type: "lookup", target: "serviceendpoint", targets: ["serviceendpoint", "plugintype"] },
    // ImpersonatingUserId: "the user to impersonate context when step is executed" (Lookup, Targets: systemuser).
    impersonatinguserid: { type: "lookup", target: "systemuser" },
    statecode: { type: "choice", options: { 0: "Enabled", 1: "Disabled" } },
    statuscode: { type: "choice", options: { 1: "Enabled", 2: "Disabled" } },
    ...ROW_VERSION,
  },
};

/** Plug-in types (plugintype table reference): a step's event handler when it runs code, named by its class. */
export const PLUGINTYPE: EntityDef = {
  logicalName: "plugintype",
  setName: "plugintypes",
  primaryKey: "plugintypeid",
  primaryName: "name",
  columns: {
    plugintypeid: { type: "guid", readOnly: true },
    name: { type: "string" },
    typename: { type: "string" },
    friendlyname: { type: "string" },
    assemblyname: { type: "string", readOnly: true },
    ...ROW_VERSION,
  },
};

/**
 * OwnerId is of type Owner ("Targets: systemuser, team"); OwningUser, OwningTeam and
 * OwningBusinessUnit are set by the platform (workflow and connectionreference table references).
 */
const OWNER: Record<string, ColumnDef> = {
  ownerid: { type: "lookup", target: "systemuser", targets: ["systemuser", "team"] },
  owninguser: { type: "lookup", target: "systemuser", readOnly: true },
  owningteam: { type: "lookup", target: "team", readOnly: true },
  owningbusinessunit: { type: "lookup", target: "businessunit", readOnly: true },
  createdby: { type: "lookup", target: "systemuser", readOnly: true },
  createdon: { type: "datetime", readOnly: true },
  modifiedby: { type: "lookup", target: "systemuser", readOnly: true },
};

/** Process (workflow) table reference: choices and labels as listed there. */
export const WORKFLOW: EntityDef = {
  logicalName: "workflow",
  setName: "workflows",
  primaryKey: "workflowid",
  primaryName: "name",
  userOwned: true,
  columns: {
    workflowid: { type: "guid", readOnly: true },
    name: { type: "string" },
    category: {
      type: "choice",
      options: {
        0: "Workflow",
        1: "Dialog",
        2: "Business Rule",
        3: "Action",
        4: "Business Process Flow",
        5: "Modern Flow",
        6: "Desktop Flow",
        7: "AI Flow",
      },
    },
    type: { type: "choice", options: { 1: "Definition", 2: "Activation", 3: "Template" } },
    statecode: { type: "choice", options: { 0: "Draft", 1: "Activated", 2: "Suspended" } },
    statuscode: { type: "choice", options: { 1: "Draft", 2: "Activated", 3: "CompanyDLPViolation" } },
    // PrimaryEntity is of type EntityName: the logical name as a string ("none" when there is none).
    primaryentity: { type: "string" },
    ...OWNER,
    ...ROW_VERSION,
  },
};

/** Connection Reference (connectionreference) table reference. */
export const CONNECTIONREFERENCE: EntityDef = {
  logicalName: "connectionreference",
  setName: "connectionreferences",
  primaryKey: "connectionreferenceid",
  primaryName: "connectionreferencedisplayname",
  userOwned: true,
  columns: {
    connectionreferenceid: { type: "guid", readOnly: true },
    connectionreferencedisplayname: { type: "string" },
    connectionreferencelogicalname: { type: "string" },
    // "Id of the Public/Shared Connector", e.g. /providers/Microsoft.PowerApps/apis/shared_sql.
    connectorid: { type: "string" },
    // "Id of the connection in API hub".
    connectionid: { type: "string" },
    description: { type: "string" },
    statecode: { type: "choice", options: { 0: "Active", 1: "Inactive" } },
    statuscode: { type: "choice", options: { 1: "Active", 2: "Inactive" } },
    ...OWNER,
    ...ROW_VERSION,
  },
};

/**
 * Auditing (audit) table reference and "Retrieve the history of audited data changes": read-only,
 * OwnershipType None, no row version (its $metadata EntityType has no versionnumber, and the page's
 * answer carries no @odata.etag). User access rows have operation 4 (Access) and action 64 (User
 * Access via Web) or 65 (User Access via Web Services).
 */
export const AUDIT: EntityDef = {
  logicalName: "audit",
  setName: "audits",
  primaryKey: "auditid",
  primaryName: "auditid",
  columns: {
    auditid: { type: "guid", readOnly: true },
    createdon: { type: "datetime", readOnly: true },
    action: {
      type: "choice",
      options: {
        0: "Unknown",
        1: "Create",
        2: "Update",
        3: "Delete",
        4: "Activate",
        5: "Deactivate",
        13: "Assign",
        15: "Retrieve",
        33: "Associate Entities",
        34: "Disassociate Entities",
        55: "Assign Role To User",
        56: "Remove Role From User",
        64: "User Access via Web",
        65: "User Access via Web Services",
        112: "User Access Audit Started",
        113: "User Access Audit Stopped",
      },
      readOnly: true,
    },
    operation: { type: "choice", options: { 1: "Create", 2: "Update", 3: "Delete", 4: "Access" }, readOnly: true },
    // ObjectId has no fixed target; objecttypecode names the table. The page's answer shows only its lookuplogicalname.
    objectid: {
      type: "lookup",
      target: "systemuser",
      targets: ["systemuser", "team", "role", "businessunit"],
      omitFormattedValue: true,
      omitNavigation: true,
      readOnly: true,
    },
    objecttypecode: { type: "string", readOnly: true },
    userid: { type: "lookup", target: "systemuser", omitNavigation: true, readOnly: true },
    callinguserid: { type: "lookup", target: "systemuser", omitNavigation: true, readOnly: true },
  },
};

/**
 * The organization's one row ("Configure auditing": isauditenabled, isuseraccessauditenabled, which
 * needs auditing on, and useraccessauditinginterval, how often user access is logged, in hours).
 */
export const ORGANIZATION: EntityDef = {
  logicalName: "organization",
  setName: "organizations",
  primaryKey: "organizationid",
  primaryName: "name",
  columns: {
    organizationid: { type: "guid", readOnly: true },
    name: { type: "string" },
    isauditenabled: { type: "bool", labels: ["No", "Yes"] },
    auditretentionperiodv2: { type: "int" },
    isuseraccessauditenabled: { type: "bool", labels: ["No", "Yes"] },
    useraccessauditinginterval: { type: "int" },
    ...ROW_VERSION,
  },
};

export const SOLUTION: EntityDef = {
  logicalName: "solution",
  setName: "solutions",
  primaryKey: "solutionid",
  primaryName: "friendlyname",
  columns: {
    solutionid: { type: "guid", readOnly: true },
    uniquename: { type: "string" },
    friendlyname: { type: "string" },
    description: { type: "string" },
    version: { type: "string" },
    ismanaged: { type: "bool", labels: ["No", "Yes"], readOnly: true },
    publisherid: { type: "lookup", target: "publisher" },
    ...ROW_VERSION,
  },
};

/** Solution publishers (ImportSolution records the one a solution names). */
export const PUBLISHER: EntityDef = {
  logicalName: "publisher",
  setName: "publishers",
  primaryKey: "publisherid",
  primaryName: "friendlyname",
  columns: {
    publisherid: { type: "guid", readOnly: true },
    uniquename: { type: "string" },
    friendlyname: { type: "string" },
    customizationprefix: { type: "string" },
    ...ROW_VERSION,
  },
};

/**
 * ComponentState of the solution-aware tables (sitemap, appmodule, webresource, systemform, savedquery and
 * savedqueryvisualization table references): 0 Published, 1 Unpublished. Served rows are published; a row
 * RetrieveUnpublishedMultiple answers from a draft reads 1.
 */
const COMPONENT_STATE: ColumnDef = {
  type: "choice",
  options: { 0: "Published", 1: "Unpublished", 2: "Deleted", 3: "Deleted Unpublished" },
  readOnly: true,
};

/**
 * Published forms and views (systemform, savedquery table references). An unmanaged import stages
 * them as drafts the store keeps apart; only published rows are read here ("Import solutions":
 * unmanaged changes are imported in a draft state and must be published). A dashboard is a systemform
 * of type 0 whose objecttypecode is `none`; `formxml` is the `<form>` element.
 */
export const SYSTEMFORM: EntityDef = {
  logicalName: "systemform",
  setName: "systemforms",
  primaryKey: "formid",
  primaryName: "name",
  columns: {
    formid: { type: "guid", readOnly: true },
    name: { type: "string", readOnly: true },
    description: { type: "string", readOnly: true },
    objecttypecode: { type: "string", readOnly: true },
    // Type ("Form Type"), as the systemform table reference lists the options.
    type: {
      type: "choice",
      options: {
        0: "Dashboard",
        1: "AppointmentBook",
        2: "Main",
        3: "MiniCampaignBO",
        4: "Preview",
        5: "Mobile - Express",
        6: "Quick View Form",
        7: "Quick Create",
        8: "Dialog",
        9: "Task Flow Form",
        10: "InteractionCentricDashboard",
        11: "Card",
        12: "Main - Interactive experience",
        13: "Contextual Dashboard",
        100: "Other",
        101: "MainBackup",
        102: "AppointmentBookBackup",
        103: "Power BI Dashboard",
      },
      readOnly: true,
    },
    formxml: { type: "string", readOnly: true },
    componentstate: COMPONENT_STATE,
    ...ROW_VERSION,
  },
};

/** Views (savedquery table reference): the query (`fetchxml`, a `<fetch>`) and the grid (`layoutxml`, a `<grid>`). */
export const SAVEDQUERY: EntityDef = {
  logicalName: "savedquery",
  setName: "savedqueries",
  primaryKey: "savedqueryid",
  primaryName: "name",
  columns: {
    savedqueryid: { type: "guid", readOnly: true },
    name: { type: "string", readOnly: true },
    description: { type: "string", readOnly: true },
    returnedtypecode: { type: "string", readOnly: true },
    fetchxml: { type: "string", readOnly: true },
    layoutxml: { type: "string", readOnly: true },
    // QueryType is an Integer (0 Main Application View, 1 Advanced Search, 2 Sub-Grid, 4 Quick Find, 64 Lookup, …).
    querytype: { type: "int", readOnly: true },
    isdefault: { type: "bool", labels: ["No", "Yes"], readOnly: true },
    componentstate: COMPONENT_STATE,
    ...ROW_VERSION,
  },
};

/**
 * System charts (savedqueryvisualization table reference): the aggregate fetch in `datadescription`
 * (`<datadefinition>`), the chart in `presentationdescription` (`<Chart>`), the table they chart in
 * `primaryentitytypecode` (EntityName: the logical name). Published with their table.
 */
export const SAVEDQUERYVISUALIZATION: EntityDef = {
  logicalName: "savedqueryvisualization",
  setName: "savedqueryvisualizations",
  primaryKey: "savedqueryvisualizationid",
  primaryName: "name",
  columns: {
    savedqueryvisualizationid: { type: "guid", readOnly: true },
    name: { type: "string", readOnly: true },
    description: { type: "string", readOnly: true },
    primaryentitytypecode: { type: "string", readOnly: true },
    datadescription: { type: "string", readOnly: true },
    presentationdescription: { type: "string", readOnly: true },
    isdefault: { type: "bool", labels: ["No", "Yes"], readOnly: true },
    componentstate: COMPONENT_STATE,
    ...ROW_VERSION,
  },
};

/**
 * Model-driven apps (appmodule table reference, "Create, manage, and publish model-driven apps using
 * code"): `GET appmodules` lists published apps only; RetrieveUnpublishedMultiple also the drafts.
 * WebResourceId is a Uniqueidentifier (the icon), ClientType and FormFactor Integers.
 */
export const APPMODULE: EntityDef = {
  logicalName: "appmodule",
  setName: "appmodules",
  primaryKey: "appmoduleid",
  primaryName: "name",
  columns: {
    appmoduleid: { type: "guid", readOnly: true },
    uniquename: { type: "string", readOnly: true },
    name: { type: "string", readOnly: true },
    description: { type: "string", readOnly: true },
    webresourceid: { type: "guid", readOnly: true },
    clienttype: { type: "int", readOnly: true },
    formfactor: { type: "int", readOnly: true },
    url: { type: "string", readOnly: true },
    introducedversion: { type: "string", readOnly: true },
    publishedon: { type: "datetime", readOnly: true },
    componentstate: COMPONENT_STATE,
    ...ROW_VERSION,
  },
};

/**
 * Site maps (sitemap table reference): an app's navigation, `isappaware` for an app's own site map,
 * `sitemapxml` the `<SiteMap>` element. Published with its app, or by PublishXml's `<sitemaps>`.
 */
export const SITEMAP: EntityDef = {
  logicalName: "sitemap",
  setName: "sitemaps",
  primaryKey: "sitemapid",
  // The reference gives no PrimaryNameAttribute; sitemapname is what names one.
  primaryName: "sitemapname",
  columns: {
    sitemapid: { type: "guid", readOnly: true },
    sitemapname: { type: "string", readOnly: true },
    sitemapnameunique: { type: "string", readOnly: true },
    sitemapxml: { type: "string", readOnly: true },
    isappaware: { type: "bool", labels: ["No", "Yes"], readOnly: true },
    componentstate: COMPONENT_STATE,
    ...ROW_VERSION,
  },
};

/** Web resources (webresource table reference): `content` is the file, base64; WebResourceType as listed there. */
export const WEBRESOURCE: EntityDef = {
  logicalName: "webresource",
  setName: "webresourceset",
  primaryKey: "webresourceid",
  primaryName: "name",
  columns: {
    webresourceid: { type: "guid", readOnly: true },
    name: { type: "string", readOnly: true },
    displayname: { type: "string", readOnly: true },
    description: { type: "string", readOnly: true },
    webresourcetype: {
      type: "choice",
      options: {
        1: "Webpage (HTML)",
        2: "Style Sheet (CSS)",
        3: "Script (JScript)",
        4: "Data (XML)",
        5: "PNG format",
        6: "JPG format",
        7: "GIF format",
        8: "Silverlight (XAP)",
        9: "Style Sheet (XSL)",
        10: "ICO format",
        11: "Vector format (SVG)",
        12: "String (RESX)",
      },
      readOnly: true,
    },
    content: { type: "string", readOnly: true },
    componentstate: COMPONENT_STATE,
    ...ROW_VERSION,
  },
};

/** Code components (customcontrol table reference), created by the import that carries them. */
export const CUSTOMCONTROL: EntityDef = {
  logicalName: "customcontrol",
  setName: "customcontrols",
  primaryKey: "customcontrolid",
  primaryName: "name",
  columns: {
    customcontrolid: { type: "guid", readOnly: true },
    name: { type: "string", readOnly: true },
    ...ROW_VERSION,
  },
};

/**
 * A many-to-many relationship: its schema name is also the navigation property's name on both sides,
 * and its intersect table holds one row per pair (teammembership, teamroles, roleprivileges and
 * systemuserroles table references, "Many-to-many relationships" of systemuser, team and role).
 */
export interface ManyToManyDef {
  schemaName: string;
  intersect: EntityDef;
  /** The two tables and the intersect's column for each. */
  sides: [{ table: string; column: string }, { table: string; column: string }];
}

function intersectTable(logicalName: string, setName: string, primaryKey: string, columns: string[]): EntityDef {
  return {
    logicalName,
    setName,
    primaryKey,
    primaryName: primaryKey,
    columns: Object.fromEntries([
      [primaryKey, { type: "guid", readOnly: true }],
      ...columns.map((column) => [column, { type: "guid", readOnly: true }]),
      ...Object.entries(ROW_VERSION),
    ]) as Record<string, ColumnDef>,
  };
}

/** The users-roles intersect table; its rows are the store's role assignments. */
export const SYSTEMUSERROLES = intersectTable("systemuserroles", "systemuserrolescollection", "systemuserroleid", [
  "systemuserid",
  "roleid",
]);
export const TEAMMEMBERSHIP = intersectTable("teammembership", "teammemberships", "teammembershipid", ["systemuserid", "teamid"]);
export const TEAMROLES = intersectTable("teamroles", "teamrolescollection", "teamroleid", ["teamid", "roleid"]);
export const ROLEPRIVILEGES = intersectTable("roleprivileges", "roleprivilegescollection", "roleprivilegeid", ["roleid", "privilegeid"]);
/** Which roles an app is shared with ("Manage access to model-driven app using security roles": appmoduleroles_association). */
export const APPMODULEROLES = intersectTable("appmoduleroles", "appmodulerolescollection", "appmoduleroleid", ["appmoduleid", "roleid"]);

export const USER_ROLES = "systemuserroles_association";
export const TEAM_MEMBERS = "teammembership_association";
export const TEAM_ROLES = "teamroles_association";
export const ROLE_PRIVILEGES = "roleprivileges_association";
export const APP_ROLES = "appmoduleroles_association";

export const RELATIONSHIPS: ManyToManyDef[] = [
  {
    schemaName: USER_ROLES,
    intersect: SYSTEMUSERROLES,
    sides: [
      { table: "systemuser", column: "systemuserid" },
      { table: "role", column: "roleid" },
    ],
  },
  {
    schemaName: TEAM_MEMBERS,
    intersect: TEAMMEMBERSHIP,
    sides: [
      { table: "systemuser", column: "systemuserid" },
      { table: "team", column: "teamid" },
    ],
  },
  {
    schemaName: TEAM_ROLES,
    intersect: TEAMROLES,
    sides: [
      { table: "team", column: "teamid" },
      { table: "role", column: "roleid" },
    ],
  },
  {
    schemaName: ROLE_PRIVILEGES,
    intersect: ROLEPRIVILEGES,
    sides: [
      { table: "role", column: "roleid" },
      { table: "privilege", column: "privilegeid" },
    ],
  },
  {
    schemaName: APP_ROLES,
    intersect: APPMODULEROLES,
    sides: [
      { table: "appmodule", column: "appmoduleid" },
      { table: "role", column: "roleid" },
    ],
  },
];

export function relationshipNamed(schemaName: string): ManyToManyDef | undefined {
  return RELATIONSHIPS.find((relationship) => relationship.schemaName === schemaName);
}

/** Solution imports (ImportSolution writes one; importjobs(<id>) reports its progress and log). */
export const IMPORTJOB: EntityDef = {
  logicalName: "importjob",
  setName: "importjobs",
  primaryKey: "importjobid",
  primaryName: "solutionname",
  columns: {
    importjobid: { type: "guid", readOnly: true },
    solutionname: { type: "string", readOnly: true },
    progress: { type: "int", readOnly: true },
    startedon: { type: "datetime", readOnly: true },
    completedon: { type: "datetime", readOnly: true },
    data: { type: "string", readOnly: true },
    ...ROW_VERSION,
  },
};

/** Each user's personal options; `uilanguageid` is the language Dataverse answers that user in (usersettings table reference). */
export const USERSETTINGS: EntityDef = {
  logicalName: "usersettings",
  setName: "usersettingscollection",
  primaryKey: "systemuserid",
  primaryName: "systemuserid",
  columns: {
    systemuserid: { type: "guid", readOnly: true },
    uilanguageid: { type: "int" },
    ...ROW_VERSION,
  },
};

export const ENTITIES: EntityDef[] = [
  SYSTEMUSER,
  ROLE,
  BUSINESSUNIT,
  TEAM,
  PRIVILEGE,
  SERVICEENDPOINT,
  SDKMESSAGE,
  SDKMESSAGEFILTER,
  SDKMESSAGEPROCESSINGSTEP,
  SOLUTION,
  PUBLISHER,
  ...RELATIONSHIPS.map((relationship) => relationship.intersect),
  IMPORTJOB,
  SYSTEMFORM,
  SAVEDQUERY,
  SAVEDQUERYVISUALIZATION,
  APPMODULE,
  SITEMAP,
  WEBRESOURCE,
  CUSTOMCONTROL,
  USERSETTINGS,
  PLUGINTYPE,
  WORKFLOW,
  CONNECTIONREFERENCE,
  AUDIT,
  ORGANIZATION,
];

export function entityBySetName(setName: string): EntityDef | undefined {
  return ENTITIES.find((entity) => entity.setName === setName);
}

export function entityByLogicalName(logicalName: string): EntityDef | undefined {
  return ENTITIES.find((entity) => entity.logicalName === logicalName);
}

/** Every table a lookup may point to: its `targets`, or its one `target`. */
export function lookupTargets(def: ColumnDef): string[] {
  return def.targets ?? (def.target ? [def.target] : []);
}

/** The Web API property name of a column: lookups appear as `_<name>_value`. */
export function propertyName(column: string, def: ColumnDef): string {
  return def.type === "lookup" ? `_${column}_value` : column;
}

/** Resolves a Web API property name (`fullname`, `_businessunitid_value`) back to its column. */
export function columnOfProperty(entity: EntityDef, property: string): { column: string; def: ColumnDef } | undefined {
  const lookup = /^_(.+)_value$/.exec(property);
  const column = lookup ? lookup[1] : property;
  const def = entity.columns[column];
  if (!def || (def.type === "lookup") !== Boolean(lookup)) return undefined;
  return { column, def };
}

/** The table a collection-valued navigation property leads to: each N:N relationship has the same name on both sides. */
export function collectionTarget(entity: EntityDef, navigation: string): EntityDef | undefined {
  const sides = relationshipNamed(navigation)?.sides;
  const other = sides?.[0].table === entity.logicalName ? sides[1] : sides?.[1].table === entity.logicalName ? sides[0] : undefined;
  return other ? entityByLogicalName(other.table) : undefined;
}
