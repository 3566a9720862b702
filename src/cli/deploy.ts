import { randomUUID } from "crypto";
import type { HttpDataverseClient } from "../dataverse/httpClient";
import { toDataverseError } from "../dataverse/errors";
import { parseXml, type XmlElement } from "../solution/xml";

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
    .json("POST", "ImportSolution", { CustomizationFile: zip.toString("base64"), ImportJobId: importJobId, OverwriteUnmanagedCustomizations: true, PublishWorkflows: true })
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

