import { createHash } from "crypto";
import {
  ENTITIES,
  entityByLogicalName,
  RELATIONSHIPS,
  relationshipNamed,
  ROLE_PRIVILEGES,
  TEAM_MEMBERS,
  TEAM_ROLES,
  USER_ROLES,
  type EntityDef,
} from "./metadata";

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
  /** The base language (organization.languagecode): system role names are written in it. */
  baseLanguage: number;
  /**
   * Rows an aggregate (`$apply`) may read before Dataverse refuses it with AggregateQueryRecordLimit
   * ("Aggregate data using OData": 50,000). Tests lower it to reach the refusal with few rows.
   */
  aggregateQueryRecordLimit?: number;
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
  /** Teams besides each business unit's default team, which the store makes ("Create or edit business units"). */
  teams?: Row[];
  /** [teamid, systemuserid] pairs of teammembership (default teams are filled from the users' units). */
  teamMembers?: [string, string][];
  /** [teamid, roleid] pairs of teamroles. */
  teamRoles?: [string, string][];
  /** Rows of the other tables (sdkmessage, solution, …) by logical name. */
  tables?: Record<string, Row[]>;
  /**
   * Pairs of other many-to-many relationships, [schema name, first id, second id] in the order of the
   * relationship's sides (metadata.ts), e.g. [appmoduleroles_association, appmoduleid, roleid].
   */
  links?: [string, string, string][];
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
  /** The pairs of each many-to-many relationship, indexed from both sides: schema name → side → id → related ids. */
  private readonly links = new Map<string, [Map<string, Set<string>>, Map<string, Set<string>>]>();
  private version = 1000;

  constructor(data: OrgData) {
    this.organization = { ...data.organization };
    const intersects = new Set(RELATIONSHIPS.map((relationship) => relationship.intersect.logicalName));
    for (const entity of ENTITIES) if (!intersects.has(entity.logicalName)) this.tables.set(entity.logicalName, new Map());
    for (const relationship of RELATIONSHIPS)
      this.links.set(relationship.schemaName, [new Map<string, Set<string>>(), new Map<string, Set<string>>()]);
    for (const row of data.businessunits) this.insert("businessunit", row);
    for (const { privileges, ...row } of data.roles) {
      this.insert("role", row);
      this.setRolePrivileges(row.roleid as string, privileges);
    }
    for (const row of data.systemusers) this.insert("systemuser", row);
    for (const [userId, roleId] of data.userRoles) this.associate(userId, roleId);
    for (const row of data.teams ?? []) this.insert("team", row);
    // "Each business unit has a default team" holding every user of the unit.
    for (const unit of data.businessunits) this.defaultTeamOf(unit.businessunitid as string);
    for (const user of data.systemusers) this.joinDefaultTeam(user.systemuserid as string);
    for (const [teamId, userId] of data.teamMembers ?? []) this.link(TEAM_MEMBERS, userId, teamId);
    for (const [teamId, roleId] of data.teamRoles ?? []) this.link(TEAM_ROLES, teamId, roleId);
    for (const [logicalName, rows] of Object.entries(data.tables ?? {})) for (const row of rows) this.insert(logicalName, row);
    for (const [schemaName, firstId, secondId] of data.links ?? []) this.link(schemaName, firstId, secondId);
    // "The organization table contains a single row" (Configure auditing): made from the settings when
    // the data has none, with auditing off (the emulator's stated choice for an org that does not say).
    if (this.table("organization").size === 0)
      this.insert("organization", {
        organizationid: data.organization.organizationid,
        name: data.organization.name,
        isauditenabled: false,
        auditretentionperiodv2: 30,
        isuseraccessauditenabled: false,
        useraccessauditinginterval: 4,
      });
  }

  /** Components added to solutions with AddSolutionComponent. */
  readonly solutionComponents: SolutionComponent[] = [];

  /**
   * The drafts of unmanaged imports, not served until a publish: logical name → id → the row and the
   * PublishXml items that publish it (publishKeysOf).
   */
  private readonly drafts = new Map<string, Map<string, { row: Row; keys: string[] }>>();

  /**
   * Keeps a solution component as a draft until it is published. `alsoPublishedBy` adds PublishXml
   * items beyond the row's own (a site map is published with its app: `appmodule:<id>`).
   */
  stageDraft(logicalName: string, row: Row, alsoPublishedBy: string[] = []): void {
    const entity = entityByLogicalName(logicalName);
    if (!entity) throw new Error(`unknown table ${logicalName}`);
    const drafts = this.drafts.get(logicalName) ?? new Map<string, { row: Row; keys: string[] }>();
    drafts.set(key(row[entity.primaryKey] as string), {
      row: { ...row, componentstate: 1 },
      keys: [...publishKeysOf(logicalName, row), ...alsoPublishedBy],
    });
    this.drafts.set(logicalName, drafts);
  }

  /** The drafts waiting for a publish, as [logical name, row]. */
  draftRows(): [string, Row][] {
    return [...this.drafts].flatMap(([logicalName, rows]) => [...rows.values()].map((draft): [string, Row] => [logicalName, draft.row]));
  }

  /** A table's draft with this id, if one waits for a publish. */
  draftOf(logicalName: string, id: string): Row | undefined {
    return this.drafts.get(logicalName)?.get(key(id))?.row;
  }

  /**
   * A table as RetrieveUnpublishedMultiple reads it: the published rows with each draft in place of
   * the row it changes, and the drafts of rows never published.
   */
  unpublishedRows(entity: EntityDef): Row[] {
    const drafts = this.drafts.get(entity.logicalName) ?? new Map<string, { row: Row; keys: string[] }>();
    const published = [...this.table(entity.logicalName).values()].map(
      (row) => drafts.get(key(row[entity.primaryKey] as string))?.row ?? row,
    );
    const known = new Set(published.map((row) => key(row[entity.primaryKey] as string)));
    return [
      ...published,
      ...[...drafts.values()].map((draft) => draft.row).filter((row) => !known.has(key(row[entity.primaryKey] as string))),
    ];
  }

  /**
   * Publishes the drafts the PublishXml items name (`entity:<logical name>`, `appmodule:<id>`,
   * `dashboard:<id>`, `webresource:<id>`, `sitemap:<id>`; publishKeysOf), or every draft ("all" is
   * PublishAllXml): each becomes the served row, replacing the published one. Returns how many were published.
   */
  publish(items: string[] | "all"): number {
    const wanted = items === "all" ? null : new Set(items.map((item) => item.toLowerCase()));
    const now = dateTimeText(Date.now());
    let published = 0;
    for (const [logicalName, drafts] of this.drafts) {
      for (const [id, draft] of drafts) {
        if (wanted && !draft.keys.some((item) => wanted.has(item))) continue;
        this.upsert(logicalName, { ...draft.row, componentstate: 0, ...(logicalName === "appmodule" ? { publishedon: now } : {}) });
        drafts.delete(id);
        published++;
      }
    }
    return published;
  }

  /** A table's served (published) rows, by its definition or logical name. */
  rows(entity: EntityDef | string): IterableIterator<Row> {
    const def = typeof entity === "string" ? entityByLogicalName(entity) : entity;
    if (!def) throw new Error(`unknown table ${typeof entity === "string" ? entity : entity.logicalName}`);
    const relationship = RELATIONSHIPS.find((candidate) => candidate.intersect.logicalName === def.logicalName);
    if (relationship) return this.intersectRows(relationship.schemaName);
    return this.table(def.logicalName).values();
  }

  /** Inserts a row, or updates the one with its id. */
  upsert(logicalName: string, row: Row): void {
    const entity = ENTITIES.find((candidate) => candidate.logicalName === logicalName);
    const id = entity ? (row[entity.primaryKey] as string) : "";
    if (this.get(logicalName, id)) this.update(logicalName, id, row);
    else this.insert(logicalName, row);
  }

  /** An intersect table's rows, made from the pairs, with ids stable for each pair. */
  private *intersectRows(schemaName: string): IterableIterator<Row> {
    const relationship = relationshipNamed(schemaName)!;
    const [first, second] = relationship.sides;
    for (const [id, related] of this.pairsFrom(schemaName, 0)) {
      for (const other of related) {
        yield {
          [relationship.intersect.primaryKey]: stableId(`${schemaName}|${id}|${other}`),
          [first.column]: id,
          [second.column]: other,
          versionnumber: 1,
        };
      }
    }
  }

  count(entity: EntityDef): number {
    return [...this.rows(entity)].length;
  }

  /** The first row of a table that matches, if any. */
  findRow(logicalName: string, matches: (row: Row) => boolean): Row | undefined {
    for (const row of this.table(logicalName).values()) if (matches(row)) return row;
    return undefined;
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

  /** Ids related to a row through a many-to-many relationship, from whichever side `logicalName` is. */
  relatedIds(schemaName: string, logicalName: string, id: string): string[] {
    const relationship = relationshipNamed(schemaName);
    if (!relationship) return [];
    const side = relationship.sides[0].table === logicalName ? 0 : relationship.sides[1].table === logicalName ? 1 : null;
    if (side === null) return [];
    return [...(this.pairsFrom(schemaName, side).get(key(id)) ?? [])];
  }

  /** Rows related through a collection-valued navigation property (a many-to-many relationship's schema name). */
  related(logicalName: string, id: string, navigation: string): Row[] {
    const relationship = relationshipNamed(navigation);
    if (!relationship) return [];
    const other = relationship.sides[0].table === logicalName ? relationship.sides[1] : relationship.sides[0];
    return this.relatedIds(navigation, logicalName, id)
      .map((relatedId) => this.get(other.table, relatedId))
      .filter((row): row is Row => !!row);
  }

  isLinked(schemaName: string, firstId: string, secondId: string): boolean {
    return this.pairsFrom(schemaName, 0).get(key(firstId))?.has(key(secondId)) ?? false;
  }

  /** Adds a pair, ids in the order of the relationship's sides (metadata.ts). */
  link(schemaName: string, firstId: string, secondId: string): void {
    const [forward, backward] = this.indexes(schemaName);
    const add = (index: Map<string, Set<string>>, from: string, to: string) => index.set(from, (index.get(from) ?? new Set()).add(to));
    add(forward, key(firstId), key(secondId));
    add(backward, key(secondId), key(firstId));
  }

  unlink(schemaName: string, firstId: string, secondId: string): void {
    const [forward, backward] = this.indexes(schemaName);
    forward.get(key(firstId))?.delete(key(secondId));
    backward.get(key(secondId))?.delete(key(firstId));
  }

  /** The pairs as seen from one side. */
  private pairsFrom(schemaName: string, side: 0 | 1): Map<string, Set<string>> {
    return this.indexes(schemaName)[side];
  }

  private indexes(schemaName: string): [Map<string, Set<string>>, Map<string, Set<string>>] {
    const indexes = this.links.get(schemaName);
    if (!indexes) throw new Error(`unknown relationship ${schemaName}`);
    return indexes;
  }

  /** The roles a user holds directly (systemuserroles). */
  rolesOf(userId: string): Row[] {
    return this.related("systemuser", userId, USER_ROLES);
  }

  /** The roles a user holds directly and through the teams they belong to: what their privileges come from. */
  effectiveRolesOf(userId: string): Row[] {
    const roles = new Map<string, Row>();
    for (const role of this.rolesOf(userId)) roles.set(key(role.roleid as string), role);
    for (const teamId of this.relatedIds(TEAM_MEMBERS, "systemuser", userId))
      for (const role of this.related("team", teamId, TEAM_ROLES)) roles.set(key(role.roleid as string), role);
    return [...roles.values()];
  }

  holds(userId: string, roleId: string): boolean {
    return this.isLinked(USER_ROLES, userId, roleId);
  }

  associate(userId: string, roleId: string): void {
    this.link(USER_ROLES, userId, roleId);
  }

  disassociate(userId: string, roleId: string): void {
    this.unlink(USER_ROLES, userId, roleId);
  }

  /** A business unit's default team, made the first time it is asked for (owner team named after the unit). */
  defaultTeamOf(businessUnitId: string): Row {
    const existing = [...this.table("team").values()].find(
      (team) => team.isdefault === true && key(team.businessunitid as string) === key(businessUnitId),
    );
    if (existing) return existing;
    const unit = this.get("businessunit", businessUnitId);
    const team = {
      teamid: stableId(`default team|${key(businessUnitId)}`),
      name: unit?.name ?? businessUnitId,
      teamtype: 0,
      isdefault: true,
      businessunitid: key(businessUnitId),
      azureactivedirectoryobjectid: null,
    };
    this.insert("team", team);
    return this.get("team", team.teamid)!;
  }

  /** Puts a user in their business unit's default team, as Dataverse does for every user of a unit. */
  joinDefaultTeam(userId: string): void {
    const user = this.get("systemuser", userId);
    if (user?.businessunitid) this.link(TEAM_MEMBERS, userId, this.defaultTeamOf(user.businessunitid as string).teamid as string);
  }

  setRolePrivileges(roleId: string, privileges: PrivilegeGrant[]): void {
    this.rolePrivileges.set(key(roleId), privileges);
    const [forward, backward] = this.indexes(ROLE_PRIVILEGES);
    for (const privilegeId of forward.get(key(roleId)) ?? []) backward.get(privilegeId)?.delete(key(roleId));
    forward.delete(key(roleId));
    for (const grant of privileges) this.link(ROLE_PRIVILEGES, roleId, this.privilegeNamed(grant.name).privilegeid as string);
  }

  /** The privilege table's row for a name, made the first time a role grants it. */
  private privilegeNamed(name: string): Row {
    const id = privilegeId(name);
    const existing = this.get("privilege", id);
    if (existing) return existing;
    this.insert("privilege", { privilegeid: id, name });
    return this.get("privilege", id)!;
  }

  privilegesOfRole(roleId: string): PrivilegeGrant[] {
    return this.rolePrivileges.get(key(roleId)) ?? [];
  }

  /** A user's privileges: the deepest grant of each across the roles they hold directly and through teams. */
  privilegesOf(userId: string): Map<string, PrivilegeDepth> {
    const granted = new Map<string, PrivilegeDepth>();
    for (const role of this.effectiveRolesOf(userId)) {
      for (const grant of this.privilegesOfRole(role.roleid as string)) {
        const held = granted.get(grant.name);
        if (!held || DEPTHS.indexOf(grant.depth) > DEPTHS.indexOf(held)) granted.set(grant.name, grant.depth);
      }
    }
    return granted;
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

  /** Takes a row out again (a request that failed after inserting it), with the pairs it is part of. */
  remove(logicalName: string, id: string): void {
    this.table(logicalName).delete(key(id));
    for (const relationship of RELATIONSHIPS)
      for (const related of this.relatedIds(relationship.schemaName, logicalName, id)) {
        if (relationship.sides[0].table === logicalName) this.unlink(relationship.schemaName, id, related);
        else this.unlink(relationship.schemaName, related, id);
      }
  }

  private table(logicalName: string): Map<string, Row> {
    const table = this.tables.get(logicalName);
    if (!table) throw new Error(`unknown table ${logicalName}`);
    return table;
  }
}

/** Dataverse writes DateTime values without fractions of a second ("2022-05-12T22:19:12Z"). */
export function dateTimeText(value: Date | string | number): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A column value as text, for sorting, comparing and labels (columns hold scalars). */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Stable ids for privilege names (Dataverse's are GUIDs per privilege). */
export function privilegeId(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const hex = hash.toString(16).padStart(8, "0");
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

/** A GUID that is always the same for the same text: rows the store makes itself keep their ids. */
function stableId(text: string): string {
  const hex = createHash("sha1").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The PublishXml items that publish a draft of this table ("PublishXmlRequest.ParameterXml"): forms,
 * views and charts with their table (`<entities><entity>`), a dashboard by its id (`<dashboards>`),
 * an app by its id (`<appmodules>`, "Create, manage, and publish model-driven apps using code"), a
 * web resource by its id (`<webresources>`), a site map by its id or any `<sitemaps>` item.
 */
export function publishKeysOf(logicalName: string, row: Row): string[] {
  const id = (column: string) => key(textOf(row[column]));
  switch (logicalName) {
    case "systemform":
      return row.type === 0 ? [`dashboard:${id("formid")}`] : [`entity:${textOf(row.objecttypecode).toLowerCase()}`];
    case "savedquery":
      return [`entity:${textOf(row.returnedtypecode).toLowerCase()}`];
    case "savedqueryvisualization":
      return [`entity:${textOf(row.primaryentitytypecode).toLowerCase()}`];
    case "appmodule":
      return [`appmodule:${id("appmoduleid")}`];
    case "webresource":
      return [`webresource:${id("webresourceid")}`];
    case "sitemap":
      return [`sitemap:${id("sitemapid")}`, "sitemap:*"];
    default:
      return [];
  }
}
