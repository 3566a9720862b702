import { createHash } from "crypto";
import { ENTITIES, SYSTEMUSERROLES, type EntityDef } from "./metadata";

export type Row = Record<string, unknown>;
export type PrivilegeDepth = "Basic" | "Local" | "Deep" | "Global";
export const DEPTHS: PrivilegeDepth[] = ["Basic", "Local", "Deep", "Global"];

export interface PrivilegeGrant {
  name: string;
  depth: PrivilegeDepth;
}

export interface OrganizationSettings {
  organizationid: string;
  name: string;
  /** Dataverse reports 7 (MicrosoftDocs/dynamics-365-customer-engagement#1259). */
  maxNonInteractiveUsers: number;
  isOnPremises: boolean;
  /** "Modernized business units": roles from any business unit may be assigned. */
  modernizedBusinessUnits: boolean;
}

/** A whole organization as data: what fixtures and generators produce and the store serves. */
export interface OrgData {
  organization: OrganizationSettings;
  businessunits: Row[];
  /** Role rows; `privileges` is kept beside the row, not as a column. */
  roles: (Row & { privileges: PrivilegeGrant[] })[];
  systemusers: Row[];
  /** [systemuserid, roleid] pairs of the systemuserroles intersect table. */
  userRoles: [string, string][];
  /** Rows of the other tables (sdkmessage, solution, …) by logical name. */
  tables?: Record<string, Row[]>;
}

export interface SolutionComponent {
  solutionUniqueName: string;
  componentId: string;
  componentType: number;
}

const key = (id: string) => id.replace(/[{}]/g, "").toLowerCase();

/** The emulator's in-memory tables. Rows hold column names (lookups by column, not `_x_value`). */
export class OrgStore {
  readonly organization: OrganizationSettings;
  private readonly tables = new Map<string, Map<string, Row>>();
  private readonly rolePrivileges = new Map<string, PrivilegeGrant[]>();
  private readonly userRoles = new Map<string, Set<string>>();
  private version = 1000;

  constructor(data: OrgData) {
    this.organization = { ...data.organization };
    for (const entity of ENTITIES) if (entity !== SYSTEMUSERROLES) this.tables.set(entity.logicalName, new Map());
    for (const row of data.businessunits) this.insert("businessunit", row);
    for (const { privileges, ...row } of data.roles) {
      this.insert("role", row);
      this.rolePrivileges.set(key(row.roleid as string), privileges);
    }
    for (const row of data.systemusers) this.insert("systemuser", row);
    for (const [userId, roleId] of data.userRoles) this.associate(userId, roleId);
    for (const [logicalName, rows] of Object.entries(data.tables ?? {})) for (const row of rows) this.insert(logicalName, row);
  }

  /** Components added to solutions with AddSolutionComponent. */
  readonly solutionComponents: SolutionComponent[] = [];

  /** Forms and views of unmanaged imports, not served until a publish: logical name → id → row. */
  private readonly drafts = new Map<string, Map<string, Row>>();

  /** Keeps a form or view as a draft (`table` is the table it belongs to) until it is published. */
  stageDraft(logicalName: string, row: Row): void {
    const entity = ENTITIES.find((candidate) => candidate.logicalName === logicalName);
    if (!entity) throw new Error(`unknown table ${logicalName}`);
    const drafts = this.drafts.get(logicalName) ?? new Map<string, Row>();
    drafts.set(key(row[entity.primaryKey] as string), row);
    this.drafts.set(logicalName, drafts);
  }

  /** The drafts waiting for a publish, as [logical name, row]. */
  draftRows(): [string, Row][] {
    return [...this.drafts].flatMap(([logicalName, rows]) => [...rows.values()].map((row): [string, Row] => [logicalName, row]));
  }

  /**
   * Publishes the drafts of the given tables (PublishXml names tables; "all" is PublishAllXml):
   * each becomes the served row, replacing the published one. Returns how many were published.
   */
  publish(tables: string[] | "all"): number {
    let published = 0;
    for (const [logicalName, rows] of this.drafts) {
      for (const [id, row] of rows) {
        if (tables !== "all" && !tables.includes(textOf(row.objecttypecode ?? row.returnedtypecode).toLowerCase())) continue;
        this.upsert(logicalName, row);
        rows.delete(id);
        published++;
      }
    }
    return published;
  }

  /** Inserts a row, or updates the one with its id. */
  upsert(logicalName: string, row: Row): void {
    const entity = ENTITIES.find((candidate) => candidate.logicalName === logicalName);
    const id = entity ? (row[entity.primaryKey] as string) : "";
    if (this.get(logicalName, id)) this.update(logicalName, id, row);
    else this.insert(logicalName, row);
  }

  rows(entity: EntityDef): IterableIterator<Row> {
    if (entity.logicalName === SYSTEMUSERROLES.logicalName) return this.assignmentRows();
    return this.table(entity.logicalName).values();
  }

  /** The intersect table's rows, made from the assignments, with ids stable for each pair. */
  private *assignmentRows(): IterableIterator<Row> {
    for (const [userId, roles] of this.userRoles) {
      for (const roleId of roles) {
        const hex = createHash("sha1").update(`${userId}|${roleId}`).digest("hex");
        const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
        yield { systemuserroleid: id, systemuserid: userId, roleid: roleId, versionnumber: 1 };
      }
    }
  }

  count(entity: EntityDef): number {
    return entity.logicalName === SYSTEMUSERROLES.logicalName ? [...this.assignmentRows()].length : this.table(entity.logicalName).size;
  }

  get(logicalName: string, id: string): Row | undefined {
    return this.table(logicalName).get(key(id));
  }

  /** Applies changes and moves the row version on, as every Dataverse write does. */
  update(logicalName: string, id: string, changes: Row): Row {
    const row = this.get(logicalName, id);
    if (!row) throw new Error(`${logicalName} ${id} does not exist`);
    Object.assign(row, changes, { versionnumber: ++this.version, modifiedon: new Date().toISOString() });
    return row;
  }

  rolesOf(userId: string): Row[] {
    return [...(this.userRoles.get(key(userId)) ?? [])].map((roleId) => this.get("role", roleId)).filter((role): role is Row => !!role);
  }

  holds(userId: string, roleId: string): boolean {
    return this.userRoles.get(key(userId))?.has(key(roleId)) ?? false;
  }

  associate(userId: string, roleId: string): void {
    const roles = this.userRoles.get(key(userId)) ?? new Set<string>();
    roles.add(key(roleId));
    this.userRoles.set(key(userId), roles);
  }

  disassociate(userId: string, roleId: string): void {
    this.userRoles.get(key(userId))?.delete(key(roleId));
  }

  setRolePrivileges(roleId: string, privileges: PrivilegeGrant[]): void {
    this.rolePrivileges.set(key(roleId), privileges);
  }

  privilegesOfRole(roleId: string): PrivilegeGrant[] {
    return this.rolePrivileges.get(key(roleId)) ?? [];
  }

  /** A user's privileges: the deepest grant of each across their roles. */
  privilegesOf(userId: string): Map<string, PrivilegeDepth> {
    const granted = new Map<string, PrivilegeDepth>();
    for (const role of this.rolesOf(userId)) {
      for (const grant of this.privilegesOfRole(role.roleid as string)) {
        const held = granted.get(grant.name);
        if (!held || DEPTHS.indexOf(grant.depth) > DEPTHS.indexOf(held)) granted.set(grant.name, grant.depth);
      }
    }
    return granted;
  }

  /** Rows related through the users–roles relationship, from either side. */
  related(logicalName: string, id: string): Row[] {
    if (logicalName === "systemuser") return this.rolesOf(id);
    if (logicalName !== "role") return [];
    return [...this.table("systemuser").values()].filter((user) => this.holds(user.systemuserid as string, id));
  }

  /** The language Dataverse answers a user in: their usersettings.uilanguageid, else English. */
  languageOf(userId: string): number {
    const language = this.tables.get("usersettings")?.get(key(userId))?.uilanguageid;
    return typeof language === "number" ? language : 1033;
  }

  /** Enabled non-interactive users that are not application users: the ones the limit counts. */
  nonInteractiveCount(): number {
    let count = 0;
    for (const user of this.table("systemuser").values()) {
      if (user.accessmode === 4 && !user.applicationid && user.isdisabled !== true) count++;
    }
    return count;
  }

  insert(logicalName: string, row: Row): void {
    const entity = ENTITIES.find((candidate) => candidate.logicalName === logicalName);
    if (!entity) throw new Error(`unknown table ${logicalName}`);
    const id = row[entity.primaryKey];
    if (typeof id !== "string") throw new Error(`${logicalName} row without ${entity.primaryKey}`);
    this.table(logicalName).set(key(id), { versionnumber: ++this.version, modifiedon: "2026-01-01T00:00:00Z", ...row });
  }

  /** Takes a row out again (a request that failed after inserting it), with its role assignments. */
  remove(logicalName: string, id: string): void {
    this.table(logicalName).delete(key(id));
    if (logicalName === "systemuser") this.userRoles.delete(key(id));
  }

  private table(logicalName: string): Map<string, Row> {
    const table = this.tables.get(logicalName);
    if (!table) throw new Error(`unknown table ${logicalName}`);
    return table;
  }
}

/** A column value as text, for sorting, comparing and labels (columns hold scalars). */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
