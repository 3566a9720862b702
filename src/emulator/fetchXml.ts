import { aggregateRows, type Aggregate, type ApplyPlan, type GroupColumn } from "./aggregation";
import { badRequest, DataverseFault } from "./dataverseErrors";
import { propertyName, type ColumnDef, type EntityDef } from "./metadata";
import { compileFilter } from "./odataFilter";
import { lookupRow, shapeRow, wantsAnnotation } from "./odataQuery";
import { dateTimeText, textOf, type OrgStore, type Row } from "./store";
import { childElements, parseXml, textContent, type XmlElement } from "../solution/xml";

/**
 * FetchXml over the Web API: `GET <entity set>?fetchXml=<url-encoded fetch>` ("Use FetchXml to
 * retrieve data", https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/retrieve-data).
 * The subset below is served, each element and attribute as the FetchXml reference
 * (https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/) and Fetch.xsd
 * define it; what Dataverse refuses is refused with its code from "Web service error codes"
 * (https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes),
 * and what Dataverse accepts but the emulator does not implement (link-entity, dategrouping, most
 * date operators, paging cookies) is refused with 400 naming this file, so no test can pass on it.
 * Conditions compile to the same predicate `$filter` uses (odataFilter.ts) and aggregates run through
 * the same code as `$apply` (aggregation.ts): one comparison, one aggregation.
 * Docs: docs/dataverse-emulator-apps.md.
 */

const HERE = "src/emulator/fetchXml.ts";

/** What the emulator does not implement, though Dataverse accepts it. */
export function fetchNotImplemented(what: string): DataverseFault {
  return badRequest(
    `The emulator does not implement ${what} in FetchXml (${HERE}); see docs/dataverse-emulator-apps.md for the served subset.`,
  );
}

/** A refusal with its "Web service error codes" name and code; the HTTP status (400) is the emulator's choice. */
const refuse = (code: string, message: string) => badRequest(message, code);
const INVALID_NODE = (what: string) => refuse("0x8004111c", `The element node encountered is invalid. (${what})`); // QueryBuilderDeserializeInvalidNode
const NO_ATTRIBUTE = (entity: EntityDef, name: string) =>
  refuse("0x80041103", `The specified attribute does not exist on this entity. ('${entity.logicalName}' has no attribute '${name}')`); // QueryBuilderNoAttribute
const REQUIRED_ATTRIBUTE = (what: string) => refuse("0x8004111e", `A required attribute was not specified. (${what})`); // QueryBuilderAttributeNotFound
const INVALID_VALUE = (what: string) => refuse("0x80041108", `Invalid value specified for type. (${what})`); // QueryBuilderInvalid_Value
const BAD_CONDITION = (what: string) => refuse("0x80041106", `Incorrect filter condition or conditions. (${what})`); // QueryBuilderBad_Condition

/** Fetch.xsd's FetchBoolType: true, false, 1, 0; anything else is refused with the attribute's own code. */
function bool(value: string | undefined, code: string, attribute: string): boolean {
  if (value === undefined) return false;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw refuse(code, `The only valid values for ${attribute} attribute are 'true', 'false', '1', and '0'.`);
}

/** A positive integer attribute (top, count, page): QueryBuilderValue_GreaterThanZero otherwise. */
function positive(value: string | undefined, attribute: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0)
    throw refuse("0x8004110c", `A value greater than zero must be specified. (${attribute}='${value}')`);
  return Number(value);
}

/** Operators of Fetch.xsd and the condition operator reference; only the first set is implemented. */
const IMPLEMENTED_OPERATORS = new Set([
  "eq",
  "ne",
  "neq",
  "gt",
  "ge",
  "lt",
  "le",
  "null",
  "not-null",
  "in",
  "not-in",
  "like",
  "not-like",
  "begins-with",
  "not-begin-with",
  "ends-with",
  "not-end-with",
  "on",
  "on-or-before",
  "on-or-after",
  "olderthan-x-days",
]);
const DOCUMENTED_OPERATORS = new Set([
  ...IMPLEMENTED_OPERATORS,
  ..."between not-between yesterday today tomorrow last-seven-days next-seven-days last-week this-week next-week last-month this-month next-month last-year this-year next-year last-x-hours next-x-hours last-x-days next-x-days last-x-weeks next-x-weeks last-x-months next-x-months olderthan-x-months olderthan-x-years olderthan-x-weeks olderthan-x-hours olderthan-x-minutes last-x-years next-x-years eq-userid ne-userid eq-userteams eq-useroruserteams eq-useroruserhierarchy eq-useroruserhierarchyandteams eq-businessid ne-businessid eq-userlanguage this-fiscal-year this-fiscal-period next-fiscal-year next-fiscal-period last-fiscal-year last-fiscal-period last-x-fiscal-years last-x-fiscal-periods next-x-fiscal-years next-x-fiscal-periods in-fiscal-year in-fiscal-period in-fiscal-period-and-year in-or-before-fiscal-period-and-year in-or-after-fiscal-period-and-year under eq-or-under not-under above eq-or-above contain-values not-contain-values".split(
    " ",
  ),
]);

export interface FetchOrder {
  /** Non-aggregate: the column to sort by. */
  column?: string;
  /** Aggregate: the alias of a group or aggregate to sort by. */
  alias?: string;
  descending: boolean;
}

/** A parsed fetch: what to read, filter, aggregate, order and return. */
export interface FetchQuery {
  entity: EntityDef;
  aggregate: boolean;
  distinct: boolean;
  /** useraworderby: choices sort by value instead of label ("Order rows using FetchXml"). */
  rawOrder: boolean;
  top?: number;
  count?: number;
  page?: number;
  aggregateLimit?: number;
  /** Non-aggregate: the columns to return; undefined with all-attributes. */
  columns?: string[];
  /** The conditions as a `$filter` expression (compiled by odataFilter.ts), when there are any. */
  filter?: string;
  /** Aggregate: the groups and aggregates, aliases as the properties that come back. */
  apply?: ApplyPlan;
  orders: FetchOrder[];
}

/**
 * Parses a FetchXml query against the table of the entity set it is sent to, or throws the
 * DataverseFault Dataverse answers with (400).
 */
export function parseFetchXml(text: string, entity: EntityDef): FetchQuery {
  if (!text.trim()) throw refuse("0x80041124", "Xml String can't be null."); // QueryBuilderDeserializeEmptyXml
  let root: XmlElement;
  try {
    root = parseXml(text, "fetchXml").root;
  } catch (error) {
    throw INVALID_NODE(`the fetchXml is not well-formed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (root.name !== "fetch") throw INVALID_NODE(`the root element is <${root.name}>, not <fetch>`);
  const attributes = root.attributes;
  for (const name of Object.keys(attributes)) {
    if (
      [
        "version",
        "output-format",
        "mapping",
        "distinct",
        "aggregate",
        "top",
        "count",
        "page",
        "no-lock",
        "useraworderby",
        "aggregatelimit",
      ].includes(name)
    )
      continue;
    if (
      [
        "returntotalrecordcount",
        "paging-cookie",
        "utc-offset",
        "latematerialize",
        "options",
        "datasource",
        "min-active-row-version",
      ].includes(name)
    )
      throw fetchNotImplemented(`the fetch attribute '${name}'`);
    throw INVALID_NODE(`<fetch> has no attribute '${name}'`);
  }
  if (attributes.mapping !== undefined && attributes.mapping !== "logical") {
    if (attributes.mapping === "internal") throw fetchNotImplemented("mapping='internal' (deprecated)");
    throw refuse("0x80041116", "The only valid values for mapping are 'logical' or 'internal' which is deprecated."); // QueryBuilderDeserializeInvalidMapping
  }
  bool(attributes["no-lock"], "0x80041118", "no-lock"); // QueryBuilderDeserializeInvalidNoLock; "No longer necessary" (fetch element)
  const query: FetchQuery = {
    entity,
    aggregate: bool(attributes.aggregate, "0x8004111a", "aggregate"),
    distinct: bool(attributes.distinct, "0x80041115", "distinct"),
    rawOrder: bool(attributes.useraworderby, "0x800410fd", "useraworderby"),
    top: positive(attributes.top, "top"),
    count: positive(attributes.count, "count"),
    page: positive(attributes.page, "page"),
    aggregateLimit: positive(attributes.aggregatelimit, "aggregatelimit"),
    orders: [],
  };
  // fetch element: top "cannot exceed 5,000"; "Don't use the top attribute when you request pages of data" (Page results).
  if (query.top !== undefined && query.top > 5000) throw INVALID_VALUE(`top='${query.top}' exceeds 5,000`);
  if (query.top !== undefined && (query.count !== undefined || query.page !== undefined))
    throw INVALID_VALUE("top with count or page: the two ways of limiting rows are not compatible (Page results)");
  if (query.count !== undefined && query.count > 5000) throw INVALID_VALUE(`count='${query.count}' exceeds the 5,000-row page`);
  if (query.aggregateLimit !== undefined && !query.aggregate) throw INVALID_VALUE("aggregatelimit without aggregate='true'");

  const entities = childElements(root);
  const other = entities.find((node) => node.name !== "entity");
  if (other)
    throw other.name === "order" ? fetchNotImplemented("<order> under <fetch>") : INVALID_NODE(`<fetch> cannot contain <${other.name}>`);
  if (entities.length !== 1) throw refuse("0x80041123", "A required element was not specified. (one <entity>)"); // QueryBuilderElementNotFound
  const node = entities[0];
  for (const name of Object.keys(node.attributes))
    if (name !== "name")
      throw name === "enableprefiltering" || name === "prefilterparametername"
        ? fetchNotImplemented(`the entity attribute '${name}'`)
        : INVALID_NODE(`<entity> has no attribute '${name}'`);
  if (!node.attributes.name) throw REQUIRED_ATTRIBUTE("entity name");
  // The entity set's table and the fetch's entity must agree (QueryBuilderEntitiesDontMatch).
  if (node.attributes.name !== entity.logicalName)
    throw refuse(
      "0x80041128",
      `The entity name specified in fetchxml does not match the entity name specified in the Entity or Query Expression. (fetchxml: '${node.attributes.name}', entity set: '${entity.setName}' of '${entity.logicalName}')`,
    );

  const filters: string[] = [];
  const aliases = new Set<string>();
  const groupBy: GroupColumn[] = [];
  const aggregates: Aggregate[] = [];
  const columns: string[] = [];
  let allAttributes = false;
  const orderNodes: XmlElement[] = [];
  for (const child of childElements(node)) {
    if (child.name === "attribute") {
      const name = child.attributes.name;
      if (!name) throw REQUIRED_ATTRIBUTE("attribute name");
      const def = entity.columns[name];
      if (!def) throw NO_ATTRIBUTE(entity, name);
      for (const attribute of Object.keys(child.attributes)) {
        if (["name", "alias", "aggregate", "groupby", "distinct", "build", "addedby"].includes(attribute)) continue;
        if (["dategrouping", "usertimezone", "rowaggregate"].includes(attribute))
          throw fetchNotImplemented(`the attribute element's '${attribute}'`);
        throw INVALID_NODE(`<attribute> has no attribute '${attribute}'`);
      }
      const alias = child.attributes.alias;
      if (alias !== undefined) {
        if (aliases.has(alias)) throw refuse("0x80041130", "FetchXML should have unique aliases."); // QueryBuilderDuplicateAlias
        aliases.add(alias);
      }
      if (!query.aggregate) {
        if (child.attributes.aggregate !== undefined || child.attributes.groupby !== undefined)
          throw refuse(
            "0x8004111a",
            `An error occurred while processing Aggregates in Query (${name}: aggregate and groupby need <fetch aggregate='true'>)`,
          );
        if (alias !== undefined) throw fetchNotImplemented("column aliases outside aggregate queries");
        columns.push(name);
        continue;
      }
      const groupby = bool(child.attributes.groupby, "0x8004112E", "groupby");
      const method = child.attributes.aggregate;
      if (groupby && method !== undefined) throw refuse("0x80041137", "An attribute can either be an aggregate or a Group By but not both");
      if (!groupby && method === undefined)
        throw refuse("0x80041107", `Attributes can not be returned when aggregate operation is specified. (${name})`);
      if (alias === undefined) throw refuse("0x80041109", `Invalid alias for aggregate operation. (${name} has none)`); // QueryBuilderInvalid_Alias
      if (groupby) {
        if (def.type === "datetime") throw fetchNotImplemented("grouping by a date and time column (dategrouping)");
        groupBy.push({ property: propertyName(name, def), column: name, def, alias });
        continue;
      }
      aggregates.push(aggregateOf(name, def, method, alias, bool(child.attributes.distinct, "0x80041115", "distinct")));
    } else if (child.name === "all-attributes") {
      if (query.aggregate)
        throw refuse("0x80041107", "Attributes can not be returned when aggregate operation is specified. (all-attributes)");
      allAttributes = true;
    } else if (child.name === "order") orderNodes.push(child);
    else if (child.name === "filter") filters.push(filterOf(entity, child));
    else if (child.name === "link-entity") throw fetchNotImplemented("<link-entity> (joins)");
    else throw INVALID_NODE(`<entity> cannot contain <${child.name}>`);
  }
  if (query.aggregate) {
    if (!aggregates.length && !groupBy.length)
      throw refuse("0x80041123", "A required element was not specified. (an aggregate or groupby attribute)");
    query.apply = { groupBy, aggregates };
  } else if (!allAttributes) query.columns = columns;
  for (const order of orderNodes) query.orders.push(orderOf(query, order, aliases));
  if (filters.length) query.filter = filters.map((filter) => `(${filter})`).join(" and ");
  return query;
}

function aggregateOf(column: string, def: ColumnDef, method: string, alias: string, distinct: boolean): Aggregate {
  const methods: Record<string, Aggregate["method"]> = {
    count: "count",
    countcolumn: "countcolumn",
    sum: "sum",
    avg: "average",
    min: "min",
    max: "max",
  };
  const mapped = methods[method];
  if (!mapped) throw refuse("0x8004111a", `An error occurred while processing Aggregates in Query (aggregate='${method}')`);
  if (distinct && mapped !== "countcolumn") throw fetchNotImplemented(`distinct with aggregate='${method}'`);
  // Aggregate data using FetchXml: sum and avg of numbers; min and max of numbers and dates.
  const numeric = def.type === "int";
  if (
    ((mapped === "sum" || mapped === "average") && !numeric) ||
    ((mapped === "min" || mapped === "max") && !numeric && def.type !== "datetime")
  )
    throw refuse("0x8004112F", `Aggregate ${method} is not supported for attribute of type ${def.type}.`); // QueryBuilderInvalidAggregateAttribute
  return { alias, method: mapped, column, def, distinct };
}

function orderOf(query: FetchQuery, node: XmlElement, aliases: Set<string>): FetchOrder {
  for (const name of Object.keys(node.attributes))
    if (!["attribute", "alias", "descending"].includes(name))
      throw name === "entityname"
        ? fetchNotImplemented("order entityname (link-entity orders)")
        : INVALID_NODE(`<order> has no attribute '${name}'`);
  const descending = bool(node.attributes.descending, "0x80041119", "descending");
  const { attribute, alias } = node.attributes;
  if (query.aggregate) {
    if (attribute !== undefined)
      throw refuse("0x80041131", "An attribute cannot be specified for an order clause for an aggregate Query. Use an alias.");
    if (alias === undefined) throw refuse("0x80041134", "An alias is required for an order clause for an aggregate Query.");
    if (!aliases.has(alias))
      throw refuse("0x8004110a", `The specified alias for the given entity in the condition does not exist. ('${alias}')`);
    return { alias, descending };
  }
  if (alias !== undefined)
    throw refuse("0x80041132", "An alias cannot be specified for an order clause for a non-aggregate Query. Use an attribute.");
  if (attribute === undefined) throw refuse("0x80041133", "An attribute is required for an order clause for a non-aggregate Query.");
  if (!query.entity.columns[attribute]) throw NO_ATTRIBUTE(query.entity, attribute);
  return { column: attribute, descending };
}

/** A `<filter>` as a `$filter` expression: its conditions and nested filters joined by its type. */
function filterOf(entity: EntityDef, node: XmlElement): string {
  for (const name of Object.keys(node.attributes))
    if (name !== "type")
      throw name === "hint" || name === "isquickfindfields"
        ? fetchNotImplemented(`the filter attribute '${name}'`)
        : INVALID_NODE(`<filter> has no attribute '${name}'`);
  const type = node.attributes.type ?? "and";
  if (type !== "and" && type !== "or") throw refuse("0x80041122", "Unsupported filter type. Valid values are 'and', or 'or'."); // QueryBuilderInvalidFilterType
  const parts = childElements(node).map((child) => {
    if (child.name === "condition") return conditionOf(entity, child);
    if (child.name === "filter") return filterOf(entity, child);
    if (child.name === "link-entity") throw fetchNotImplemented("<link-entity> inside <filter> (filters on related rows)");
    throw INVALID_NODE(`<filter> cannot contain <${child.name}>`);
  });
  // An empty filter holds for every row.
  return parts.length ? parts.map((part) => `(${part})`).join(` ${type} `) : "true eq true";
}

const DAY_MS = 86_400_000;

/** A value of the column's type as an OData literal, or QueryBuilderInvalid_Value. */
function literal(def: ColumnDef, column: string, raw: string): string {
  const value = raw.trim();
  switch (def.type) {
    case "int":
    case "choice":
      if (!/^-?\d+$/.test(value))
        throw INVALID_VALUE(`'${raw}' for the ${def.type === "choice" ? "choice" : "whole number"} column ${column}`);
      return String(Number(value));
    case "bool":
      if (value === "1" || value === "true") return "true";
      if (value === "0" || value === "false") return "false";
      throw INVALID_VALUE(`'${raw}' for the yes/no column ${column}`);
    case "guid":
    case "lookup": {
      const id = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/.exec(value)?.[1];
      if (!id) throw INVALID_VALUE(`'${raw}' for the unique identifier column ${column}`);
      return id.toLowerCase();
    }
    case "datetime":
      if (Number.isNaN(Date.parse(value))) throw INVALID_VALUE(`'${raw}' for the date and time column ${column}`);
      return dateTimeText(value);
    default:
      return `'${raw.replace(/'/g, "''")}'`;
  }
}

/** The UTC day a date value falls on, as [start, next day's start] DateTime literals (the emulator keeps no user time zone). */
function dayOf(def: ColumnDef, column: string, raw: string): [string, string] {
  if (def.type !== "datetime") throw INVALID_VALUE(`'${raw}': ${column} is not a date and time column`);
  const parsed = Date.parse(raw.trim());
  if (Number.isNaN(parsed)) throw INVALID_VALUE(`'${raw}' for the date and time column ${column}`);
  const start = new Date(parsed);
  start.setUTCHours(0, 0, 0, 0);
  return [dateTimeText(start), dateTimeText(start.getTime() + DAY_MS)];
}

/** A `like` pattern as a $filter function call: `%x%` contains, `x%` startswith, `%x` endswith, no wildcard eq. */
function likeOf(property: string, pattern: string): string {
  const match = /^(%?)([^%_[\]]*)(%?)$/.exec(pattern);
  if (!match) throw fetchNotImplemented(`the like pattern '${pattern}' (only %x%, x%, %x and x are served)`);
  const [, leading, text, trailing] = match;
  const quoted = `'${text.replace(/'/g, "''")}'`;
  if (leading && trailing) return `contains(${property},${quoted})`;
  if (trailing) return `startswith(${property},${quoted})`;
  if (leading) return `endswith(${property},${quoted})`;
  return `${property} eq ${quoted}`;
}

/**
 * A `<condition>` as a $filter expression. Operators that negate (ne, neq, not-in, not-like, …)
 * leave out rows whose value is null, as SQL's comparisons do.
 */
function conditionOf(entity: EntityDef, node: XmlElement): string {
  for (const name of Object.keys(node.attributes)) {
    if (["attribute", "operator", "value", "uiname", "uitype", "uihidden"].includes(name)) continue;
    if (["column", "entityname", "valueof", "aggregate", "alias", "rowaggregate"].includes(name))
      throw fetchNotImplemented(`the condition attribute '${name}'`);
    throw INVALID_NODE(`<condition> has no attribute '${name}'`);
  }
  const column = node.attributes.attribute;
  const operator = node.attributes.operator;
  if (!column) throw REQUIRED_ATTRIBUTE("condition attribute");
  if (!operator) throw REQUIRED_ATTRIBUTE("condition operator");
  const def = entity.columns[column];
  if (!def) throw NO_ATTRIBUTE(entity, column);
  if (!IMPLEMENTED_OPERATORS.has(operator)) {
    if (DOCUMENTED_OPERATORS.has(operator)) throw fetchNotImplemented(`the condition operator '${operator}'`);
    throw refuse("0x80041120", `Unsupported condition operator. ('${operator}')`); // QueryBuilderInvalidConditionOperator
  }
  const property = propertyName(column, def);
  const values = childElements(node).map((child) => {
    if (child.name !== "value") throw INVALID_NODE(`<condition> cannot contain <${child.name}>`);
    return textContent(child);
  });
  const single = () => {
    const value = node.attributes.value ?? (values.length === 1 ? values[0] : undefined);
    if (value === undefined) throw BAD_CONDITION(`'${operator}' on ${column} needs one value`);
    return value;
  };
  const notNull = (expression: string) => `(${expression}) and ${property} ne null`;
  switch (operator) {
    case "eq":
    case "gt":
    case "ge":
    case "lt":
    case "le":
      return `${property} ${operator} ${literal(def, column, single())}`;
    case "ne":
    case "neq":
      return notNull(`${property} ne ${literal(def, column, single())}`);
    case "null":
      return `${property} eq null`;
    case "not-null":
      return `${property} ne null`;
    case "in":
    case "not-in": {
      if (!values.length) throw BAD_CONDITION(`'${operator}' on ${column} needs <value> elements`);
      const list = values.map((value) => literal(def, column, value));
      return operator === "in"
        ? list.map((value) => `${property} eq ${value}`).join(" or ")
        : notNull(list.map((value) => `${property} ne ${value}`).join(" and "));
    }
    case "like":
    case "not-like":
    case "begins-with":
    case "not-begin-with":
    case "ends-with":
    case "not-end-with": {
      if (def.type !== "string") throw INVALID_VALUE(`'${operator}' needs a text column, and ${column} is ${def.type}`);
      const value = single();
      const pattern = operator.includes("begin") ? `${value}%` : operator.includes("end") ? `%${value}` : value;
      if (operator.includes("begin") || operator.includes("end")) {
        if (/[%_[\]]/.test(value)) throw fetchNotImplemented(`wildcards inside a '${operator}' value`);
      }
      const test = likeOf(property, pattern);
      return operator.startsWith("not") ? notNull(`not (${test})`) : test;
    }
    case "on": {
      const [start, next] = dayOf(def, column, single());
      return `${property} ge ${start} and ${property} lt ${next}`;
    }
    case "on-or-before":
      return `${property} lt ${dayOf(def, column, single())[1]}`;
    case "on-or-after":
      return `${property} ge ${dayOf(def, column, single())[0]}`;
    case "olderthan-x-days": {
      if (def.type !== "datetime") throw INVALID_VALUE(`${column} is not a date and time column`);
      const days = single().trim();
      if (!/^\d+$/.test(days)) throw INVALID_VALUE(`'${days}' days`);
      return `${property} lt ${dateTimeText(Date.now() - Number(days) * DAY_MS)}`;
    }
    default:
      throw fetchNotImplemented(`the condition operator '${operator}'`);
  }
}

export interface FetchLimits {
  /** AggregateQueryRecordLimit (50,000, or the org's test setting). */
  records: number;
}

/** The sort key of a value: a choice by its label unless useraworderby, a lookup by the related row's primary name. */
function sortKey(store: OrgStore, def: ColumnDef | undefined, value: unknown, raw: boolean): unknown {
  if (value === null || value === undefined || !def) return value ?? null;
  if (def.type === "choice" && !raw) return def.options?.[value as number] ?? textOf(value);
  if (def.type === "lookup") {
    const related = lookupRow(store, def, textOf(value));
    return related ? textOf(related.row[related.table.primaryName]) : textOf(value);
  }
  return value;
}

/** Nulls first (SQL Server's ascending order), numbers as numbers, text without case. */
function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return textOf(a).localeCompare(textOf(b), "en", { sensitivity: "base" });
}

/**
 * Runs a parsed fetch over the rows the caller may read. Returns the Web API answer's `value` and,
 * with simple paging (count and page), `@Microsoft.Dynamics.CRM.morerecords` when asked for.
 */
export function runFetch(store: OrgStore, query: FetchQuery, readable: Row[], annotations: RegExp[], limits: FetchLimits): Row {
  const filter = query.filter ? compileFilter(query.filter, query.entity) : undefined;
  const rows = filter ? readable.filter(filter) : readable;
  const body: Row = {};
  let value: Row[];
  if (query.apply) {
    // "The per query limit can't exceed default aggregate limit" (Aggregate data using FetchXml).
    if (query.aggregateLimit !== undefined && query.aggregateLimit > limits.records)
      throw INVALID_VALUE(`aggregatelimit='${query.aggregateLimit}' exceeds the aggregate limit of ${limits.records}`);
    const records = Math.min(query.aggregateLimit ?? limits.records, limits.records);
    const grouped = aggregateRows(store, rows, query.apply, annotations, { records, groups: 5000 });
    // A group sorts as its column does (choices by label); an aggregate by its value.
    const groupColumn = new Map(query.apply.groupBy.map((group) => [group.alias ?? group.property, group.def]));
    value = sorted(grouped, query.orders, (row, order) => sortKey(store, groupColumn.get(order.alias!), row[order.alias!], query.rawOrder));
  } else {
    const ordered = query.orders.length ? query.orders : [{ column: query.entity.primaryKey, descending: false }];
    const sortedRows = sorted(rows, ordered, (row, order) =>
      sortKey(store, query.entity.columns[order.column!], row[order.column!], query.rawOrder),
    );
    const shape = { select: query.columns, expand: [], annotations };
    // "FetchXML queries sent using Web API don't return properties with null values" (Use FetchXml to retrieve data).
    value = sortedRows.map((row) => withoutNulls(shapeRow(store, query.entity, row, shape)));
    if (query.distinct) {
      const seen = new Set<string>();
      const key = (row: Row) => JSON.stringify((query.columns ?? Object.keys(query.entity.columns)).map((column) => row[column] ?? null));
      value = value.filter((_row, index) => {
        const text = key(sortedRows[index]);
        if (seen.has(text)) return false;
        seen.add(text);
        return true;
      });
    }
  }
  if (query.apply) value = value.map(withoutNulls);
  if (query.top !== undefined) value = value.slice(0, query.top);
  const count = query.count ?? 5000;
  const start = ((query.page ?? 1) - 1) * count;
  const more = value.length > start + count;
  value = value.slice(start, start + count);
  if ((query.count !== undefined || query.page !== undefined) && wantsAnnotation(annotations, "Microsoft.Dynamics.CRM.morerecords"))
    body["@Microsoft.Dynamics.CRM.morerecords"] = more;
  body.value = value;
  return body;
}

function sorted<T extends FetchOrder>(rows: Row[], orders: T[], keyOf: (row: Row, order: T) => unknown): Row[] {
  if (!orders.length) return rows;
  return [...rows].sort((a, b) => {
    for (const order of orders) {
      const result = compare(keyOf(a, order), keyOf(b, order));
      if (result !== 0) return order.descending ? -result : result;
    }
    return 0;
  });
}

/** A row without its null properties (and the annotations that would go with them). */
function withoutNulls(row: Row): Row {
  const kept = Object.entries(row).filter(([, value]) => value !== null && value !== undefined);
  const present = new Set(kept.map(([property]) => property));
  return Object.fromEntries(
    kept.filter(([property]) => !property.includes("@") || property.startsWith("@") || present.has(property.split("@")[0])),
  );
}
