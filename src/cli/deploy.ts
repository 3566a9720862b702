import { randomUUID } from "crypto";
import JSZip from "jszip";
import type { HttpDataverseClient } from "../dataverse-node/httpClient";
import { toDataverseError } from "../dataverse/errors";
import { childElements, element, firstChild, parseXml, serializeXml, textContent, type XmlElement } from "../solution/xml";

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

/** What a zip needs after its import: a managed solution is live at once, an unmanaged one publishes its tables. */
export interface PublishPlan {
  managed: boolean;
  /** Logical names of the tables the solution customizes (their forms, views and columns). */
  tables: string[];
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
  const entities = firstChild(await read("customizations.xml"), "Entities");
  const tables = entities
    ? childElements(entities, "Entity").map((entity) =>
        textContent(firstChild(entity, "Name") ?? element("x"))
          .trim()
          .toLowerCase(),
      )
    : [];
  return { managed, tables: tables.filter(Boolean) };
}

/**
 * PublishXml for the tables an unmanaged import touched: "When you import an unmanaged solution,
 * the changes are imported in a draft state" (Import solutions). Publishing a table publishes its
 * forms, views and columns (PublishXmlRequest.ParameterXml); only ours, never other makers' drafts
 * as PublishAllXml would.
 */
export async function publishTables(client: HttpDataverseClient, tables: string[]): Promise<void> {
  const parameter = element("importexportxml", {}, [
    element(
      "entities",
      {},
      tables.map((table) => element("entity", {}, [table])),
    ),
  ]);
  await client.json("POST", "PublishXml", { ParameterXml: serializeXml({ declaration: null, root: parameter }).trim() });
}
