/**
 * The Service accounts view as the Power Apps grid shows it with the customizer set: loads the real
 * `out/controls/ServiceAccountGridCustomizer` bundle, initializes it with an EventName and a factory
 * whose fireEvent receives the customizer (as the grid's does), reads the view's rows from the
 * emulator, and renders each cell through `cellRendererOverrides[dataType](props, params)`, falling
 * back to the formatted value, the grid's own rendering, when the override returns nothing.
 */
import { createMockContext, property } from "./mockContext";
import { loadResx, loadScript } from "./pageResources";
import type { GridCustomizer, ColumnDefinition, GetRendererParams } from "../../ui/gridCustomizer";

interface ViewConfig {
  lcid: number;
  /** Only the view's own rows (non-interactive, not application users), or every user. */
  all: boolean;
}

interface ViewWindow {
  __VIEW__: ViewConfig;
  __harnessReady?: boolean;
  React: { createElement: (...args: unknown[]) => unknown };
  ReactDOM: { render: (element: unknown, container: Element) => void };
  ComponentFramework: { registerControl: (name: string, ctor: new () => CustomizerControl) => void };
}

interface CustomizerControl {
  init(context: unknown): void;
}

const page = window as unknown as ViewWindow;
const config = page.__VIEW__;
const EVENT_NAME = "svcacct-harness-grid-customizer";
const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

/** The view's columns in its layoutxml order, with the data type the grid gives each. */
const COLUMNS: ColumnDefinition[] = [
  { name: "fullname", dataType: "Text" },
  { name: "domainname", dataType: "Text" },
  { name: "accessmode", dataType: "OptionSet" },
  { name: "islicensed", dataType: "TwoOptions" },
  { name: "svcacct_compliancestatus", dataType: "OptionSet" },
  { name: "svcacct_compliancesummary", dataType: "TextArea" },
  { name: "svcacct_compliancecheckedon", dataType: "DateAndTime" },
  { name: "_businessunitid_value", dataType: "Lookup" },
];
const HEADERS: Record<string, [string, string]> = {
  fullname: ["Full Name", "Nom complet"],
  domainname: ["User Name", "Nom d'utilisateur"],
  accessmode: ["Access Mode", "Mode d'accès"],
  islicensed: ["Is Licensed", "Sous licence"],
  svcacct_compliancestatus: ["Compliance status", "État de conformité"],
  svcacct_compliancesummary: ["Compliance summary", "Résumé de conformité"],
  svcacct_compliancecheckedon: ["Compliance checked on", "Conformité vérifiée le"],
  _businessunitid_value: ["Business Unit", "Division"],
};

async function loadStrings(lcid: number): Promise<Map<string, string>> {
  return loadResx(`/customizer/strings/ServiceAccountGridCustomizer.${lcid}.resx`);
}

/** The view's rows: its fetch's columns and filter, read through the Web API with formatted values. */
async function readRows(): Promise<Record<string, unknown>[]> {
  const query = new URLSearchParams({
    $select:
      "fullname,domainname,accessmode,islicensed,svcacct_compliancestatus,svcacct_compliancesummary,svcacct_compliancecheckedon,_businessunitid_value",
    $orderby: "fullname asc",
  });
  if (!config.all) query.set("$filter", "accessmode eq 4 and applicationid eq null");
  const response = await fetch(`/api/data/v9.2/systemusers?${query.toString()}`, {
    headers: {
      Accept: "application/json",
      "OData-MaxVersion": "4.0",
      "OData-Version": "4.0",
      Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    },
  });
  if (!response.ok) throw new Error(`The view's rows could not be read: ${response.status}`);
  return ((await response.json()) as { value: Record<string, unknown>[] }).value;
}

async function main(): Promise<void> {
  const strings = await loadStrings(config.lcid);
  let customizer: GridCustomizer | null = null;
  let Customizer: (new () => CustomizerControl) | null = null;
  page.ComponentFramework = {
    registerControl: (name, ctor) => void (name === "ServiceAccounts.ServiceAccountGridCustomizer" && (Customizer = ctor)),
  };
  await loadScript("/customizer/bundle.js");
  if (!Customizer) throw new Error("The bundle did not register ServiceAccounts.ServiceAccountGridCustomizer.");
  const locale = config.lcid === 1036 ? "fr-FR" : "en-US";
  new (Customizer as new () => CustomizerControl)().init(
    createMockContext({
      parameters: { EventName: property(EVENT_NAME, "SingleLine.Text") },
      strings: (key) => strings.get(key),
      languageId: config.lcid,
      formatDateShort: (date) => date.toLocaleDateString(locale),
      fireEvent: (name, payload) => {
        if (name === EVENT_NAME) customizer = payload as GridCustomizer;
      },
    }),
  );
  if (!customizer) throw new Error("The customizer did not hand the grid its renderers on EventName.");
  const overrides = (customizer as GridCustomizer).cellRendererOverrides as Record<
    string,
    GridCustomizer["cellRendererOverrides"]["OptionSet"]
  >;

  const rows = await readRows();
  const table = document.getElementById("view-grid")!;
  const english = config.lcid !== 1036;
  table.querySelector("thead tr")!.innerHTML = COLUMNS.map((column) => `<th scope="col" data-column="${column.name}"></th>`).join("");
  table.querySelectorAll("th").forEach((th, index) => (th.textContent = HEADERS[COLUMNS[index].name][english ? 0 : 1]));
  const body = table.querySelector("tbody")!;
  for (const row of rows) {
    const tr = document.createElement("tr");
    tr.dataset.user = String(row.systemuserid);
    const rowData = { __rec_id: String(row.systemuserid), ...row };
    COLUMNS.forEach((column, columnIndex) => {
      const td = document.createElement("td");
      td.dataset.column = column.name;
      const value = row[column.name];
      const formatted = row[`${column.name}${FORMATTED}`] ?? value;
      const formattedValue =
        typeof formatted === "string" || typeof formatted === "number" || typeof formatted === "boolean" ? String(formatted) : "";
      const params: GetRendererParams = { colDefs: COLUMNS, columnIndex, rowData };
      const element = overrides[column.dataType]?.({ value, formattedValue, columnDataType: column.dataType }, params);
      if (element) {
        td.dataset.renderedBy = "customizer";
        page.ReactDOM.render(element, td);
      } else {
        td.dataset.renderedBy = "grid";
        td.textContent = formattedValue;
      }
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  document.getElementById("row-count")!.textContent = `${rows.length}`;
  page.__harnessReady = true;
}

main().catch((error: unknown) => {
  const box = document.getElementById("harness-error")!;
  box.hidden = false;
  box.textContent = error instanceof Error ? error.message : String(error);
});
