import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { importSolutionZip, publishPlanOf } from "../../src/cli/deploy";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { SAVEDQUERY, SERVICEENDPOINT, SDKMESSAGEPROCESSINGSTEP, SOLUTION, SYSTEMFORM } from "../../src/emulator/metadata";
import { sampleOrgBeforeImport, USERS } from "../../src/emulator/sampleOrg";
import { createHarness, type Harness } from "../../src/harness/server";
import { CONTROL_DIRS, packageVersion, SOLUTION_DIR } from "../../src/solution/main";
import { packSolution, type PackedSolution } from "../../src/solution/pack";
import { WEBHOOK_SOLUTION } from "../../src/webhook/registrationSolution";
import { CLI, run } from "../support/cli";
import { BASE, ODATA_HEADERS } from "../support/emulator";

const FORM_ID = "26338443-8e14-4ba6-a51d-eb53961bfb66";
const DASHBOARD_ID = "c2f4a8e1-9b3d-4c6e-8a7f-0d1e2f3a4b05";
const ICON_ID = "5f0c7a2e-1d3b-4e8a-9c6f-2b4d8e1a7c01";
const APP = "svcacct_ServiceAccountCompliance";
const OUR_VIEWS = ["Non-compliant service accounts", "Service accounts", "Service accounts by last check"];

describe("svcacct deploy on an org that never had the solution", () => {
  let harness: Harness;
  let url: string;
  let packed: PackedSolution;
  let dir: string;
  const zipFile = (managed: boolean) => join(dir, managed ? "managed.zip" : "unmanaged.zip");
  const store = () => harness.emulator.store;
  const formHtml = async () => (await fetch(`${url}/?user=${USERS.compliant}`)).text();
  const controlShown = (html: string) => html.includes("/harness/host.js") && !html.includes("control-unpublished");
  const publishedForms = async () => {
    const response = await fetch(`${url}${BASE}systemforms?$select=name&$filter=objecttypecode eq 'systemuser'`, {
      headers: ODATA_HEADERS,
    });
    return ((await response.json()) as { value: { formid: string }[] }).value.map((form) => form.formid);
  };

  const publishedApps = async () => {
    const response = await fetch(`${url}${BASE}appmodules?$select=appmoduleid`, { headers: ODATA_HEADERS });
    return ((await response.json()) as { value: { appmoduleid: string }[] }).value.map((app) => app.appmoduleid);
  };

  beforeAll(async () => {
    harness = createHarness({ seed: sampleOrgBeforeImport, importStepMs: 2 });
    url = await harness.app.listen({ host: "127.0.0.1", port: 0 });
    packed = await packSolution({ sourceDir: SOLUTION_DIR, controlDirs: CONTROL_DIRS, packageVersion: packageVersion() });
    dir = mkdtempSync(join(tmpdir(), "svcacct-publish-"));
    writeFileSync(zipFile(false), packed.unmanaged);
    writeFileSync(zipFile(true), packed.managed);
  });
  beforeEach(() => harness.emulator.reset());
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await harness?.app.close();
  });

  it("reads from the zip whether to publish, and which tables", async () => {
    const parts = { tables: ["systemuser"], dashboards: [DASHBOARD_ID], webResources: [ICON_ID], apps: [APP] };
    expect(await publishPlanOf(packed.unmanaged)).toEqual({ managed: false, ...parts });
    expect(await publishPlanOf(packed.managed)).toEqual({ managed: true, ...parts });
  });

  it("an unmanaged import without a publish leaves the form, the view and the control invisible", async () => {
    const client = new HttpDataverseClient(url, () => Promise.resolve(null));
    expect((await importSolutionZip(client, packed.unmanaged, () => undefined, 2)).succeeded).toBe(true);
    expect(await publishedForms()).toEqual([]);
    expect([...store().rows(SAVEDQUERY)].filter((view) => OUR_VIEWS.includes(String(view.name)))).toEqual([]);
    expect(await publishedApps()).toEqual([]);
    const html = await formHtml();
    expect(controlShown(html)).toBe(false);
    expect(html).toContain("No published User form hosts the Service Account Compliance control");
  });

  it("imports, publishes, says so, and the harness form then shows the control", async () => {
    expect(controlShown(await formHtml())).toBe(false);
    const { stderr } = await run("node", [CLI, "deploy", "--url", url, "--zip", zipFile(false)]);
    expect(stderr).toContain("Imported (import job");
    const parts = `systemuser, 1 dashboard, 1 web resource and the app ${APP}`;
    expect(stderr).toContain(`Publishing ${parts}…`);
    expect(stderr).toContain(`Published ${parts}: the Service Account form, views, chart, dashboard, app and control are live.`);
    expect(await publishedForms()).toEqual([FORM_ID]);
    expect(
      [...store().rows(SAVEDQUERY)]
        .map((view) => String(view.name))
        .filter((name) => OUR_VIEWS.includes(name))
        .sort(),
    ).toEqual(OUR_VIEWS);
    expect(controlShown(await formHtml())).toBe(true);
    expect([...store().rows(SYSTEMFORM)].map((form) => form.formid).sort()).toEqual([FORM_ID, DASHBOARD_ID].sort());
    const apps = await publishedApps();
    expect(apps).toHaveLength(1);
    expect(stderr).toContain(`Open the app ${APP}: ${url}/main.aspx?appid=${apps[0]}`);
    // The address printed opens the app on its home, the Service accounts view.
    const home = await fetch(`${url}/main.aspx?appid=${apps[0]}`, { redirect: "manual" });
    expect(home.headers.get("location")).toContain("viewid={04024341-948f-40cc-98f9-532203d15bd1}");
  });

  it("says the solution is imported but not published when PublishXml is refused, and exits 1", async () => {
    const fault = await fetch(`${url}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        method: "POST",
        path: "^PublishXml$",
        status: 403,
        code: "0x80040220",
        message: "Principal user is missing prvPublishCustomization privilege.",
      }),
    });
    expect(fault.ok).toBe(true);
    const failed = await run("node", [CLI, "deploy", "--url", url, "--zip", zipFile(false)]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain(
      "Imported but not published: Principal user is missing prvPublishCustomization privilege. Rerun the command, or publish all customizations in the maker portal.",
    );
    // Nothing half-applied is called live: the app stays unpublished, the form without the control.
    expect(await publishedApps()).toEqual([]);
    expect(controlShown(await formHtml())).toBe(false);
  });

  it("a managed import is live at once and publishes nothing", async () => {
    const { stderr } = await run("node", [CLI, "deploy", "--url", url, "--zip", zipFile(true)]);
    expect(stderr).toContain("Managed solution: its form, views, chart, dashboard, app and control are live at once, nothing to publish.");
    expect(harness.emulator.requests.some((request) => request.path.startsWith("Publish"))).toBe(false);
    expect(controlShown(await formHtml())).toBe(true);
    const apps = await publishedApps();
    expect(stderr).toContain(`Open the app ${APP}: ${url}/main.aspx?appid=${apps[0]}`);
  });

  it("deploys managed with a webhook into an unmanaged solution of its own, and a rerun completes without duplicates", async () => {
    const secretFile = join(mkdtempSync(join(tmpdir(), "svcacct-secret-")), "webhook-secret");
    writeFileSync(secretFile, "a-secret-of-at-least-thirty-two-characters\n", { mode: 0o600 });
    const args = [
      "deploy",
      "--url",
      url,
      "--zip",
      zipFile(true),
      "--webhook-endpoint",
      "https://hooks.example.test/dataverse/events",
      "--webhook-secret-file",
      secretFile,
    ];
    const first = await run("node", [CLI, ...args]);
    expect(first.stderr).toContain(
      `ServiceAccountCompliance is managed, so the webhook registration is added to the unmanaged solution ${WEBHOOK_SOLUTION} (created now).`,
    );
    expect(first.stderr).toContain(`Webhook endpoint created, 6 steps registered in ${WEBHOOK_SOLUTION}.`);
    const second = await run("node", [CLI, ...args]);
    expect(second.stderr).toContain(`Webhook endpoint updated, 6 steps registered in ${WEBHOOK_SOLUTION}.`);

    const solutions = [...store().rows(SOLUTION)];
    const own = solutions.find((row) => row.uniquename === WEBHOOK_SOLUTION);
    const product = solutions.find((row) => row.uniquename === "ServiceAccountCompliance");
    expect(own).toMatchObject({ ismanaged: false, publisherid: product?.publisherid });
    expect(solutions.filter((row) => row.uniquename === WEBHOOK_SOLUTION)).toHaveLength(1);
    expect([...store().rows(SERVICEENDPOINT)]).toHaveLength(1);
    // The product's own steps; the sample org's vendor plug-in steps stay as they were.
    expect(
      [...store().rows(SDKMESSAGEPROCESSINGSTEP)].filter((step) => String(step.name).startsWith("Service Account Compliance: ")),
    ).toHaveLength(6);
    expect(store().solutionComponents.map((component) => component.solutionUniqueName)).toEqual(Array(7).fill(WEBHOOK_SOLUTION));
  });

  it("the emulator refuses AddSolutionComponent on a managed solution with CannotUpdateManagedSolution", async () => {
    const client = new HttpDataverseClient(url, () => Promise.resolve(null));
    expect((await importSolutionZip(client, packed.managed, () => undefined, 2)).succeeded).toBe(true);
    const response = await fetch(`${url}${BASE}AddSolutionComponent`, {
      method: "POST",
      headers: { ...ODATA_HEADERS, "content-type": "application/json" },
      body: JSON.stringify({
        ComponentId: FORM_ID,
        ComponentType: 60,
        SolutionUniqueName: "ServiceAccountCompliance",
        AddRequiredComponents: false,
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "0x8004f024", message: "Cannot update solution 'ServiceAccountCompliance' because it is a managed solution." },
    });
  });
});
