import { createReadStream, existsSync } from "fs";
import { join } from "path";
import Fastify, { type FastifyInstance } from "fastify";
import { normalizeId } from "../core/ids";
import { CUSTOMCONTROL, SAVEDQUERY, SYSTEMFORM, SYSTEMUSER } from "../emulator/metadata";
import { CONTROL_NAME, sampleOrg, USERS } from "../emulator/sampleOrg";
import { textOf, type OrgStore } from "../emulator/store";
import { EMULATOR_SERVER_OPTIONS, registerEmulator, type Emulator } from "../emulator/server";
import { createTenant, registerTenant, type MountedTenant } from "../emulator/tenant";
import type { OrgData } from "../emulator/store";
import { appModel, chartModel, chartsOf, dashboardModel, findApp, viewModel } from "./modelApp";
import { appNotFoundPage, appViewPage, dashboardPage, formPage, formWithoutControlPage, recordPage, userListPage, viewPage } from "./pages";

// Two folders below the project in src/harness and in the compiled out/cli alike, so paths start at ROOT.
const ROOT = join(__dirname, "..", "..");
export const CONTROL_DIR = join(ROOT, "out", "controls", "ServiceAccountPanel");
export const CUSTOMIZER_DIR = join(ROOT, "out", "controls", "ServiceAccountGridCustomizer");
/** The harness's browser scripts and the platform libraries, built by `npm run build:harness` (scripts/build-harness.mjs). */
export const HARNESS_DIR = join(ROOT, "out", "harness");
const PLATFORM_FILES = new Set(["react.js", "react-dom.js", "fluent.js"]);

/** The solution's Service accounts view (solution/Entities/SystemUser/SavedQueries). */
const SERVICE_ACCOUNTS_VIEW = "04024341-948f-40cc-98f9-532203d15bd1";

export interface HarnessOptions {
  seed?: () => OrgData;
  /** Log requests (npm start); tests keep quiet. */
  logger?: boolean;
  /** Pause between an import's progress steps (ms); tests shorten it. */
  importStepMs?: number;
}

export interface Harness {
  app: FastifyInstance;
  emulator: Emulator;
  /** The sample tenant beside the org: its admin API at /powerplatform, its environments' orgs at /env/<name> (docs/tenant-emulator.md). */
  tenant: MountedTenant;
}

/**
 * Whether a model-driven app would show the panel: a published User form hosts the control and the
 * control exists. An unmanaged import leaves the form a draft until it is published.
 */
export function controlIsPublished(store: OrgStore): boolean {
  const hosted = [...store.rows(SYSTEMFORM)].some(
    (form) => form.objecttypecode === "systemuser" && textOf(form.formxml).includes(`name="${CONTROL_NAME}"`),
  );
  return hosted && [...store.rows(CUSTOMCONTROL)].some((control) => control.name === CONTROL_NAME);
}

/** The harness and the emulator on one origin, as a model-driven form and its org are. */
export function createHarness(options: HarnessOptions = {}): Harness {
  // Solution zips arrive base64-encoded in ImportSolution bodies.
  const app = Fastify({ ...EMULATOR_SERVER_OPTIONS, logger: options.logger ? { level: "info" } : false });
  const emulator = registerEmulator(app, {
    seed: options.seed ?? sampleOrg,
    defaultCallerId: USERS.admin,
    importStepMs: options.importStepMs,
  });
  // The tenant's Microsoft Graph is the one the root org already serves.
  const tenant = registerTenant(app, createTenant(), { graph: emulator.graph });

  if (!existsSync(join(HARNESS_DIR, "app.js")))
    throw new Error(
      `The harness is not built (${join(HARNESS_DIR, "app.js")} is missing): run npm run build, or npm test, which builds first.`,
    );

  // Only known files are served: the built control as the platform would fetch it, and the platform libraries.
  const controlFiles: Record<string, [string, string]> = {
    "bundle.js": [join(CONTROL_DIR, "bundle.js"), "application/javascript"],
    "ControlManifest.xml": [join(CONTROL_DIR, "ControlManifest.xml"), "application/xml"],
    "strings/ServiceAccountPanel.1033.resx": [join(CONTROL_DIR, "strings", "ServiceAccountPanel.1033.resx"), "application/xml"],
    "strings/ServiceAccountPanel.1036.resx": [join(CONTROL_DIR, "strings", "ServiceAccountPanel.1036.resx"), "application/xml"],
  };
  app.get<{ Params: { "*": string } }>("/control/*", (request, reply) => {
    const file = controlFiles[request.params["*"]];
    if (!file || !existsSync(file[0])) return reply.code(404).send();
    return reply.type(file[1]).header("cache-control", "no-store").send(createReadStream(file[0]));
  });
  const customizerFiles: Record<string, [string, string]> = {
    "bundle.js": [join(CUSTOMIZER_DIR, "bundle.js"), "application/javascript"],
    "strings/ServiceAccountGridCustomizer.1033.resx": [
      join(CUSTOMIZER_DIR, "strings", "ServiceAccountGridCustomizer.1033.resx"),
      "application/xml",
    ],
    "strings/ServiceAccountGridCustomizer.1036.resx": [
      join(CUSTOMIZER_DIR, "strings", "ServiceAccountGridCustomizer.1036.resx"),
      "application/xml",
    ],
  };
  app.get<{ Params: { "*": string } }>("/customizer/*", (request, reply) => {
    const file = customizerFiles[request.params["*"]];
    if (!file || !existsSync(file[0])) return reply.code(404).send();
    return reply.type(file[1]).header("cache-control", "no-store").send(createReadStream(file[0]));
  });
  app.get<{ Querystring: { lcid?: string; all?: string } }>("/views/service-accounts", (request, reply) => {
    void reply.type("text/html; charset=utf-8");
    if (!existsSync(join(CUSTOMIZER_DIR, "bundle.js")))
      return reply.code(503).send("The customizer is not built: run `npm start` (it builds first) or `npm run build`.");
    const lcid = request.query.lcid === "1036" ? 1036 : 1033;
    const view = viewModel(emulator.store, SERVICE_ACCOUNTS_VIEW, lcid);
    if (!view)
      return reply.code(404).send("The Service accounts view is not published in the emulated org: import and publish the solution.");
    return reply.send(viewPage({ lcid, all: request.query.all === "1", view }));
  });
  app.get<{ Params: { file: string } }>("/platform/:file", (request, reply) => {
    if (!PLATFORM_FILES.has(request.params.file)) return reply.code(404).send();
    const file = join(HARNESS_DIR, "platform", request.params.file);
    // A platform library never changes for its version, so the browser may keep it (the harness's
    // pages then load as fast as a warm model-driven app); the control is always fetched afresh.
    return reply.type("application/javascript").header("cache-control", "public, max-age=86400, immutable").send(createReadStream(file));
  });
  app.get<{ Params: { script: string } }>("/harness/:script", (request, reply) => {
    if (!["host.js", "app.js"].includes(request.params.script)) return reply.code(404).send();
    return reply
      .type("application/javascript")
      .header("cache-control", "no-store")
      .send(createReadStream(join(HARNESS_DIR, request.params.script)));
  });
  app.get("/favicon.ico", (_request, reply) => reply.code(204).send());
  // Model-driven app addresses: main.aspx?appid=… opens the app's home (its site map's first entry),
  // &pagetype=entitylist&etn=…&viewid=… a view, &pagetype=dashboard&id=… a dashboard, and
  // pagetype=entityrecord&etn=…&id=… a record (a user opens the User form with the panel).
  app.get<{ Querystring: Record<string, string | undefined> }>("/main.aspx", (request, reply) => {
    const { appid, pagetype, etn, id, viewid } = request.query;
    const lcid = request.query.lcid === "1036" ? 1036 : 1033;
    const store = emulator.store;
    if (pagetype === "entityrecord") {
      const row = etn && id ? store.get(etn, id) : undefined;
      if (!row) return reply.code(404).type("text/plain").send("No such record in the emulated org.");
      if (etn === "systemuser") return reply.redirect(`/?user=${encodeURIComponent(id!)}`);
      return reply.type("text/html; charset=utf-8").send(recordPage(etn!, row));
    }
    const appRow = findApp(store, appid);
    if (!appRow)
      return reply
        .code(404)
        .type("text/plain")
        .send("No published model-driven app with this id in the emulated org: import and publish the solution.");
    const model = appModel(store, appRow, lcid);
    if (!pagetype)
      return model.nav.length
        ? reply.redirect(model.nav[0].url)
        : reply.code(404).type("text/plain").send("The app's site map has no entry.");
    const currentUrl = request.url;
    const recordUrl = `/main.aspx?appid=${model.id}&pagetype=entityrecord&etn=systemuser&id={id}`;
    void reply.type("text/html; charset=utf-8");
    if (pagetype === "entitylist" && etn) {
      const views = [...store.rows(SAVEDQUERY.logicalName)].filter(
        (row) => row.returnedtypecode === etn && row.fetchxml && Number(row.querytype ?? 0) === 0,
      );
      const chosen = viewid
        ? views.find((row) => textOf(row.savedqueryid) === normalizeId(viewid))
        : (views.find((row) => row.isdefault === true) ?? views[0]);
      const view = chosen && viewModel(store, textOf(chosen.savedqueryid), lcid);
      if (!view)
        return reply.code(404).send(appNotFoundPage(model, currentUrl, `No published ${etn} view ${viewid ?? ""} in the emulated org.`));
      const chart = chartsOf(store, etn)[0];
      const otherViews = views
        .filter((row) => textOf(row.savedqueryid) !== view.id)
        .map((row): [string, string] => [
          textOf(row.name),
          `/main.aspx?appid=${model.id}&pagetype=entitylist&etn=${etn}&viewid=${textOf(row.savedqueryid)}`,
        ])
        .sort((a, b) => a[0].localeCompare(b[0]));
      return reply.send(
        appViewPage({
          app: model,
          currentUrl,
          lcid,
          view,
          otherViews,
          chart: chart && chartModel(store, textOf(chart.savedqueryvisualizationid), view),
          recordUrl,
        }),
      );
    }
    if (pagetype === "dashboard" && id) {
      const dashboard = dashboardModel(store, id, lcid);
      if (!dashboard) return reply.code(404).send(appNotFoundPage(model, currentUrl, `No published dashboard ${id} in the emulated org.`));
      return reply.send(dashboardPage({ app: model, currentUrl, lcid, name: dashboard.name, parts: dashboard.parts, recordUrl }));
    }
    return reply.code(404).send(appNotFoundPage(model, currentUrl, `The harness does not show pagetype ${pagetype}.`));
  });

  /** The harness's list of every user, by name, each linking to its form (as the given caller). */
  const usersPage = (callerId?: string) =>
    userListPage(
      [...emulator.store.rows(SYSTEMUSER)].sort((a, b) => String(a.fullname).localeCompare(String(b.fullname))),
      callerId,
    );

  app.get<{ Querystring: Record<string, string | undefined> }>("/", (request, reply) => {
    const { user, as, lcid, disabled, ...inputs } = request.query;
    void reply.type("text/html; charset=utf-8");
    if (!existsSync(join(CONTROL_DIR, "bundle.js")))
      return reply.code(503).send("The control is not built: run `npm start` (it builds first) or `npm run build`.");
    if (!user || !emulator.store.get("systemuser", user)) {
      // The harness opens on the app's home, as an admin would open the app; the user list stays at /users.
      const published = findApp(emulator.store);
      if (!user && !as && published) return reply.redirect(`/main.aspx?appid=${textOf(published.appmoduleid)}`);
      return reply.send(usersPage(as));
    }
    if (!controlIsPublished(emulator.store)) return reply.send(formWithoutControlPage(emulator.store.get("systemuser", user) ?? {}));
    const actors: [string, string][] = [
      [USERS.admin, "Avery Admin (System Administrator)"],
      [USERS.salesNonAdmin, "Sam Sales (no admin privileges)"],
    ];
    return reply.send(
      formPage({
        userId: user,
        callerId: as,
        lcid: lcid === "1036" ? 1036 : 1033,
        disabled: disabled === "1",
        inputs: Object.fromEntries(Object.entries(inputs).filter((entry): entry is [string, string] => typeof entry[1] === "string")),
        actors,
      }),
    );
  });

  app.get<{ Querystring: { as?: string } }>("/users", (request, reply) => {
    return reply.type("text/html; charset=utf-8").send(usersPage(request.query.as));
  });

  app.post("/_harness/reset", (_request, reply) => {
    emulator.reset();
    tenant.reset();
    return reply.redirect("/");
  });

  return { app, emulator, tenant };
}
