/**
 * The privilege names the solution's roles may grant. Dataverse names a table's privileges
 * prv{Create|Read|Write|Delete|Append|AppendTo|Assign|Share}{name}, where system tables keep their
 * legacy names (systemuser → User, businessunit → BusinessUnit); see "Security roles and privileges"
 * (https://learn.microsoft.com/power-platform/admin/security-roles-privileges) and the privilege
 * names of exported roles. Only the tables the product works with are listed: a role that grants
 * anything else is a mistake here, not a feature. No miscellaneous privilege (prvExportCustomizations
 * and the like) is used by any role.
 */
const ACCESS_RIGHTS = ["Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share"] as const;

/** Privilege name of each table the roles touch, by logical name. */
export const PRIVILEGE_TABLES: Record<string, string> = {
  systemuser: "User",
  role: "Role",
  businessunit: "BusinessUnit",
  team: "Team",
  organization: "Organization",
};

/**
 * What opening the model-driven app needs beyond the data it shows, each named on its own rather than
 * by adding the customization tables to PRIVILEGE_TABLES (which would allow writing them too): read the
 * app (appmodule: prvReadAppModule, "Create, manage, and publish model-driven apps using code",
 * https://learn.microsoft.com/power-apps/developer/model-driven-apps/create-manage-model-driven-apps-using-code),
 * its views (savedquery: prvReadQuery), its form and dashboard (systemform: prvReadSystemForm), its chart
 * (savedqueryvisualization: prvReadSavedQueryVisualizations, plural as the role pages list it) and its
 * icon (webresource: prvReadWebResource), the names "Security roles and privileges"
 * (https://learn.microsoft.com/power-platform/admin/security-roles-privileges) and exported roles give them.
 */
export const APP_PRIVILEGES: readonly string[] = ["prvReadAppModule", "prvReadQuery", "prvReadSystemForm", "prvReadSavedQueryVisualizations", "prvReadWebResource"];

export const KNOWN_PRIVILEGES: ReadonlySet<string> = new Set([
  ...Object.values(PRIVILEGE_TABLES).flatMap((table) => ACCESS_RIGHTS.map((right) => `prv${right}${table}`)),
  ...APP_PRIVILEGES,
]);
