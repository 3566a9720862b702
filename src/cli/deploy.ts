import { randomUUID } from "crypto";
import JSZip from "jszip";
import type { HttpDataverseClient } from "../dataverse-node/httpClient";
import { toDataverseError } from "../dataverse/errors";
import { childElements, element, firstChild, parseXml, serializeXml, textContent, type XmlElement } from "../solution/xml";
import { normalizeId } from "../core/ids";
import type { Row } from "../dataverse/client";

export interface ImportFailure {
  component: string;
  name: string;
  text: string;
}

export interface ImportOutcome {
  importJobId: string;
  succeeded: boolean;
  failures: ImportFailure[];
  /** Dataverse's error when the import request itself failed. */
  error?: string;
}

const COMPONENT_WORDS: Record<string, string> = {
  solutionManifest: "solution",
  entity: "table",
  role: "security role",
  customControl: "code component",
  form: "form",
  attribute: "column",
};

/** Every failed component of an import job's result log (`importjobs.data`), in words. */
export function failuresOf(data: string): ImportFailure[] {
  const root = parseXml(data, "importjob.data").root;
  const failures: ImportFailure[] = [];
  const walk = (node: XmlElement, parent: XmlElement | null) => {
    if (node.name === "result" && node.attributes.result === "failure" && parent) {
      failures.push({
        component: COMPONENT_WORDS[parent.name] ?? parent.name,
        name: parent.attributes.name || parent.attributes.LocalizedName || parent.attributes.id || "",
        text: node.attributes.errortext || "failed, without a reason",
      });
    }
    for (const child of node.children) if (typeof child !== "string") walk(child, node);
  };
  walk(root, null);
  return failures;
}

/**
 * ImportSolution with a new import job id, polling `importjobs(<id>)` for progress while the
 * import runs, then reading the job's result log for each failed component.
 */
export async function importSolutionZip(
  client: HttpDataverseClient,
  zip: Buffer,
  onProgress: (percent: number) => void,
  pollMs = 1000,
): Promise<ImportOutcome> {
  const importJobId = randomUUID();
  let settled = false;
  let error: string | undefined;
  const importing = client
    .json("POST", "ImportSolution", {
      CustomizationFile: zip.toString("base64"),
      ImportJobId: importJobId,
      OverwriteUnmanagedCustomizations: true,
      PublishWorkflows: true,
    })
    .catch((reason: unknown) => {
      error = toDataverseError(reason).message;
    })
    .finally(() => (settled = true));

  const readJob = async () => {
    try {
      return await client.retrieve("importjob", importJobId, "?$select=progress,startedon,completedon,data");
    } catch (reason) {
      if (toDataverseError(reason).kind === "not-found") return null; // not created yet
      throw reason;
    }
  };
  while (!settled) {
    await Promise.race([importing, new Promise((resolve) => setTimeout(resolve, pollMs))]);
    const job = settled ? null : await readJob();
    if (job && typeof job.progress === "number") onProgress(job.progress);
  }
  const job = await readJob();
  const failures = typeof job?.data === "string" && job.data ? failuresOf(job.data) : [];
  if (!error) onProgress(100);
  return { importJobId, succeeded: !error && failures.length === 0, failures, error };
}

/**
 * What a zip needs after its import: a managed solution is live at once; an unmanaged one is a
 * draft ("Import solutions": "the changes are imported in a draft state so you must publish them")
 * and publishes its tables, dashboards, web resources and model-driven apps by name.
 */
export interface PublishPlan {
  managed: boolean;
  /** Logical names of the tables the solution customizes (their forms, views, charts and columns). */
  tables: string[];
  /** Dashboard (systemform) ids. */
  dashboards: string[];
  /** Web resource ids. */
  webResources: string[];
  /** Model-driven app unique names: their ids exist only in the org, so they are read after the import. */
  apps: string[];
}

/** Reads the plan from the zip itself, so `--zip` of either kind is published correctly. */
export async function publishPlanOf(zip: Buffer): Promise<PublishPlan> {
  const archive = await JSZip.loadAsync(zip);
  const read = async (name: string) => {
    const file = archive.file(name);
    if (!file) throw new Error(`The solution zip has no ${name}.`);
    return parseXml(await file.async("string"), name).root;
  };
  const manifest = firstChild(await read("solution.xml"), "SolutionManifest");
  const managed = manifest ? textContent(firstChild(manifest, "Managed") ?? element("x")).trim() === "1" : false;
  const customizations = await read("customizations.xml");
  const section = (name: string, item: string) => childElements(firstChild(customizations, name) ?? element("x"), item);
  const child = (node: XmlElement, name: string) => textContent(firstChild(node, name) ?? element("x")).trim();
  return {
    managed,
    tables: section("Entities", "Entity")
      .map((entity) => child(entity, "Name").toLowerCase())
      .filter(Boolean),
    dashboards: section("Dashboards", "Dashboard")
      .map((dashboard) => normalizeId(child(dashboard, "FormId")))
      .filter(Boolean),
    webResources: section("WebResources", "WebResource")
      .map((resource) => normalizeId(child(resource, "WebResourceId")))
      .filter(Boolean),
    apps: section("AppModules", "AppModule")
      .map((app) => child(app, "UniqueName"))
      .filter(Boolean),
  };
}

/** The plan in words: "systemuser, 1 dashboard, 1 web resource and the app svcacct_X". */
export function describePlan(plan: PublishPlan): string {
  const count = (n: number, one: string) => (n === 1 ? `1 ${one}` : `${n} ${one}s`);
  const parts = [
    ...plan.tables,
    ...(plan.dashboards.length ? [count(plan.dashboards.length, "dashboard")] : []),
    ...(plan.webResources.length ? [count(plan.webResources.length, "web resource")] : []),
    ...plan.apps.map((app) => `the app ${app}`),
  ];
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : (parts[0] ?? "nothing");
}

const odataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The ids of model-driven apps by unique name. An unmanaged import leaves an app unpublished, and
 * `GET appmodules` lists only published apps: RetrieveUnpublishedMultiple reads the others ("Create,
 * manage, and publish model-driven apps using code",
 * https://learn.microsoft.com/power-apps/developer/model-driven-apps/create-manage-model-driven-apps-using-code).
 */
export async function appIds(client: HttpDataverseClient, uniqueNames: string[], published: boolean): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (!uniqueNames.length) return ids;
  const filter = uniqueNames.map((name) => `uniquename eq ${odataString(name)}`).join(" or ");
  const path = published ? "appmodules" : "appmodules/Microsoft.Dynamics.CRM.RetrieveUnpublishedMultiple()";
  const answer = await client.json("GET", `${path}?$select=appmoduleid,uniquename&$filter=${encodeURIComponent(filter)}`);
  for (const row of (answer.value as Row[] | undefined) ?? []) ids.set(String(row.uniquename), String(row.appmoduleid));
  return ids;
}

/**
 * PublishXml for what an unmanaged import left as drafts: its tables (forms, views, charts and
 * columns), dashboards, web resources and apps (PublishXmlRequest.ParameterXml; apps by id, as the
 * page above shows). Only ours, never other makers' drafts as PublishAllXml would.
 */
export async function publishImported(client: HttpDataverseClient, plan: PublishPlan): Promise<void> {
  const unpublishedApps = await appIds(client, plan.apps, false);
  const missing = plan.apps.filter((name) => !unpublishedApps.has(name));
  if (missing.length) throw new Error(`the imported app ${missing.join(", ")} is not in the org`);
  const list = (name: string, item: string, values: string[]) =>
    values.length
      ? [
          element(
            name,
            {},
            values.map((value) => element(item, {}, [value])),
          ),
        ]
      : [];
  const parameter = element("importexportxml", {}, [
    ...list("entities", "entity", plan.tables),
    ...list(
      "dashboards",
      "dashboard",
      plan.dashboards.map((id) => `{${id}}`),
    ),
    ...list(
      "webresources",
      "webresource",
      plan.webResources.map((id) => `{${id}}`),
    ),
    ...list(
      "appmodules",
      "appmodule",
      [...unpublishedApps.values()].map((id) => `{${id}}`),
    ),
  ]);
  await client.json("POST", "PublishXml", { ParameterXml: serializeXml({ declaration: null, root: parameter }).trim() });
}

/** A published app's address: `<org>/main.aspx?appid=<id>`, the URL model-driven apps open on. */
export function appUrl(orgUrl: string, appId: string): string {
  return `${orgUrl.replace(/\/+$/, "")}/main.aspx?appid=${appId}`;
}
