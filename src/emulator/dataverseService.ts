import { normalizeId } from "../core/ids";
import { badRequest, DataverseFault, notFound, privilegeDenied, versionMismatch } from "./dataverseErrors";
import { randomUUID } from "crypto";
import {
  APPMODULE,
  BUSINESSUNIT,
  columnOfProperty,
  entityBySetName,
  relationshipNamed,
  SOLUTION,
  SYSTEMFORM,
  SYSTEMUSER,
  TEAM_MEMBERS,
  TEAM_ROLES,
  USER_ROLES,
  WEBRESOURCE,
  type EntityDef,
} from "./metadata";
import { aggregateRows, AGGREGATE_QUERY_RECORD_LIMIT, parseApply, unsupportedApply } from "./aggregation";
import { compileFilter } from "./odataFilter";
import { ODataQueryError, parseExpand, parseSelect, shapeRow, type Preferences } from "./odataQuery";
import { DEPTHS, privilegeId, textOf, type OrgStore, type Row } from "./store";
import { isSystemAdministratorRole } from "../core/roleNames";
import { childElements, parseXml, textContent, type XmlElement } from "../solution/xml";
import { fetchNotImplemented, parseFetchXml, runFetch } from "./fetchXml";

/** Dataverse's largest page, and the default when no odata.maxpagesize is asked for. */
export const MAX_PAGE_SIZE = 5000;

const READ_PRIVILEGE: Record<string, string> = {
  systemuser: "prvReadUser",
  role: "prvReadRole",
  businessunit: "prvReadBusinessUnit",
  serviceendpoint: "prvReadServiceEndpoint",
  sdkmessageprocessingstep: "prvReadSdkMessageProcessingStep",
  systemuserroles: "prvReadRole",
  team: "prvReadTeam",
  teammembership: "prvReadTeam",
  teamroles: "prvReadTeam",
  // No page names the privilege that reads privileges and their grants: the emulator's stated choice.
  privilege: "prvReadRole",
  roleprivileges: "prvReadRole",
  importjob: "prvReadImportJob",
  solution: "prvReadSolution",
  publisher: "prvReadPublisher",
  systemform: "prvReadSystemForm",
  savedquery: "prvReadQuery",
  // "Privilege or permission error when using Dynamics 365 App for Outlook": prvReadAppModule (Model-driven
  // App), prvReadWebResource (Web Resource); SavedQueryVisualization entity privileges: prvReadSavedQueryVisualizations.
  appmodule: "prvReadAppModule",
  appmoduleroles: "prvReadAppModule",
  webresource: "prvReadWebResource",
  savedqueryvisualization: "prvReadSavedQueryVisualizations",
  // No page names the site map's read privilege: prv<Verb><SchemaName> with SchemaName SiteMap, the emulator's stated choice.
  sitemap: "prvReadSiteMap",
  // Privileges are named prv<Verb><SchemaName>: Workflow, connectionreference (its SchemaName is lower case).
  workflow: "prvReadWorkflow",
  connectionreference: "prvReadconnectionreference",
  // "Retrieve the history of audited data changes": the caller needs prvReadAuditSummary.
  audit: "prvReadAuditSummary",
  plugintype: "prvReadPluginType",
  // "Configure auditing": anyone can view the configuration; reading the row is prvReadOrganization.
  organization: "prvReadOrganization",
};
/** Tables the emulator creates and updates generically, with the privileges Dataverse names for them. */
const WRITABLE: Record<string, { create: string; write: string }> = {
  serviceendpoint: { create: "prvCreateServiceEndpoint", write: "prvWriteServiceEndpoint" },
  solution: { create: "prvCreateSolution", write: "prvWriteSolution" },
  sdkmessageprocessingstep: { create: "prvCreateSdkMessageProcessingStep", write: "prvWriteSdkMessageProcessingStep" },
};
/** AddMembersTeam and RemoveMembersTeam need prvWriteTeam on team ("AddMembersTeam message privileges", "RemoveMembersTeam message privileges"). */
const TEAM_MEMBERSHIP_PRIVILEGES = ["prvWriteTeam"];
const USER_ROLES_BIND = "systemuserroles_association@odata.bind";
/**
 * What PublishXml names one by id: its list element, its item, the table the id is a row of, and
 * which rows count (a dashboard is a system form of type 0).
 */
const PUBLISHED_BY_ID: Record<string, { item: string; table: string; is?: (row: Row) => boolean }> = {
  dashboards: { item: "dashboard", table: SYSTEMFORM.logicalName, is: (row) => row.type === 0 },
  webresources: { item: "webresource", table: WEBRESOURCE.logicalName },
  appmodules: { item: "appmodule", table: APPMODULE.logicalName },
};

/** "PublishXml message privileges" (PublishAllXml adds prvReadWebResource and prvWriteQuery). */
const PUBLISH_PRIVILEGES = ["prvReadCustomization", "prvReadQuery", "prvReadSavedQueryVisualizations", "prvReadSystemForm"];

export interface CollectionQuery {
  /** A FetchXml query instead of the OData options (fetchXml.ts). */
  fetchXml?: string;
  $select?: string;
  $filter?: string;
  $expand?: string;
  $top?: string;
  $count?: string;
  $orderby?: string;
  $skiptoken?: string;
  $apply?: string;
}

/**
 * The Dataverse behaviour the product depends on, over the in-memory store, acting as one caller.
 * HTTP lives in server.ts; this file is the documented semantics (each behaviour and its Microsoft Learn source: docs/emulator.md, "The Dataverse Web API emulator").
 */
export class DataverseService {
  constructor(
    readonly store: OrgStore,
    private readonly callerId: string,
    /** The Web API root, for the links a response carries (an expanded collection's @odata.nextLink). */
    private readonly baseUrl = "",
  ) {}

  entitySet(setName: string): EntityDef {
    const entity = entityBySetName(setName);
    if (!entity) throw new DataverseFault(404, "0x80060888", `Resource not found for the segment '${setName}'.`);
    return entity;
  }

  retrieve(entity: EntityDef, id: string, query: CollectionQuery, preferences: Preferences): Row {
    this.require(READ_PRIVILEGE[entity.logicalName]);
    const row = this.store.get(entity.logicalName, id);
    if (!row) throw notFound(entity.logicalName, id);
    if (this.visibleRows(entity, [row]).length === 0) throw privilegeDenied(this.callerId, READ_PRIVILEGE[entity.logicalName]);
    return shapeRow(this.store, entity, row, this.shape(entity, query, preferences));
  }

  /** One page of a collection; `pageUrl(skiptoken)` builds the absolute @odata.nextLink. */
  retrieveMultiple(
    entity: EntityDef,
    query: CollectionQuery,
    preferences: Preferences,
    pageUrl: (skiptoken: string) => string,
    /** Narrows the rows before $filter, for a collection reached through a navigation property. */
    within?: (row: Row) => boolean,
    /** RetrieveUnpublishedMultiple: the drafts in place of the rows they change, and the drafts never published. */
    unpublished = false,
  ): Row {
    this.require(READ_PRIVILEGE[entity.logicalName]);
    if (query.fetchXml !== undefined) return this.fetchXml(entity, query, preferences);
    if (query.$apply !== undefined) return this.aggregate(entity, query, preferences, within);
    const shape = this.shape(entity, query, preferences);
    const filter = query.$filter ? this.compiledFilter(entity, query.$filter) : undefined;
    let rows = this.visibleRows(entity, unpublished ? this.store.unpublishedRows(entity) : [...this.store.rows(entity)]);
    if (within) rows = rows.filter(within);
    if (filter) rows = rows.filter(filter);
    rows = this.sort(entity, rows, query.$orderby);
    const requestedTop = query.$top !== undefined ? Number(query.$top) : undefined;
    if (requestedTop !== undefined && (!Number.isInteger(requestedTop) || requestedTop < 0))
      throw badRequest(`Invalid value '${query.$top}' for $top.`);
    // "Page results": with Prefer: odata.maxpagesize, $top is ignored.
    const top = preferences.maxPageSize === undefined ? requestedTop : undefined;
    const total = rows.length;
    if (top !== undefined) rows = rows.slice(0, top);
    const pageSize = Math.min(preferences.maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const offset = query.$skiptoken ? decodeSkipToken(query.$skiptoken) : 0;
    const page = rows.slice(offset, offset + pageSize);
    const body: Row = {};
    if (query.$count === "true") {
      // Dataverse counts up to 5000 and flags the rest ("Count number of rows").
      body["@odata.count"] = Math.min(total, MAX_PAGE_SIZE);
      if (total > MAX_PAGE_SIZE) body["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"] = true;
    }
    body.value = page.map((row) => shapeRow(this.store, entity, row, shape));
    if (offset + pageSize < rows.length) body["@odata.nextLink"] = pageUrl(encodeSkipToken(offset + pageSize));
    return body;
  }

  /** A `$filter` as a row predicate; filtering through a related table reads it, so its read privilege is needed too. */
  private compiledFilter(entity: EntityDef, expression: string): (row: Row) => boolean {
    const related = (table: EntityDef, row: Row, navigation: string) =>
      this.store.related(table.logicalName, row[table.primaryKey] as string, navigation);
    const filter = this.odata(() => compileFilter(expression, entity, related));
    for (const table of filter.tables) this.require(READ_PRIVILEGE[table]);
    return filter;
  }

  /**
   * The rows of a user-owned table the caller's read privilege reaches, by its depth ("Security roles
   * and privileges": Basic, the caller's own rows and their teams'; Local, their business unit's;
   * Deep, and its child units'; Global, all). Other tables are read whole.
   */
  private visibleRows(entity: EntityDef, rows: Row[]): Row[] {
    if (!entity.userOwned) return rows;
    const depth = this.store.privilegesOf(this.callerId).get(READ_PRIVILEGE[entity.logicalName]);
    if (depth === "Global") return rows;
    const id = (value: unknown) => textOf(value).replace(/[{}]/g, "").toLowerCase();
    if (depth === "Basic") {
      const owners = new Set([id(this.callerId), ...this.store.relatedIds(TEAM_MEMBERS, "systemuser", this.callerId).map(id)]);
      return rows.filter((row) => owners.has(id(row.ownerid)));
    }
    const units = new Set([id(this.store.get("systemuser", this.callerId)?.businessunitid)]);
    if (depth === "Deep")
      for (let grew = true; grew;) {
        grew = false;
        for (const unit of this.store.rows(BUSINESSUNIT))
          if (units.has(id(unit.parentbusinessunitid)) && !units.has(id(unit.businessunitid))) {
            units.add(id(unit.businessunitid));
            grew = true;
          }
      }
    return rows.filter((row) => units.has(id(row.owningbusinessunit)));
  }

  /**
   * `$apply` (aggregation.ts): the documented subset, over the rows the caller may read. Other query
   * options beside it are not in any documented example and are refused, except the one refusal the
   * page documents: `$orderby` with an aggregate value.
   */
  private aggregate(entity: EntityDef, query: CollectionQuery, preferences: Preferences, within?: (row: Row) => boolean): Row {
    const plan = this.odata(() => parseApply(entity, query.$apply ?? ""));
    const ordered = (query.$orderby ?? "").trim().split(/\s+/)[0];
    if (ordered && plan.aggregates.some((aggregate) => aggregate.alias === ordered))
      throw badRequest("The query node SingleValueOpenPropertyAccess is not supported");
    const others = (Object.keys(query) as (keyof CollectionQuery)[]).filter((option) => option !== "$apply" && query[option] !== undefined);
    if (others.length) throw unsupportedApply(`${others.join(" and ")} beside $apply`);
    const filter = plan.filter !== undefined ? this.compiledFilter(entity, plan.filter) : undefined;
    let rows = this.visibleRows(entity, [...this.store.rows(entity)]);
    if (within) rows = rows.filter(within);
    if (filter) rows = rows.filter(filter);
    const limits = {
      records: this.store.organization.aggregateQueryRecordLimit ?? AGGREGATE_QUERY_RECORD_LIMIT,
      groups: Math.min(preferences.maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    };
    return { value: aggregateRows(this.store, rows, plan, preferences.annotations, limits) };
  }

  /**
   * `GET <set>?fetchXml=…` ("Use FetchXml to retrieve data"): the fetch must query the set's table; the
   * caller needs its read privilege and sees the rows their depth reaches, as with OData. Other query
   * options beside it are refused, as no example combines them and the emulator never guesses.
   */
  private fetchXml(entity: EntityDef, query: CollectionQuery, preferences: Preferences): Row {
    const others = (Object.keys(query) as (keyof CollectionQuery)[]).filter(
      (option) => option !== "fetchXml" && query[option] !== undefined,
    );
    if (others.length) throw fetchNotImplemented(`${others.join(" and ")} beside fetchXml`);
    const fetch = parseFetchXml(query.fetchXml ?? "", entity);
    const rows = this.visibleRows(entity, [...this.store.rows(entity)]);
    return runFetch(this.store, fetch, rows, preferences.annotations, {
      records: this.store.organization.aggregateQueryRecordLimit ?? AGGREGATE_QUERY_RECORD_LIMIT,
    });
  }

  /**
   * PATCH of a row, with Dataverse's side effects on a user's access mode. Returns the columns whose
   * value changed, which is what a step's filtering attributes are matched against.
   */
  update(entity: EntityDef, id: string, changes: Row, ifMatch: string | undefined): string[] {
    const row = this.store.get(entity.logicalName, id);
    if (!row) throw notFound(entity.logicalName, id);
    const writable = WRITABLE[entity.logicalName];
    if (entity.logicalName !== "systemuser" && !writable) throw badRequest(`The emulator does not update ${entity.logicalName} rows.`);
    this.require(writable ? writable.write : "prvWriteUser");
    if (ifMatch && ifMatch !== "*" && ifMatch !== `W/"${textOf(row.versionnumber)}"`) throw versionMismatch();

    const columns = this.columnsOf(entity, changes);
    if ("accessmode" in columns && columns.accessmode !== row.accessmode) this.applyAccessModeChange(row, columns);
    const changed = Object.keys(columns).filter((column) => row[column] !== columns[column]);
    this.store.update(entity.logicalName, id, columns);
    return changed;
  }

  /** POST of a new row (users, service endpoints and steps); returns its id. */
  create(entity: EntityDef, body: Row): string {
    if (entity.logicalName === "systemuser") return this.createUser(body);
    const writable = WRITABLE[entity.logicalName];
    if (!writable) throw badRequest(`The emulator does not create ${entity.logicalName} rows.`);
    this.require(writable.create);
    const id = randomUUID();
    const columns = this.columnsOf(entity, body);
    if (entity.logicalName === "solution") {
      if ([...this.store.rows(SOLUTION)].some((row) => textOf(row.uniquename).toLowerCase() === textOf(columns.uniquename).toLowerCase()))
        throw new DataverseFault(412, "0x80040237", "A record with matching key values already exists.");
      columns.ismanaged = false; // a solution made in the org is unmanaged; only an import brings a managed one
    }
    this.store.insert(entity.logicalName, { ...columns, [entity.primaryKey]: id });
    return id;
  }

  /**
   * A new user ("Create users": a business unit and a user name are required), with roles given
   * in the same request through `systemuserroles_association@odata.bind`, each assigned as
   * associateRole assigns it. Non-interactive users count toward the limit from creation.
   */
  private createUser(body: Row): string {
    this.require("prvCreateUser");
    const { [`${USER_ROLES_BIND}`]: roleBinds, ...rest } = body;
    const columns = this.columnsOf(SYSTEMUSER, rest);
    if (!columns.businessunitid) throw badRequest("businessunitid is required: bind the user's business unit (businessunitid@odata.bind).");
    if (typeof columns.domainname !== "string" || !columns.domainname) throw badRequest("domainname (the user name) is required.");
    if (roleBinds !== undefined && !Array.isArray(roleBinds)) throw badRequest(`${USER_ROLES_BIND} must be an array of role URIs.`);
    const accessmode = columns.accessmode ?? 0;
    if (accessmode === 4 && this.store.nonInteractiveCount() >= this.store.organization.maxNonInteractiveUsers) throw nonInteractiveQuota();
    const id = randomUUID();
    this.store.insert("systemuser", {
      isdisabled: false,
      islicensed: false,
      fullname: columns.domainname,
      ...columns,
      accessmode,
      systemuserid: id,
    });
    this.store.joinDefaultTeam(id);
    try {
      for (const bind of (roleBinds as unknown[] | undefined) ?? []) {
        const roleId = /roles\(\{?([0-9A-Fa-f-]{36})\}?\)$/.exec(textOf(bind))?.[1];
        if (!roleId) throw badRequest(`Invalid role binding: ${textOf(bind)}.`);
        this.associateRole(id, roleId.toLowerCase());
      }
    } catch (error) {
      this.store.remove("systemuser", id); // the request is one transaction
      throw error;
    }
    return id;
  }

  /** The AddSolutionComponent action. */
  addSolutionComponent(body: Row): Row {
    const uniqueName = body.SolutionUniqueName;
    const solution = [...this.store.rows(SOLUTION)].find(
      (row) => textOf(row.uniquename).toLowerCase() === textOf(uniqueName).toLowerCase(),
    );
    if (!solution) throw notFound("solution", textOf(uniqueName));
    this.require("prvWriteSolution");
    // "AddSolutionComponent Action": adds a component to an unmanaged solution. The refusal is
    // CannotUpdateManagedSolution from "Web service error codes"; its status is the emulator's choice.
    if (solution.ismanaged === true)
      throw new DataverseFault(
        400,
        "0x8004f024",
        `Cannot update solution '${textOf(solution.uniquename)}' because it is a managed solution.`,
      );
    const componentId = textOf(body.ComponentId).replace(/[{}]/g, "").toLowerCase();
    const componentType = Number(body.ComponentType);
    if (!componentId || !Number.isInteger(componentType)) throw badRequest("ComponentId and ComponentType are required.");
    const components = this.store.solutionComponents;
    if (!components.some((c) => c.componentId === componentId && c.solutionUniqueName === solution.uniquename))
      components.push({ solutionUniqueName: textOf(solution.uniquename), componentId, componentType });
    return { id: randomUUID() };
  }

  /**
   * PublishXml ("PublishXmlRequest.ParameterXml"; ParameterXml.xsd): `<entities><entity>` publishes a
   * table's forms, views and charts; `<dashboards><dashboard>`, `<webresources><webresource>` and
   * `<appmodules><appmodule>` ("Create, manage, and publish model-driven apps using code") one
   * component each by id, an app with its site map; `<sitemaps>` the site maps (the schema: "This value
   * is not used. We publish the sitemap if there is at least one <sitemap> node present"). An id the
   * org does not have, published or draft, is refused with ObjectDoesNotExist (the emulator's stated
   * choice: no page says what Dataverse does) and nothing is published.
   */
  publishXml(body: Row): void {
    for (const privilege of PUBLISH_PRIVILEGES) this.require(privilege);
    const xml = textOf(body.ParameterXml);
    if (!xml) throw badRequest("ParameterXml is required.");
    let root: XmlElement;
    try {
      root = parseXml(xml, "ParameterXml").root;
    } catch (error) {
      throw badRequest(`ParameterXml is not valid: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (root.name !== "importexportxml")
      throw badRequest(`ParameterXml is not valid: the root element is <${root.name}>, not <importexportxml>.`);
    const items: string[] = [];
    const ids = (list: XmlElement, item: string) => childElements(list, item).map((node) => normalizeId(textContent(node)));
    for (const list of childElements(root)) {
      const byId = PUBLISHED_BY_ID[list.name];
      if (byId) {
        for (const id of ids(list, byId.item)) {
          const row = this.store.draftOf(byId.table, id) ?? this.store.get(byId.table, id);
          if (!row || !(byId.is?.(row) ?? true)) throw notFound(byId.table, id);
          items.push(`${byId.item}:${id}`);
        }
        continue;
      }
      switch (list.name) {
        case "entities":
          items.push(...ids(list, "entity").map((name) => `entity:${name}`));
          break;
        case "sitemaps":
          if (childElements(list, "sitemap").length) items.push("sitemap:*");
          break;
        case "ribbons":
        case "optionsets":
          break; // nothing of these is kept as a draft here
        default:
          throw badRequest(`ParameterXml is not valid: <importexportxml> cannot contain <${list.name}>.`);
      }
    }
    this.store.publish(items);
  }

  /** PublishAllXml: publishes every draft. */
  publishAllXml(): void {
    for (const privilege of [...PUBLISH_PRIVILEGES, "prvReadWebResource", "prvWriteQuery"]) this.require(privilege);
    this.store.publish("all");
  }

  /** Web API body properties to columns: values checked against choices, `nav@odata.bind` to lookups. */
  private columnsOf(entity: EntityDef, body: Row): Row {
    const columns: Row = {};
    for (const [property, value] of Object.entries(body)) {
      const bind = /^(.+)@odata\.bind$/.exec(property);
      if (bind) {
        const lookup = Object.entries(entity.columns).find(
          ([column, def]) => def.type === "lookup" && (bind[1] === column || bind[1] === `${column}_${def.target ?? ""}`),
        );
        const target = /\(\{?([0-9A-Fa-f-]{36})\}?\)$/.exec(textOf(value));
        if (!lookup || !target) throw badRequest(`Invalid binding '${property}': ${textOf(value)}.`);
        const related = lookup[1].target ? this.store.get(lookup[1].target, target[1]) : undefined;
        if (!related) throw notFound(lookup[1].target ?? "row", target[1]);
        columns[lookup[0]] = target[1].toLowerCase();
        continue;
      }
      const column = columnOfProperty(entity, property);
      if (!column) throw badRequest(`Invalid property '${property}' was found in entity 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`);
      if (column.def.readOnly) continue; // Dataverse ignores read-only columns in a write
      if (column.def.type === "choice" && value !== null && (typeof value !== "number" || !(value in (column.def.options ?? {}))))
        throw badRequest(
          `A validation error occurred. The value ${JSON.stringify(value) ?? "undefined"} of '${property}' is outside the valid range.`,
          // PicklistValueOutOfRange ("Web service error codes").
          "0x8004431a",
        );
      columns[column.column] = value;
    }
    return columns;
  }

  associateRole(userId: string, roleId: string): void {
    const user = this.userOrThrow(userId);
    const role = this.store.get("role", roleId);
    if (!role) throw notFound("role", roleId);
    this.require("prvAssignRole");
    this.require("prvReadRole");
    // DuplicateRecord with HTTP 412, as Dataverse reports it (microsoft/coe-starter-kit#4215 shows
    // ApiExceptionMessageName DuplicateRecord with ApiExceptionHttpStatusCode 412).
    if (this.store.holds(userId, roleId))
      throw new DataverseFault(412, "0x80040237", {
        1033: "Cannot insert duplicate key.",
        1036: "Impossible d'insérer une clé en double.",
      });
    // Roles cannot be given to a disabled user unless an org setting allows it (MscrmTools/XrmToolBox#1099).
    if (user.isdisabled === true)
      throw badRequest(
        {
          1033: "Security roles cannot be assigned to a disabled user.",
          1036: "Impossible d'attribuer des rôles de sécurité à un utilisateur désactivé.",
        },
        "0x80040225",
      );
    if (!this.store.organization.modernizedBusinessUnits && role.businessunitid !== user.businessunitid)
      // No source documents this refusal's code or status: 400 with the generic InvalidArgument code.
      throw badRequest(
        {
          1033: "The role belongs to another business unit: assign the copy of the role in the user's business unit.",
          1036: "Le rôle appartient à une autre division : attribuez la copie du rôle dans la division de l'utilisateur.",
        },
        "0x80040203",
      );
    this.preventElevation(role);
    this.store.associate(userId, roleId);
  }

  disassociateRole(userId: string, roleId: string): void {
    this.userOrThrow(userId);
    this.require("prvAssignRole");
    this.store.disassociate(userId, roleId);
  }

  /**
   * `POST <set>(<id>)/<navigation>/$ref` for the relationships the Web API associates: users and roles,
   * team members and team roles, from either side ("Associate and disassociate table rows").
   */
  associate(logicalName: string, id: string, navigation: string, relatedId: string): void {
    const [first, second] = this.sides(logicalName, id, navigation, relatedId);
    if (navigation === USER_ROLES) return this.associateRole(first, second);
    if (navigation === TEAM_MEMBERS) return this.addTeamMembers(second, [first]);
    return this.assignTeamRole(first, second);
  }

  /** `DELETE <set>(<id>)/<navigation>(<related id>)/$ref`. */
  disassociate(logicalName: string, id: string, navigation: string, relatedId: string): void {
    const [first, second] = this.sides(logicalName, id, navigation, relatedId);
    if (navigation === USER_ROLES) return this.disassociateRole(first, second);
    if (navigation === TEAM_MEMBERS) return this.removeTeamMembers(second, [first]);
    this.teamOrThrow(first);
    this.require("prvAssignRole");
    this.store.unlink(TEAM_ROLES, first, second);
  }

  /** The ids in the order of the relationship's sides (metadata.ts), whichever side the URL starts from. */
  private sides(logicalName: string, id: string, navigation: string, relatedId: string): [string, string] {
    const relationship = relationshipNamed(navigation);
    if (!relationship || ![USER_ROLES, TEAM_MEMBERS, TEAM_ROLES].includes(navigation))
      throw badRequest(`The emulator does not associate through '${navigation}'.`);
    if (relationship.sides[0].table === logicalName) return [id, relatedId];
    if (relationship.sides[1].table === logicalName) return [relatedId, id];
    throw badRequest(`'${navigation}' is not a navigation property of ${logicalName}.`);
  }

  /**
   * AddMembersTeam, and associating a user through teammembership_association. Nobody is added by hand
   * to a business unit's default team (CannotAddMembersToDefaultTeam, "Web service error codes"), nor to
   * a Microsoft Entra group team, whose members Entra manages ("Manage teams"), and a disabled user
   * joins no team (CannotAssociateDisabledUsersToTeams).
   */
  addTeamMembers(teamId: string, userIds: string[]): void {
    const team = this.teamOrThrow(teamId);
    for (const privilege of TEAM_MEMBERSHIP_PRIVILEGES) this.require(privilege);
    this.refuseHandMembership(team, "0x8004830b", "Can't add members to the default business unit team");
    for (const userId of userIds)
      if (this.userOrThrow(userId).isdisabled === true)
        throw badRequest(`Disabled users cannot be added to teams (SystemUserId = ${userId}).`, "0x80048d36");
    for (const userId of userIds) this.store.link(TEAM_MEMBERS, userId, teamId);
  }

  /** RemoveMembersTeam, and disassociating teammembership_association (CannotRemoveMembersFromDefaultTeam). */
  removeTeamMembers(teamId: string, userIds: string[]): void {
    const team = this.teamOrThrow(teamId);
    for (const privilege of TEAM_MEMBERSHIP_PRIVILEGES) this.require(privilege);
    this.refuseHandMembership(team, "0x8004830c", "Can't remove members from the default business unit team");
    for (const userId of userIds) this.store.unlink(TEAM_MEMBERS, userId, teamId);
  }

  private refuseHandMembership(team: Row, defaultTeamCode: string, defaultTeamText: string): void {
    if (team.isdefault === true) throw badRequest(`${defaultTeamText} (TeamId = ${textOf(team.teamid)}).`, defaultTeamCode);
    // unManagedidsinvalidteamid: "It's not allowed to add members to Microsoft Entra (formerly AAD) security group teams or office group teams".
    if (team.teamtype === 2 || team.teamtype === 3)
      throw badRequest(
        {
          1033: "It's not allowed to add members to Microsoft Entra security group teams or office group teams.",
          1036: "Il n'est pas permis d'ajouter des membres aux équipes de groupe de sécurité ou de groupe Office Microsoft Entra.",
        },
        "0x80040208",
      );
  }

  /**
   * A role given to a team ("Manage teams"): access teams hold none (CannotAssignRolesOrProfilesToAccessTeam),
   * group teams only roles whose privileges members inherit (AadGroupTeamsCanOnlyAssignInheritableRoles),
   * the copy of the role in the team's business unit (classic business units), and never more than
   * the caller holds ("Prevent privilege elevation").
   */
  private assignTeamRole(teamId: string, roleId: string): void {
    const team = this.teamOrThrow(teamId);
    const role = this.store.get("role", roleId);
    if (!role) throw notFound("role", roleId);
    this.require("prvAssignRole");
    this.require("prvReadRole");
    if (this.store.isLinked(TEAM_ROLES, teamId, roleId)) throw new DataverseFault(412, "0x80040237", "Cannot insert duplicate key.");
    if (team.teamtype === 1)
      throw badRequest(`Cannot assign roles or profiles to an access team (TeamId = ${textOf(team.teamid)}).`, "0x80048331");
    if ((team.teamtype === 2 || team.teamtype === 3) && role.isinherited !== 1)
      throw badRequest(
        'Cannot assign security role with "Team Privileges only" Inheritance to AAD Group or Office Group teams.',
        "0x80048350",
      );
    if (!this.store.organization.modernizedBusinessUnits && role.businessunitid !== team.businessunitid)
      throw badRequest("The role belongs to another business unit: assign the copy of the role in the team's business unit.", "0x80040203");
    this.preventElevation(role);
    this.store.link(TEAM_ROLES, teamId, roleId);
  }

  private teamOrThrow(id: string): Row {
    const team = this.store.get("team", id);
    if (!team) throw notFound("team", id);
    return team;
  }

  /** RetrieveOrganizationResources: application users do not count toward the non-interactive limit. */
  organizationResources(baseUrl: string): Row {
    this.require("prvReadOrganization");
    const users = [...this.store.rows(SYSTEMUSER)].filter((user) => user.isdisabled !== true && !user.applicationid).length;
    return {
      "@odata.context": `${baseUrl}$metadata#Microsoft.Dynamics.CRM.RetrieveOrganizationResourcesResponse`,
      OrganizationResources: {
        CurrentNumberOfActiveUsers: users,
        MaxNumberOfActiveUsers: 100000,
        CurrentNumberOfNonInteractiveUsers: this.store.nonInteractiveCount(),
        MaxNumberOfNonInteractiveUsers: this.store.organization.maxNonInteractiveUsers,
        CurrentNumberOfCustomEntities: 0,
        MaxNumberOfCustomEntities: 10000,
        CurrentNumberOfPublishedWorkflows: 0,
        MaxNumberOfPublishedWorkflows: 10000,
        CurrentStorage: 0,
        MaxStorage: 0,
      },
    };
  }

  whoAmI(baseUrl: string): Row {
    const caller = this.userOrThrow(this.callerId);
    return {
      "@odata.context": `${baseUrl}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: caller.businessunitid,
      UserId: caller.systemuserid,
      OrganizationId: this.store.organization.organizationid,
    };
  }

  /** RetrieveUserPrivileges: the privileges a user holds through their roles. */
  userPrivileges(userId: string, baseUrl: string): Row {
    const user = this.userOrThrow(userId);
    this.require("prvReadUser");
    return {
      "@odata.context": `${baseUrl}$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse`,
      RolePrivileges: [...this.store.privilegesOf(userId)].map(([name, depth]) => ({
        Depth: depth,
        PrivilegeId: privilegeId(name),
        BusinessUnitId: user.businessunitid,
        PrivilegeName: name,
      })),
    };
  }

  private applyAccessModeChange(row: Row, columns: Row): void {
    // Only a System Administrator whose own access mode is Read-Write may change access modes: the role
    // is known by its template, whatever the base language names it, held directly or through a team.
    const caller = this.userOrThrow(this.callerId);
    const isAdmin = this.store
      .effectiveRolesOf(this.callerId)
      .some((role) => isSystemAdministratorRole({ templateId: textOf(role.roletemplateid) }));
    if (!isAdmin || caller.accessmode !== 0)
      throw new DataverseFault(403, "0x80048d2f", {
        1033: "You need to have system administrator role and access mode Full to change access mode of a user.",
        1036: "Vous devez avoir le rôle d'administrateur système et le mode d'accès Complet pour changer le mode d'accès d'un utilisateur.",
      });
    if (
      columns.accessmode === 4 &&
      !row.applicationid &&
      this.store.nonInteractiveCount() >= this.store.organization.maxNonInteractiveUsers
    )
      throw nonInteractiveQuota();
    // Leaving non-interactive mode disables the user.
    if (row.accessmode === 4) columns.isdisabled = true;
  }

  /** Dataverse refuses to give a role with privileges the caller lacks ("Prevent privilege elevation"). */
  private preventElevation(role: Row): void {
    const held = this.store.privilegesOf(this.callerId);
    for (const grant of this.store.privilegesOfRole(role.roleid as string)) {
      const depth = held.get(grant.name);
      if (!depth || DEPTHS.indexOf(depth) < DEPTHS.indexOf(grant.depth)) throw privilegeDenied(this.callerId, grant.name);
    }
  }

  private require(privilege: string | undefined): void {
    if (privilege && !this.store.privilegesOf(this.callerId).has(privilege)) throw privilegeDenied(this.callerId, privilege);
  }

  private userOrThrow(id: string): Row {
    const user = this.store.get("systemuser", id);
    if (!user) throw notFound("systemuser", id);
    return user;
  }

  private shape(entity: EntityDef, query: CollectionQuery, preferences: Preferences) {
    // "Join tables using OData": a single-level expand of a collection returns, per row, the
    // filtered collection's URL as <property>@odata.nextLink, with the expand's options and no paging.
    const collectionLink = (row: Row, navigation: string, options: string) =>
      `${this.baseUrl}${entity.setName}(${textOf(row[entity.primaryKey])})/${navigation}${options ? `?${options.split(";").join("&")}` : ""}`;
    const shape = this.odata(() => ({
      select: parseSelect(entity, query.$select),
      expand: parseExpand(entity, query.$expand),
      annotations: preferences.annotations,
      collectionLink,
    }));
    // An expansion reads the related table: its read privilege is needed too.
    for (const expansion of shape.expand) this.require(READ_PRIVILEGE[expansion.target.logicalName]);
    return shape;
  }

  private sort(entity: EntityDef, rows: Row[], orderby: string | undefined): Row[] {
    const [property = entity.primaryKey, direction = "asc"] = (orderby ?? "").trim().split(/\s+/).filter(Boolean);
    const column = this.odata(() => {
      const found = columnOfProperty(entity, property);
      if (!found)
        throw new ODataQueryError(`Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`);
      return found.column;
    });
    const sign = direction === "desc" ? -1 : 1;
    return rows.sort((a, b) => sign * textOf(a[column]).localeCompare(textOf(b[column])));
  }

  private odata<T>(parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      if (error instanceof ODataQueryError) throw badRequest(error.message);
      throw error;
    }
  }
}

/** Opaque to clients, as Dataverse's paging cookies are. */
function encodeSkipToken(offset: number): string {
  return Buffer.from(`page:${offset}`).toString("base64url");
}

function decodeSkipToken(token: string): number {
  const match = /^page:(\d+)$/.exec(Buffer.from(token, "base64url").toString());
  if (!match) throw badRequest("The $skiptoken is not valid.");
  return Number(match[1]);
}

/** InvalidNonInteractiveUserQuota ("Web service error codes"); the status is the emulator's stated choice. */
function nonInteractiveQuota(): DataverseFault {
  return badRequest(
    {
      1033: "You have reached the maximum number of non-interactive users.",
      1036: "Vous avez atteint le nombre maximal d'utilisateurs non interactifs.",
    },
    "0x8004b050",
  );
}
