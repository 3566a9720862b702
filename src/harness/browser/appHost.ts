/**
 * The model-driven app's pages in the harness: views as the Power Apps grid shows them with the
 * customizer set, and charts drawn from their own definitions. Loads the real
 * `out/controls/ServiceAccountGridCustomizer` bundle, initializes it with an EventName and a factory
 * whose fireEvent receives the customizer (as the grid's does), and renders each cell through
 * `cellRendererOverrides[dataType](props, params)`, falling back to the formatted value, the grid's
 * own rendering, when the override returns nothing. Every row and every chart figure comes from the
 * view's or chart's FetchXML, run by the emulator's Web API (`?fetchXml=`).
 */
import { createMockContext, property } from "./mockContext";
import { loadResx, loadScript } from "./pageResources";
import type { GridCustomizer, ColumnDefinition, GetRendererParams } from "../../ui/gridCustomizer";
import type { ChartModel, ViewModel } from "../modelApp";

export interface GridConfig {
  elementId: string;
  view: ViewModel;
  /** The record page of a row (`{id}` is replaced), linked from the view's first column. */
  recordUrl?: string;
}

export interface ChartConfig {
  elementId: string;
  chart: ChartModel;
}

export interface AppPageConfig {
  lcid: number;
  grids: GridConfig[];
  charts: ChartConfig[];
}

interface AppWindow {
  __APP__: AppPageConfig;
  __harnessReady?: boolean;
  ReactDOM: { render: (element: unknown, container: Element) => void };
  ComponentFramework: { registerControl: (name: string, ctor: new () => CustomizerControl) => void };
}

interface CustomizerControl {
  init(context: unknown): void;
}

type Renderer = GridCustomizer["cellRendererOverrides"]["OptionSet"];

const page = window as unknown as AppWindow;
const config = page.__APP__;
const EVENT_NAME = "svcacct-harness-grid-customizer";
const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

/** Rows of a FetchXML query through the Web API, with formatted values. */
async function runFetch(entitySet: string, fetchXml: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`/api/data/v9.2/${entitySet}?fetchXml=${encodeURIComponent(fetchXml)}`, {
    headers: {
      Accept: "application/json",
      "OData-MaxVersion": "4.0",
      "OData-Version": "4.0",
      Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    throw new Error(`The query could not run: ${response.status} ${body.error?.message ?? ""}`.trim());
  }
  return ((await response.json()) as { value: Record<string, unknown>[] }).value;
}

/** The customizer's renderers, as the grid receives them on its EventName. */
async function loadCustomizer(lcid: number): Promise<Record<string, Renderer>> {
  const strings = await loadResx(`/customizer/strings/ServiceAccountGridCustomizer.${lcid}.resx`);
  let customizer: GridCustomizer | null = null;
  let Customizer: (new () => CustomizerControl) | null = null;
  page.ComponentFramework = {
    registerControl: (name, ctor) => void (name === "ServiceAccounts.ServiceAccountGridCustomizer" && (Customizer = ctor)),
  };
  await loadScript("/customizer/bundle.js");
  if (!Customizer) throw new Error("The bundle did not register ServiceAccounts.ServiceAccountGridCustomizer.");
  const locale = lcid === 1036 ? "fr-FR" : "en-US";
  new (Customizer as new () => CustomizerControl)().init(
    createMockContext({
      parameters: { EventName: property(EVENT_NAME, "SingleLine.Text") },
      strings: (key) => strings.get(key),
      languageId: lcid,
      formatDateShort: (date) => date.toLocaleDateString(locale),
      fireEvent: (name, payload) => {
        if (name === EVENT_NAME) customizer = payload as GridCustomizer;
      },
    }),
  );
  if (!customizer) throw new Error("The customizer did not hand the grid its renderers on EventName.");
  return (customizer as GridCustomizer).cellRendererOverrides as Record<string, Renderer>;
}

const textOf = (value: unknown) =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "";

async function renderGrid(grid: GridConfig, overrides: Record<string, Renderer>): Promise<void> {
  const table = document.getElementById(grid.elementId)!;
  const columns: ColumnDefinition[] = grid.view.columns.map((column) => ({ name: column.property, dataType: column.dataType }));
  const rows = await runFetch(grid.view.entitySet, grid.view.fetchXml);
  const head = table.querySelector("thead tr")!;
  for (const column of grid.view.columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.dataset.column = column.property;
    th.textContent = column.header;
    head.appendChild(th);
  }
  const body = table.querySelector("tbody")!;
  for (const row of rows) {
    const id = textOf(row.systemuserid);
    const tr = document.createElement("tr");
    tr.dataset.user = id;
    const rowData = { __rec_id: id, ...row };
    columns.forEach((column, columnIndex) => {
      const td = document.createElement("td");
      td.dataset.column = column.name;
      const value = row[column.name];
      const formattedValue = textOf(row[`${column.name}${FORMATTED}`] ?? value);
      const params: GetRendererParams = { colDefs: columns, columnIndex, rowData };
      const element = overrides[column.dataType]?.({ value, formattedValue, columnDataType: column.dataType }, params);
      if (element) {
        td.dataset.renderedBy = "customizer";
        page.ReactDOM.render(element, td);
      } else if (columnIndex === 0 && grid.recordUrl) {
        // The grid's "jump" column opens the record.
        td.dataset.renderedBy = "grid";
        const link = document.createElement("a");
        link.href = grid.recordUrl.replace("{id}", encodeURIComponent(id));
        link.textContent = formattedValue;
        td.appendChild(link);
      } else {
        td.dataset.renderedBy = "grid";
        td.textContent = formattedValue;
      }
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  table.dataset.rows = String(rows.length);
  const count = document.querySelector(`[data-row-count-of="${grid.elementId}"]`);
  if (count) count.textContent = String(rows.length);
}

const SVG = "http://www.w3.org/2000/svg";

function svgElement(name: string, attributes: Record<string, string>): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

/**
 * A chart as its presentation description asks (a doughnut or pie: slices in category order, each
 * in its PaletteCustomColors colour; any other type as bars), with its figures in a list beside it,
 * so they are read in words and not only seen.
 */
async function renderChart(config: ChartConfig): Promise<void> {
  const { chart } = config;
  const figure = document.getElementById(config.elementId)!;
  const rows = await runFetch(chart.entitySet, chart.fetchXml);
  const points = rows.map((row, index) => ({
    value: row[chart.groupAlias],
    label: textOf(row[`${chart.groupAlias}${FORMATTED}`] ?? row[chart.groupAlias]) || "(blank)",
    count: Number(row[chart.measureAlias] ?? 0),
    color: chart.colors[index % Math.max(chart.colors.length, 1)] ?? "#605e5c",
  }));
  const total = points.reduce((sum, point) => sum + point.count, 0);
  const drawing = svgElement("svg", { viewBox: "0 0 120 120", width: "160", height: "160", "aria-hidden": "true" });
  if (/^(Doughnut|Pie)$/.test(chart.chartType)) {
    const radius = 50;
    const circumference = 2 * Math.PI * radius;
    let offset = 0;
    for (const point of points) {
      const length = total ? (point.count / total) * circumference : 0;
      drawing.appendChild(
        svgElement("circle", {
          cx: "60",
          cy: "60",
          r: String(radius),
          fill: "none",
          stroke: point.color,
          "stroke-width": chart.chartType === "Pie" ? "100" : "20",
          "stroke-dasharray": `${length} ${circumference - length}`,
          "stroke-dashoffset": String(-offset),
          transform: "rotate(-90 60 60)",
        }),
      );
      offset += length;
    }
  } else {
    const max = Math.max(1, ...points.map((point) => point.count));
    points.forEach((point, index) => {
      const height = (point.count / max) * 100;
      const width = 100 / Math.max(points.length, 1);
      drawing.appendChild(
        svgElement("rect", {
          x: String(10 + index * width),
          y: String(110 - height),
          width: String(width * 0.8),
          height: String(height),
          fill: point.color,
        }),
      );
    });
  }
  const list = document.createElement("ul");
  list.className = "chart-legend";
  for (const point of points) {
    const item = document.createElement("li");
    item.dataset.category = textOf(point.value);
    item.dataset.count = String(point.count);
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = point.color;
    item.append(swatch, `${point.label}: ${point.count}`);
    list.appendChild(item);
  }
  figure.querySelector(".chart-body")!.append(drawing, list);
  figure.dataset.total = String(total);
}

async function main(): Promise<void> {
  const overrides = config.grids.length ? await loadCustomizer(config.lcid) : {};
  await Promise.all([...config.grids.map((grid) => renderGrid(grid, overrides)), ...config.charts.map(renderChart)]);
  page.__harnessReady = true;
}

main().catch((error: unknown) => {
  const box = document.getElementById("harness-error")!;
  box.hidden = false;
  box.textContent = error instanceof Error ? error.message : String(error);
});
