/**
 * The privilege names the solution's roles may grant. Dataverse names a table's privileges
 * prv{Create|Read|Write|Delete|Append|AppendTo|Assign|Share}{name}, where system tables keep their
 * legacy names (systemuser → User, businessunit → BusinessUnit); see "Security roles and privileges"
 * (https://learn.microsoft.com/power-platform/admin/security-roles-privileges) and the privilege
 * names of exported roles. Only the tables the product works with are listed: a role that grants
 * anything else is a mistake here, not a feature. No miscellaneous privilege (prvExportCustomizations
 * and the like) is used by either role.
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

export const KNOWN_PRIVILEGES: ReadonlySet<string> = new Set(
  Object.values(PRIVILEGE_TABLES).flatMap((table) => ACCESS_RIGHTS.map((right) => `prv${right}${table}`)),
);
