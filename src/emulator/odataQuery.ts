import {
  collectionTarget,
  columnOfProperty,
  entityByLogicalName,
  lookupTargets,
  propertyName,
  type ColumnDef,
  type EntityDef,
} from "./metadata";
import { compileFilter, ODataQueryError } from "./odataFilter";
import { textOf, type OrgStore, type Row } from "./store";

export { ODataQueryError };

export const FORMATTED = "OData.Community.Display.V1.FormattedValue";
export const LOOKUP_TABLE = "Microsoft.Dynamics.CRM.lookuplogicalname";
const NAVIGATION = "Microsoft.Dynamics.CRM.associatednavigationproperty";

/** Whether the Prefer header's odata.include-annotations asks for this annotation. */
export const wantsAnnotation = (annotations: RegExp[], annotation: string) => annotations.some((pattern) => pattern.test(annotation));

/** The row a lookup value points to and its table, trying each table a polymorphic lookup may point to. */
export function lookupRow(store: OrgStore, def: ColumnDef, id: string): { table: EntityDef; row: Row } | undefined {
  for (const logicalName of lookupTargets(def)) {
    const table = entityByLogicalName(logicalName);
    const row = table ? store.get(logicalName, id) : undefined;
    if (table && row) return { table, row };
  }
  return undefined;
}

/** The Prefer header's parts ("Compose HTTP requests": return=representation, maxpagesize, annotations). */
export interface Preferences {
  maxPageSize?: number;
  annotations: RegExp[];
  returnRepresentation: boolean;
}

export function parsePrefer(header: string | string[] | undefined): Preferences {
  const parts = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((part) => part.trim());
  const preferences: Preferences = { annotations: [], returnRepresentation: false };
  for (const part of parts) {
    const [name, rawValue = ""] = part.split("=").map((piece) => piece.trim());
    const value = rawValue.replace(/^"|"$/g, "");
    if (name === "odata.maxpagesize" && /^\d+$/.test(value)) preferences.maxPageSize = Number(value);
    if (name === "return" && value === "representation") preferences.returnRepresentation = true;
    if (name === "odata.include-annotations") {
      preferences.annotations = value
        .split(",")
        .filter(Boolean)
        .map((pattern) => new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`));
    }
  }
  return preferences;
}

export interface ShapeOptions {
  /** Columns to return; undefined means all. */
  select?: string[];
  expand: ExpandOption[];
  annotations: RegExp[];
  /** The URL of a row's expanded collection (`options` as written inside the expand's parentheses). */
  collectionLink?: (row: Row, navigation: string, options: string) => string;
}

/** At most this many rows of an expanded collection come back per row ("Join tables using OData"). */
export const EXPANDED_COLLECTION_LIMIT = 5000;

export interface ExpandOption {
  navigation: string;
  /** The table the navigation leads to. */
  target: EntityDef;
  select?: string[];
  filter?: (row: Row) => boolean;
  /** The options inside the parentheses, as sent. */
  options: string;
}

export function parseSelect(entity: EntityDef, select: string | undefined): string[] | undefined {
  if (!select) return undefined;
  return select.split(",").map((property) => {
    const column = columnOfProperty(entity, property.trim());
    if (!column)
      throw new ODataQueryError(
        `Could not find a property named '${property.trim()}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`,
      );
    return column.column;
  });
}

/** Splits on a separator at parenthesis depth 0. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === separator && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  if (current) parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** "You can include up to 15 $expand options in a query" (Join tables using OData). */
export const MAX_EXPANDS = 15;

export function parseExpand(entity: EntityDef, expand: string | undefined): ExpandOption[] {
  if (!expand) return [];
  const items = splitTopLevel(expand, ",");
  if (items.length > MAX_EXPANDS) throw new ODataQueryError(`A query can include at most ${MAX_EXPANDS} $expand options.`);
  return items.map((item) => {
    const match = /^([A-Za-z_]+)(?:\((.*)\))?$/.exec(item);
    if (!match) throw new ODataQueryError(`Malformed $expand '${item}'.`);
    const [, navigation, inner = ""] = match;
    const target = navigationTarget(entity, navigation);
    const options: ExpandOption = { navigation, target, options: inner };
    for (const option of splitTopLevel(inner, ";")) {
      const [name, ...rest] = option.split("=");
      const value = rest.join("=");
      if (name === "$select") options.select = parseSelect(target, value);
      else if (name === "$filter") options.filter = compileFilter(value, target);
      else if (name === "$expand" && collectionTarget(entity, navigation))
        // The documented refusal of a nested expansion under an N:N relationship (Join tables using OData).
        throw new ODataQueryError("Only many-to-one relationships are supported for nested expansion.");
      else throw new ODataQueryError(`The query option '${name}' is not supported inside $expand here.`);
    }
    return options;
  });
}

function navigationTarget(entity: EntityDef, navigation: string): EntityDef {
  const collection = collectionTarget(entity, navigation);
  if (collection) return collection;
  const lookup = entity.columns[navigation];
  const target = lookup?.type === "lookup" && lookup.target ? entityByLogicalName(lookup.target) : undefined;
  if (!target)
    throw new ODataQueryError(`Could not find a property named '${navigation}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`);
  return target;
}

/** A stored row as the Web API returns it: selected properties, `@odata.etag`, annotations asked for, expansions. */
export function shapeRow(store: OrgStore, entity: EntityDef, row: Row, options: ShapeOptions): Row {
  const wants = (annotation: string) => wantsAnnotation(options.annotations, annotation);
  // A table without a row version (audit) answers without @odata.etag.
  const out: Row = entity.columns.versionnumber ? { "@odata.etag": `W/"${textOf(row.versionnumber)}"` } : {};
  const columns = options.select ? [...new Set([...options.select, entity.primaryKey])] : Object.keys(entity.columns);
  for (const column of columns) {
    const def = entity.columns[column];
    const property = propertyName(column, def);
    const value = def.writeOnly ? null : (row[column] ?? null);
    out[property] = value;
    if (value === null) continue;
    if (def.type === "choice" && wants(FORMATTED)) out[`${property}@${FORMATTED}`] = def.options?.[value as number] ?? textOf(value);
    if (def.type === "bool" && wants(FORMATTED)) out[`${property}@${FORMATTED}`] = def.labels?.[value ? 1 : 0];
    if (def.type === "lookup" && def.target) {
      const related = lookupRow(store, def, value as string);
      if (wants(FORMATTED) && related && !def.omitFormattedValue) out[`${property}@${FORMATTED}`] = related.row[related.table.primaryName];
      if (wants(LOOKUP_TABLE)) out[`${property}@${LOOKUP_TABLE}`] = related?.table.logicalName ?? def.target;
      if (wants(NAVIGATION) && !def.omitNavigation) out[`${property}@${NAVIGATION}`] = column;
    }
  }
  for (const expansion of options.expand) {
    const target = navigationTarget(entity, expansion.navigation);
    const nested: ShapeOptions = { select: expansion.select, expand: [], annotations: options.annotations };
    if (collectionTarget(entity, expansion.navigation)) {
      const related = store
        .related(entity.logicalName, row[entity.primaryKey] as string, expansion.navigation)
        .filter((item) => !expansion.filter || expansion.filter(item));
      out[expansion.navigation] = related.slice(0, EXPANDED_COLLECTION_LIMIT).map((item) => shapeRow(store, target, item, nested));
      if (options.collectionLink)
        out[`${expansion.navigation}@odata.nextLink`] = options.collectionLink(row, expansion.navigation, expansion.options);
    } else {
      const related = row[expansion.navigation] ? store.get(target.logicalName, row[expansion.navigation] as string) : undefined;
      out[expansion.navigation] = related ? shapeRow(store, target, related, nested) : null;
    }
  }
  return out;
}
