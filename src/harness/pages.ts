import { SCENARIOS } from "../emulator/sampleOrg";
import { textOf, type Row } from "../emulator/store";
import { escapeHtml } from "../node/text";
import type { AppPageConfig, ChartConfig, GridConfig } from "./browser/appHost";
import { withoutFilter, type AppModel, type ChartModel, type DashboardPart, type ViewModel } from "./modelApp";

/** A column's value as HTML text. */
const escape = (value: unknown): string => escapeHtml(textOf(value));

const STYLE = `
  body { margin: 0; font-family: "Segoe UI", "Segoe UI Web (West European)", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", sans-serif; background: #faf9f8; color: #323130; }
  header { background: #0f6cbd; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
  header a { color: #fff; }
  .toolbar { background: #fff; border-bottom: 1px solid #e1dfdd; padding: 8px 16px; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; font-size: 13px; }
  .toolbar button { font: inherit; padding: 2px 8px; }
  main { padding: 16px; max-width: 960px; }
  h1 { font-size: 20px; font-weight: 600; margin: 0 0 4px; }
  .form-section { background: #fff; border-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.14); padding: 16px; }
  .field { display: grid; grid-template-columns: 160px 1fr; gap: 8px; padding: 6px 0; border-bottom: 1px solid #f3f2f1; }
  .field label { color: #605e5c; font-size: 14px; padding-top: 4px; }
  .field-value { min-width: 0; }
  @media (max-width: 600px) { .field { grid-template-columns: 1fr; } main { padding: 8px; } }
  table { border-collapse: collapse; background: #fff; width: 100%; }
  td, th { text-align: left; padding: 6px 8px; border-bottom: 1px solid #edebe9; font-size: 14px; }
  #harness-error { background: #fde7e9; padding: 8px; }
`;

function page(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${STYLE}</style>
${head}
</head>
<body>
<header><strong>Service Account Compliance</strong><span>local harness: model-driven User form on the Dataverse emulator</span><a href="/">App</a><a href="/users">All users</a></header>
${body}
</body>
</html>`;
}

const ACCESS_MODES = ["Read-Write", "Administrative", "Read", "Support User", "Non-interactive", "Delegated Admin"];

/**
 * A record as a model-driven app's `main.aspx?pagetype=entityrecord&etn=<table>&id=<id>` would open it:
 * here its columns as the emulator holds them, so the panel's usage links lead somewhere real.
 */
export function recordPage(table: string, row: Row): string {
  const fields = Object.entries(row)
    .filter(([, value]) => value !== null && typeof value !== "object")
    .map(([name, value]) => `<div class="field"><label>${escape(name)}</label><div class="field-value">${escape(value)}</div></div>`)
    .join("\n");
  return page(
    `${textOf(row.name ?? row.connectionreferencedisplayname ?? table)} - ${table}`,
    `<main><h1 data-record="${escape(table)}">${escape(row.name ?? row.connectionreferencedisplayname ?? table)}</h1><p>${escape(table)}</p><section class="form-section">${fields}</section></main>`,
  );
}

/** Every user of the emulated org, each linking to its form. */
export function userListPage(users: Row[], callerId?: string): string {
  const as = callerId ? `&as=${encodeURIComponent(callerId)}` : "";
  const rows = users
    .map(
      (user) => `<tr>
  <td><a href="/?user=${escape(user.systemuserid)}${as}">${escape(user.fullname)}</a></td>
  <td>${escape(user.domainname)}</td>
  <td>${escape(ACCESS_MODES[user.accessmode as number] ?? user.accessmode)}</td>
  <td>${escape(SCENARIOS[user.systemuserid as string] ?? "")}</td>
</tr>`,
    )
    .join("\n");
  return page(
    "Users - Service Account Compliance harness",
    `<div class="toolbar"><form method="post" action="/_harness/reset"><button type="submit">Reset the sample data</button></form></div>
<main><h1>Users</h1>
<p><a href="/views/service-accounts">Service accounts view</a> (the Power Apps grid with the compliance badge customizer) · <a href="/views/service-accounts?all=1">all users in that grid</a></p>
<table aria-label="Users"><thead><tr><th>Full name</th><th>User name</th><th>Access mode</th><th>Scenario</th></tr></thead>
<tbody>${rows}</tbody></table></main>`,
  );
}

/** The User form as the org shows it while no published form hosts the control (nothing imported, or an unpublished import). */
export function formWithoutControlPage(user: Row): string {
  const field = (label: string, value: unknown) =>
    `<div class="field"><label>${escape(label)}</label><div class="field-value">${escape(value)}</div></div>`;
  return page(
    "User - Service Account Compliance harness",
    `<main>
  <h1 id="record-title">${escape(user.fullname)}</h1>
  <p id="control-unpublished" role="status">No published User form hosts the Service Account Compliance control: import the solution and publish it.</p>
  <section class="form-section" aria-label="Summary">
    ${field("Full Name", user.fullname)}
    ${field("User Name", user.domainname)}
    ${field("Access Mode", ACCESS_MODES[user.accessmode as number] ?? user.accessmode)}
  </section>
</main>`,
  );
}

export interface FormPageOptions {
  userId: string;
  callerId?: string;
  lcid: number;
  disabled: boolean;
  inputs: Record<string, string>;
  /** The users the page can act as: [id, label]. */
  actors: [string, string][];
}

const WRITE = "PATCH|POST|DELETE";
const FAULTS: [string, object][] = [
  ["401", { method: WRITE, status: 401 }],
  ["403", { method: WRITE, status: 403, code: "0x80040220", message: "Principal user is missing prvWriteUser privilege." }],
  ["404", { method: WRITE, status: 404, code: "0x80040217", message: "systemuser With Id = (injected) Does Not Exist" }],
  ["412", { method: WRITE, status: 412 }],
  ["429 once", { method: WRITE, status: 429, retryAfter: 1 }],
  ["429 x5", { method: WRITE, status: 429, retryAfter: 1, times: 5 }],
  ["500", { method: WRITE, status: 500, message: "Internal Server Error" }],
  ["503", { method: WRITE, status: 503 }],
  ["network", { method: WRITE, network: true }],
  ["slow (2 s)", { latencyMs: 2000, times: 3 }],
];

/** The simplified User form hosting the real control bundle. */
export function formPage(options: FormPageOptions): string {
  const config = JSON.stringify({
    userId: options.userId,
    callerId: options.callerId,
    lcid: options.lcid,
    disabled: options.disabled,
    inputs: options.inputs,
  }).replace(/</g, "\\u003c");
  const link = (changes: Record<string, string | undefined>) => {
    const query = new URLSearchParams({
      user: options.userId,
      ...(options.callerId ? { as: options.callerId } : {}),
      lcid: String(options.lcid),
    });
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) query.delete(name);
      else query.set(name, value);
    }
    return `/?${query.toString()}`;
  };
  const actors = options.actors
    .map(([id, label]) =>
      id === (options.callerId ?? options.actors[0][0])
        ? `<strong>${escape(label)}</strong>`
        : `<a href="${escape(link({ as: id }))}">${escape(label)}</a>`,
    )
    .join(" | ");
  const faults = FAULTS.map(
    ([label, fault]) => `<button type="button" data-fault="${escape(JSON.stringify(fault))}">${escape(label)}</button>`,
  ).join("");
  return page(
    "User - Service Account Compliance harness",
    `<div class="toolbar" role="toolbar" aria-label="Harness">
  <span>Act as: ${actors}</span>
  <span>Language: <a href="${escape(link({ lcid: "1033" }))}">English</a> | <a href="${escape(link({ lcid: "1036" }))}">Français</a></span>
  <span>Field: <a href="${escape(link({ disabled: options.disabled ? undefined : "1" }))}">${options.disabled ? "make editable" : "make read-only"}</a></span>
</div>
<div class="toolbar" aria-label="Faults">
  <span>Fail the next change with:</span>${faults}<button type="button" id="clear-faults">clear</button><span id="fault-status" role="status"></span>
</div>
<main>
  <div id="harness-error" role="alert" hidden></div>
  <h1 id="record-title">User</h1>
  <div>User <span id="dirty" hidden>(unsaved changes)</span></div>
  <section class="form-section" aria-label="Summary"><div id="form"></div></section>
</main>
<script>window.__HARNESS__ = ${config};</script>
<script src="/harness/host.js"></script>`,
    `<script>window.FabricConfig = { fontBaseUrl: "" };</script>
<script src="/platform/react.js"></script>
<script src="/platform/react-dom.js"></script>
<script>window.Reactv16 = window.React;</script>
<script src="/platform/fluent.js"></script>`,
  );
}

const PLATFORM_SCRIPTS = `<script>window.FabricConfig = { fontBaseUrl: "" };</script>
<script src="/platform/react.js"></script>
<script src="/platform/react-dom.js"></script>
<script>window.Reactv16 = window.React;</script>
<script src="/platform/fluent.js"></script>`;

const APP_STYLE = `
  .app { display: grid; grid-template-columns: 220px 1fr; min-height: calc(100vh - 40px); }
  .app nav { background: #f3f2f1; border-right: 1px solid #e1dfdd; padding: 8px 0; }
  .app nav h2 { font-size: 12px; text-transform: uppercase; color: #605e5c; margin: 8px 16px; }
  .app nav ul { list-style: none; margin: 0; padding: 0; }
  .app nav a { display: block; padding: 8px 16px; color: #323130; text-decoration: none; }
  .app nav a[aria-current="page"] { background: #fff; border-left: 3px solid #0f6cbd; font-weight: 600; }
  .app main { max-width: none; }
  .app-title { display: flex; gap: 8px; align-items: center; }
  .app-title img { width: 24px; height: 24px; }
  .view-area { display: grid; grid-template-columns: 1fr 280px; gap: 16px; align-items: start; }
  .chart { background: #fff; border-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.14); padding: 12px; margin: 0; }
  .chart figcaption { font-weight: 600; margin-bottom: 8px; }
  .chart-body { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
  .chart-legend { list-style: none; margin: 0; padding: 0; font-size: 14px; }
  .chart-legend li { display: flex; gap: 6px; align-items: center; padding: 2px 0; }
  .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
  .dashboard { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
  .dashboard section { background: #fff; border-radius: 4px; box-shadow: 0 1px 2px rgba(0,0,0,.14); padding: 12px; overflow-x: auto; }
  .dashboard h2 { font-size: 16px; margin: 0 0 8px; }
  @media (max-width: 800px) { .app, .view-area { grid-template-columns: 1fr; } }
`;

/** The config the app's pages hand src/harness/browser/appHost.ts, as JSON safe inside a script element. */
const appScript = (config: AppPageConfig) =>
  `<script>window.__APP__ = ${JSON.stringify(config).replace(/</g, "\\u003c")};</script>
<script src="/harness/app.js"></script>`;

const gridTable = (id: string, label: string) =>
  `<table id="${escape(id)}" aria-label="${escape(label)}"><thead><tr></tr></thead><tbody></tbody></table>`;

const chartFigure = (id: string, title: string) =>
  `<figure class="chart" id="${escape(id)}" aria-label="${escape(title)}"><figcaption>${escape(title)}</figcaption><div class="chart-body"></div></figure>`;

export interface ViewPageOptions {
  lcid: number;
  all: boolean;
  view: ViewModel;
}

/** The Service accounts view: a grid whose cells the real customizer bundle renders (src/harness/browser/appHost.ts). */
export function viewPage(options: ViewPageOptions): string {
  const link = (lcid: number, all: boolean) =>
    `/views/service-accounts?${new URLSearchParams({ ...(all ? { all: "1" } : {}), lcid: String(lcid) }).toString()}`;
  const view = options.all ? { ...options.view, fetchXml: withoutFilter(options.view.fetchXml) } : options.view;
  return page(
    "Service accounts - Service Account Compliance harness",
    `<div class="toolbar" role="toolbar" aria-label="Harness">
  <span>Rows: ${options.all ? `<a href="${escape(link(options.lcid, false))}">the view's (non-interactive users)</a> | <strong>every user</strong>` : `<strong>the view's (non-interactive users)</strong> | <a href="${escape(link(options.lcid, true))}">every user</a>`}</span>
  <span>Language: <a href="${escape(link(1033, options.all))}">English</a> | <a href="${escape(link(1036, options.all))}">Français</a></span>
</div>
<main>
  <div id="harness-error" role="alert" hidden></div>
  <h1>Service accounts</h1>
  <p>The Power Apps grid with <code>svcacct_ServiceAccounts.ServiceAccountGridCustomizer</code> as its customizer: <span id="row-count" data-row-count-of="view-grid">…</span> rows. Badges are what the webhook or <code>svcacct stamp</code> wrote; an empty status has not been stamped yet.</p>
  ${gridTable("view-grid", "Service accounts")}
</main>
${appScript({ lcid: options.lcid, grids: [{ elementId: "view-grid", view }], charts: [] })}`,
    PLATFORM_SCRIPTS,
  );
}

/** The app's frame: its name and icon, the site map's navigation (the current entry marked), and a page. */
function appFrame(app: AppModel, currentUrl: string, title: string, body: string, config: AppPageConfig): string {
  const current = (url: string) => {
    const wanted = new URL(url, "http://x").searchParams;
    const here = new URL(currentUrl, "http://x").searchParams;
    return ["pagetype", "etn", "viewid", "id"].every((name) => wanted.get(name) === here.get(name));
  };
  const nav = app.nav
    .map(
      (item) =>
        `<li><a href="${escape(item.url)}" data-nav="${escape(item.id)}"${current(item.url) ? ' aria-current="page"' : ""}>${escape(item.title)}</a></li>`,
    )
    .join("");
  return page(
    `${title} - ${app.name}`,
    `<div class="app">
<nav aria-label="${escape(app.name)}"><h2 class="app-title">${app.icon ? `<img src="${escape(app.icon)}" alt="">` : ""}${escape(app.name)}</h2><ul>${nav}</ul></nav>
<main>
  <div id="harness-error" role="alert" hidden></div>
  ${body}
</main>
</div>
${appScript(config)}`,
    `${PLATFORM_SCRIPTS}<style>${APP_STYLE}</style>`,
  );
}

export interface AppViewPageOptions {
  app: AppModel;
  currentUrl: string;
  lcid: number;
  view: ViewModel;
  /** The table's other views, one click away: [title, url]. */
  otherViews: [string, string][];
  chart?: ChartModel;
  recordUrl: string;
}

/** A view of the app: the grid with the customizer, the view picker, and the table's chart beside it. */
export function appViewPage(options: AppViewPageOptions): string {
  const picker = options.otherViews.length
    ? `<p>Other views: ${options.otherViews.map(([title, url]) => `<a href="${escape(url)}">${escape(title)}</a>`).join(" · ")}</p>`
    : "";
  const body = `<h1>${escape(options.view.name)}</h1>
  ${picker}
  <p><span data-row-count-of="view-grid">…</span> rows.</p>
  <div class="view-area">
    <div>${gridTable("view-grid", options.view.name)}</div>
    ${options.chart ? chartFigure("view-chart", options.chart.name) : ""}
  </div>`;
  return appFrame(options.app, options.currentUrl, options.view.name, body, {
    lcid: options.lcid,
    grids: [{ elementId: "view-grid", view: options.view, recordUrl: options.recordUrl }],
    charts: options.chart ? [{ elementId: "view-chart", chart: options.chart }] : [],
  });
}

export interface DashboardPageOptions {
  app: AppModel;
  currentUrl: string;
  lcid: number;
  name: string;
  parts: DashboardPart[];
  recordUrl: string;
}

/** A dashboard of the app: each part a chart or a list, in the dashboard's own order. */
export function dashboardPage(options: DashboardPageOptions): string {
  const grids: GridConfig[] = [];
  const charts: ChartConfig[] = [];
  const sections = options.parts.map((part, index) => {
    if (part.kind === "chart") {
      charts.push({ elementId: `part-${index}`, chart: part.chart });
      return `<section aria-label="${escape(part.title)}">${chartFigure(`part-${index}`, part.title)}</section>`;
    }
    grids.push({ elementId: `part-${index}`, view: part.view, recordUrl: options.recordUrl });
    return `<section aria-labelledby="part-${index}-title"><h2 id="part-${index}-title">${escape(part.title)}</h2>${gridTable(`part-${index}`, part.title)}</section>`;
  });
  return appFrame(
    options.app,
    options.currentUrl,
    options.name,
    `<h1>${escape(options.name)}</h1><div class="dashboard">${sections.join("")}</div>`,
    {
      lcid: options.lcid,
      grids,
      charts,
    },
  );
}

/** An address the app does not have (a removed view, an unpublished dashboard). */
export function appNotFoundPage(app: AppModel, currentUrl: string, what: string): string {
  return appFrame(app, currentUrl, "Not found", `<h1>Not found</h1><p role="status">${escape(what)}</p>`, {
    lcid: 1033,
    grids: [],
    charts: [],
  });
}
