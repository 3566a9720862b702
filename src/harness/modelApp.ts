/**
 * The published model-driven app as the harness shows it, read from the emulated org's published rows
 * only (an unmanaged import's drafts stay invisible until published, as in Dataverse): its navigation
 * from the site map, its views from their fetchxml and layoutxml, its charts from their own data and
 * presentation descriptions, its dashboards from their FormXml. The browser runs every query through
 * the emulator's Web API (`?fetchXml=`), so the numbers on a page are what Dataverse would return.
 */
import { normalizeId } from "../core/ids";
import {
  APPMODULE,
  entityByLogicalName,
  SAVEDQUERY,
  SAVEDQUERYVISUALIZATION,
  SITEMAP,
  SYSTEMFORM,
  WEBRESOURCE,
} from "../emulator/metadata";
import { textOf, type OrgStore, type Row } from "../emulator/store";
import { childElements, descendants, element, firstChild, parseXml, serializeXml, textContent, type XmlElement } from "../solution/xml";
import { GRID_COLUMNS } from "./gridColumns";

export interface NavItem {
  id: string;
  title: string;
  url: string;
}

export interface AppModel {
  id: string;
  uniqueName: string;
  name: string;
  description: string;
  /** The icon web resource's SVG as a data: URL, or null (the platform's default icon). */
  icon: string | null;
  nav: NavItem[];
}

export interface GridColumn {
  /** The layoutxml cell: the column's logical name. */
  name: string;
  /** The property the Web API returns it under (`_<lookup>_value` for a lookup). */
  property: string;
  /** The Power Apps grid's data type, which picks the customizer's renderer. */
  dataType: string;
  header: string;
}

export interface ViewModel {
  id: string;
  name: string;
  entitySet: string;
  fetchXml: string;
  columns: GridColumn[];
}

export interface ChartModel {
  id: string;
  name: string;
  entitySet: string;
  /** The chart's aggregate fetch with the view's filter merged in, as the platform runs a chart over a view. */
  fetchXml: string;
  chartType: string;
  /** #rrggbb per category, in category order (PaletteCustomColors). */
  colors: string[];
  groupAlias: string;
  measureAlias: string;
}

export type DashboardPart = { kind: "chart"; title: string; chart: ChartModel } | { kind: "list"; title: string; view: ViewModel };

/** An id as the store keys it, from a row column or a URL parameter (braces, any case). */
const bare = (id: unknown) => normalizeId(textOf(id));
/** A table's entity set, as the emulator serves it. */
const entitySetOf = (table: string) => entityByLogicalName(table)?.setName ?? table;

/** The published app with this id, or the first published app when no id is given. */
export function findApp(store: OrgStore, appId?: string): Row | undefined {
  const apps = [...store.rows(APPMODULE.logicalName)];
  return appId ? apps.find((app) => bare(app.appmoduleid) === bare(appId)) : apps[0];
}

/** A site map SubArea's address inside the app: its Url, or the table's list when only Entity is given. */
function subAreaUrl(subArea: XmlElement, appId: string): string {
  const url = subArea.attributes.Url;
  const entity = subArea.attributes.Entity;
  const base = url ? url : `/main.aspx?pagetype=entitylist&etn=${encodeURIComponent(entity ?? "")}`;
  return `${base}${base.includes("?") ? "&" : "?"}appid=${appId}`;
}

function titleOf(node: XmlElement, lcid: number): string {
  const titles = [...descendants(node)].filter((child) => child.name === "Title");
  const title =
    titles.find((child) => child.attributes.LCID === String(lcid)) ?? titles.find((child) => child.attributes.LCID === "1033") ?? titles[0];
  return title?.attributes.Title ?? node.attributes.Id ?? "";
}

/** A FormXml cell's label in the language, English as the fallback (`<labels><label description languagecode>`). */
function labelOf(cell: XmlElement, lcid: number): string {
  const labels = childElements(firstChild(cell, "labels") ?? element("x"), "label");
  const label =
    labels.find((node) => node.attributes.languagecode === String(lcid)) ?? labels.find((node) => node.attributes.languagecode === "1033");
  return label?.attributes.description ?? "";
}

export function appModel(store: OrgStore, app: Row, lcid: number): AppModel {
  const id = bare(app.appmoduleid);
  const sitemaps = [...store.rows(SITEMAP.logicalName)];
  const sitemap = sitemaps.find((row) => textOf(row.sitemapnameunique) === textOf(app.uniquename)) ?? sitemaps[0];
  const nav: NavItem[] = [];
  if (sitemap) {
    const root = parseXml(textOf(sitemap.sitemapxml), "sitemapxml").root;
    for (const subArea of [...descendants(root)].filter((node) => node.name === "SubArea"))
      nav.push({ id: subArea.attributes.Id ?? "", title: titleOf(subArea, lcid), url: subAreaUrl(subArea, id) });
  }
  const icon = app.webresourceid ? store.get(WEBRESOURCE.logicalName, bare(app.webresourceid)) : undefined;
  return {
    id,
    uniqueName: textOf(app.uniquename),
    name: textOf(app.name),
    description: textOf(app.description),
    icon: icon?.content ? `data:image/svg+xml;base64,${textOf(icon.content)}` : null,
    nav,
  };
}

/** A published view by id, with the columns of its layoutxml in order. */
export function viewModel(store: OrgStore, viewId: string, lcid: number): ViewModel | undefined {
  const view = store.get(SAVEDQUERY.logicalName, bare(viewId));
  if (!view?.fetchxml || !view.layoutxml) return undefined;
  const table = textOf(view.returnedtypecode);
  const layout = parseXml(textOf(view.layoutxml), "layoutxml").root;
  const columns = [...descendants(layout)]
    .filter((node) => node.name === "cell")
    .map((cell): GridColumn => {
      const name = cell.attributes.name;
      const known = GRID_COLUMNS[name];
      return {
        name,
        property: known?.lookup ? `_${name}_value` : name,
        dataType: known?.dataType ?? "Text",
        header: known ? known.headers[lcid === 1036 ? 1 : 0] : name,
      };
    });
  return {
    id: bare(viewId),
    name: textOf(view.name),
    entitySet: entitySetOf(table),
    fetchXml: textOf(view.fetchxml),
    columns,
  };
}

/** The view's fetch without its filter: every row of the table in the same columns ("every user" on the harness's view page). */
export function withoutFilter(fetchXml: string): string {
  const root = parseXml(fetchXml, "fetchxml").root;
  const entity = firstChild(root, "entity");
  if (entity) entity.children = entity.children.filter((child) => typeof child === "string" || child.name !== "filter");
  return serializeXml({ declaration: null, root }).trim();
}

/**
 * A chart over a view: the chart's aggregate fetch with the view's filters appended to its entity
 * ("a chart displays the records of the view it is shown with"; the view supplies the filter, the
 * chart the grouping and aggregate).
 */
export function chartModel(store: OrgStore, chartId: string, view: ViewModel | undefined): ChartModel | undefined {
  const chart = store.get(SAVEDQUERYVISUALIZATION.logicalName, bare(chartId));
  if (!chart) return undefined;
  const data = parseXml(textOf(chart.datadescription), "datadescription").root;
  const fetch = [...descendants(data)].find((node) => node.name === "fetch");
  const entity = fetch && firstChild(fetch, "entity");
  if (!fetch || !entity) return undefined;
  if (view) {
    const viewEntity = firstChild(parseXml(view.fetchXml, "fetchxml").root, "entity");
    for (const filter of viewEntity ? childElements(viewEntity, "filter") : []) entity.children.push(filter);
  }
  const attributes = childElements(entity, "attribute");
  const presentation = parseXml(textOf(chart.presentationdescription), "presentationdescription").root;
  const series = [...descendants(presentation)].find((node) => node.name === "Series" && node.attributes.ChartType);
  const colors = (presentation.attributes.PaletteCustomColors ?? "")
    .split(";")
    .map((rgb) => rgb.split(",").map((part) => Number(part.trim())))
    .filter((rgb) => rgb.length === 3 && rgb.every((part) => Number.isInteger(part)))
    .map((rgb) => `#${rgb.map((part) => part.toString(16).padStart(2, "0")).join("")}`);
  const table = textOf(chart.primaryentitytypecode);
  return {
    id: bare(chartId),
    name: textOf(chart.name),
    entitySet: entitySetOf(table),
    fetchXml: serializeXml({ declaration: null, root: fetch }).trim(),
    chartType: series?.attributes.ChartType ?? "Column",
    colors,
    groupAlias: attributes.find((node) => node.attributes.groupby === "true")?.attributes.alias ?? "",
    measureAlias: attributes.find((node) => node.attributes.aggregate)?.attributes.alias ?? "",
  };
}

/** The charts of a table the org has published, for the chart pane beside its views. */
export function chartsOf(store: OrgStore, table: string): Row[] {
  return [...store.rows(SAVEDQUERYVISUALIZATION.logicalName)].filter((chart) => textOf(chart.primaryentitytypecode) === table);
}

/** A published dashboard's parts: each grid control is a chart (ChartGridMode Chart) or a list of its view. */
export function dashboardModel(store: OrgStore, formId: string, lcid: number): { name: string; parts: DashboardPart[] } | undefined {
  const form = store.get(SYSTEMFORM.logicalName, bare(formId));
  if (!form || Number(form.type) !== 0) return undefined;
  const root = parseXml(textOf(form.formxml), "formxml").root;
  const parts: DashboardPart[] = [];
  for (const cell of [...descendants(root)].filter((node) => node.name === "cell")) {
    const control = firstChild(cell, "control");
    const parameters = control && firstChild(control, "parameters");
    if (!parameters) continue;
    const parameter = (name: string) => textContent(firstChild(parameters, name) ?? element("x"));
    const view = viewModel(store, parameter("ViewId"), lcid);
    const title = labelOf(cell, lcid) || view?.name || "";
    if (parameter("ChartGridMode") === "Chart") {
      const chart = chartModel(store, parameter("VisualizationId"), view);
      if (chart) parts.push({ kind: "chart", title: title || chart.name, chart });
    } else if (view) parts.push({ kind: "list", title, view });
  }
  return { name: textOf(form.name), parts };
}
