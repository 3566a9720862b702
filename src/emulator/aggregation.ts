import { badRequest, DataverseFault } from "./dataverseErrors";
import { columnOfProperty, propertyName, type ColumnDef, type EntityDef } from "./metadata";
import { FORMATTED, LOOKUP_TABLE, lookupRow, ODataQueryError, wantsAnnotation } from "./odataQuery";
import { dateTimeText, textOf, type OrgStore, type Row } from "./store";

/**
 * `$apply` as "Aggregate data using OData" documents it for Dataverse: an optional `filter(…)` then
 * `groupby((col,…))`, `groupby((col,…),aggregate(…))` or `aggregate(…)`, where an aggregate is
 * `$count as alias` or `col with sum|min|max|average as alias`. The answer is `{value: [...]}`, one
 * object per group with the group columns and the aliases, no `@odata.etag`; a group column whose
 * value is null is left out of its object ("Distinct column values"). Anything else in `$apply` is
 * refused with 400 naming this file: Dataverse "supports only a subset" of the OData extension and the
 * emulator never guesses which.
 */

/** "The aggregate functions are limited to a collection of 50,000 records." */
export const AGGREGATE_QUERY_RECORD_LIMIT = 50_000;

const HERE = "src/emulator/aggregation.ts";

export interface GroupColumn {
  property: string;
  column: string;
  def: ColumnDef;
  /** FetchXml's alias: the group's value comes back under it instead of the property name. */
  alias?: string;
}

/** `count` counts rows; `countcolumn` (FetchXml) the rows with a value in the column, distinct ones when `distinct`. */
type Method = "count" | "countcolumn" | "sum" | "min" | "max" | "average";

export interface Aggregate {
  alias: string;
  method: Method;
  column?: string;
  def?: ColumnDef;
  distinct?: boolean;
}

export interface ApplyPlan {
  /** The `filter(…)` transformation's expression, as written. */
  filter?: string;
  groupBy: GroupColumn[];
  aggregates: Aggregate[];
}

/** A request outside the documented subset: 400, so it cannot pass a test silently. */
export function unsupportedApply(what: string): DataverseFault {
  return badRequest(
    `The emulator does not implement ${what} (${HERE}): it answers $apply=filter(…)/groupby((…),aggregate(…)) and aggregate(…) alone, as "Aggregate data using OData" shows them.`,
  );
}

/** AggregateQueryRecordLimit (-2147164125, 8004E023), "Aggregate data using OData" and "Aggregate data using FetchXml". */
export function aggregateLimitExceeded(): DataverseFault {
  // The status is not documented; a PowerPlatform client reports it with 400.
  return new DataverseFault(400, "0x8004e023", "AggregateQueryRecordLimit exceeded. Cannot perform this operation.");
}

/** Splits on a separator at parenthesis depth 0, outside quoted strings. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    if (!quoted && char === "(") depth++;
    if (!quoted && char === ")") depth--;
    if (!quoted && depth === 0 && char === separator) {
      parts.push(current.trim());
      current = "";
    } else current += char;
  }
  parts.push(current.trim());
  return parts;
}

/** `name(inner)` → [name, inner], or undefined. */
function call(text: string): [string, string] | undefined {
  const match = /^([A-Za-z$]+)\((.*)\)$/s.exec(text.trim());
  return match ? [match[1], match[2]] : undefined;
}

function columnOf(entity: EntityDef, property: string): { column: string; def: ColumnDef } {
  if (property.includes("/")) throw unsupportedApply(`a related table's column ('${property}')`);
  const found = columnOfProperty(entity, property);
  if (!found)
    throw new ODataQueryError(`Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`);
  return found;
}

function parseAggregates(entity: EntityDef, text: string): Aggregate[] {
  return splitTopLevel(text, ",").map((expression) => {
    const count = /^\$count\s+as\s+([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression);
    if (count) return { alias: count[1], method: "count" as const };
    const withMethod = /^(\S+)\s+with\s+([A-Za-z]+)\s+as\s+([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression);
    if (!withMethod) throw unsupportedApply(`the aggregate expression '${expression}'`);
    const [, property, method, alias] = withMethod;
    if (method === "countdistinct")
      // "OData aggregation limitations": a distinct count is FetchXml only.
      throw unsupportedApply(`'countdistinct', which "Aggregate data using OData" lists as unavailable through OData`);
    if (!["sum", "min", "max", "average"].includes(method)) throw unsupportedApply(`the aggregate method '${method}'`);
    const { column, def } = columnOf(entity, property);
    const numeric = def.type === "int";
    if ((method === "sum" || method === "average") && !numeric)
      throw unsupportedApply(`'${method}' of the non-numeric column '${property}'`);
    if (!numeric && def.type !== "datetime" && def.type !== "string")
      throw unsupportedApply(`'${method}' of the ${def.type} column '${property}'`);
    return { alias, method: method as Method, column, def };
  });
}

/** Parses `$apply`, or throws: ODataQueryError for a malformed expression, a 400 DataverseFault for what the emulator does not implement. */
export function parseApply(entity: EntityDef, apply: string): ApplyPlan {
  const plan: ApplyPlan = { groupBy: [], aggregates: [] };
  const steps = splitTopLevel(apply, "/");
  let terminal = false;
  steps.forEach((step, index) => {
    const parsed = call(step);
    if (!parsed) throw unsupportedApply(`the transformation '${step}'`);
    const [name, inner] = parsed;
    if (terminal) throw unsupportedApply(`a transformation after groupby or aggregate ('${step}')`);
    if (name === "filter") {
      if (index !== 0) throw unsupportedApply(`a second filter(…) ('${step}')`);
      plan.filter = inner;
      return;
    }
    terminal = true;
    if (name === "aggregate") {
      plan.aggregates = parseAggregates(entity, inner);
      return;
    }
    if (name !== "groupby") throw unsupportedApply(`the '${name}' transformation`);
    const [columns, ...rest] = splitTopLevel(inner, ",");
    const list = /^\((.*)\)$/s.exec(columns)?.[1];
    if (list === undefined) throw new ODataQueryError(`groupby expects a parenthesized list of properties, found '${columns}'.`);
    plan.groupBy = splitTopLevel(list, ",").map((property) => {
      const { column, def } = columnOf(entity, property);
      // "groupby with datetime values is not supported" (Aggregate data using OData).
      if (def.type === "datetime") throw badRequest(`groupby with datetime values is not supported ('${property}').`);
      return { property, column, def };
    });
    if (rest.length > 1) throw unsupportedApply(`more than one transformation inside groupby ('${rest.join(",")}')`);
    if (rest.length === 1) {
      const aggregate = call(rest[0]);
      if (aggregate?.[0] !== "aggregate") throw unsupportedApply(`'${rest[0]}' inside groupby`);
      plan.aggregates = parseAggregates(entity, aggregate[1]);
    }
  });
  if (!terminal) throw unsupportedApply("$apply without groupby or aggregate");
  const aliases = plan.aggregates.map((aggregate) => aggregate.alias);
  if (new Set(aliases).size !== aliases.length) throw new ODataQueryError("Each aggregate needs its own alias.");
  return plan;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1; // nulls first, as FetchXml's grouped example lists them
  if (b === null || b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return textOf(a).localeCompare(textOf(b));
}

/** Formatted as Dataverse formats for an English user (the emulator keeps no user time zone: UTC). */
function formatted(value: unknown, def: ColumnDef | undefined): string {
  if (typeof value === "number") return value.toLocaleString("en-US");
  if (def?.type === "datetime") {
    const date = new Date(textOf(value));
    const hours = date.getUTCHours();
    const minutes = String(date.getUTCMinutes()).padStart(2, "0");
    return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${hours % 12 || 12}:${minutes} ${hours < 12 ? "AM" : "PM"}`;
  }
  return textOf(value);
}

function aggregateOf(rows: Row[], aggregate: Aggregate): unknown {
  if (aggregate.method === "count") return rows.length;
  // "Null values aren't considered when calculating aggregate values" (Aggregate data using FetchXml).
  const values = rows.map((row) => row[aggregate.column!]).filter((value) => value !== null && value !== undefined);
  if (aggregate.method === "countcolumn")
    return aggregate.distinct
      ? new Set(values.map((value) => (typeof value === "string" ? value.toLowerCase() : value))).size
      : values.length;
  if (values.length === 0) return null;
  if (aggregate.method === "sum" || aggregate.method === "average") {
    const sum = values.reduce((total: number, value) => total + Number(value), 0);
    return aggregate.method === "sum" ? sum : sum / values.length;
  }
  const sorted = [...values].sort(compare);
  const chosen = aggregate.method === "min" ? sorted[0] : sorted[sorted.length - 1];
  return aggregate.def?.type === "datetime" ? dateTimeText(textOf(chosen)) : chosen;
}

/**
 * The groups of the rows a caller may read (already filtered). More rows than the limit are refused
 * (AggregateQueryRecordLimit); more groups than `maxGroups` too, as Dataverse documents no paging of
 * aggregated answers and the emulator will not pretend to know it.
 */
export function aggregateRows(
  store: OrgStore,
  rows: Row[],
  plan: ApplyPlan,
  annotations: RegExp[],
  limits: { records: number; groups: number },
): Row[] {
  if (rows.length > limits.records) throw aggregateLimitExceeded();
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = JSON.stringify(
      plan.groupBy.map(({ column }) => (typeof row[column] === "string" ? textOf(row[column]).toLowerCase() : (row[column] ?? null))),
    );
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  // aggregate(…) alone answers one row, even over no rows ($count 0).
  if (plan.groupBy.length === 0 && groups.size === 0) groups.set("[]", []);
  if (groups.size > limits.groups)
    throw unsupportedApply(
      `an aggregated answer of ${groups.size} groups, more than the page of ${limits.groups}: Dataverse documents no paging of $apply answers`,
    );
  const wants = (annotation: string) => wantsAnnotation(annotations, annotation);
  const ordered = [...groups.values()].sort((a, b) => {
    for (const { column } of plan.groupBy) {
      const order = compare(a[0][column], b[0][column]);
      if (order !== 0) return order;
    }
    return 0;
  });
  return ordered.map((members) => {
    const out: Row = {};
    for (const { column, def, alias } of plan.groupBy) {
      const value = members[0][column];
      if (value === null || value === undefined) continue; // left out, as "Distinct column values" shows
      const property = alias ?? propertyName(column, def);
      if (def.type === "choice" && wants(FORMATTED)) out[`${property}@${FORMATTED}`] = def.options?.[value as number] ?? textOf(value);
      if (def.type === "bool" && wants(FORMATTED)) out[`${property}@${FORMATTED}`] = def.labels?.[value ? 1 : 0];
      if (def.type === "lookup") {
        const related = lookupRow(store, def, textOf(value));
        if (wants(FORMATTED) && related && !def.omitFormattedValue)
          out[`${property}@${FORMATTED}`] = related.row[related.table.primaryName];
        if (wants(LOOKUP_TABLE)) out[`${property}@${LOOKUP_TABLE}`] = related?.table.logicalName ?? def.target;
      }
      out[property] = value;
    }
    for (const aggregate of plan.aggregates) {
      const value = aggregateOf(members, aggregate);
      if (value !== null && wants(FORMATTED)) out[`${aggregate.alias}@${FORMATTED}`] = formatted(value, aggregate.def);
      out[aggregate.alias] = value;
    }
    return out;
  });
}
