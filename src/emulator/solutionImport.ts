import { randomUUID } from "crypto";
import JSZip from "jszip";
import { childElements, descendants, element, firstChild, parseXml, serializeXml, textContent, type XmlElement } from "../solution/xml";
import { badRequest, DataverseFault } from "./dataverseErrors";
import { BUSINESSUNIT, CUSTOMCONTROL, PUBLISHER, ROLE, SOLUTION } from "./metadata";
import { textOf, type OrgStore, type PrivilegeGrant, type Row } from "./store";

/**
 * ImportSolution as the emulator performs it ("ImportSolution Action"; "Solution component file
 * reference"): the zip must hold solution.xml, customizations.xml and [Content_Types].xml at its
 * root; a code component needs prvCreateCustomControl and its publisher's prefix; roles are created
 * or updated by id and copied into every business unit. The import job records progress and a
 * result log per component, as `importjobs(<ImportJobId>)` reports them. A managed import's forms
 * and views are live at once; an unmanaged import's are drafts until PublishXml or PublishAllXml
 * ("Import solutions": "When you import an unmanaged solution, the changes are imported in a draft
 * state so you must publish them to make them active").
 */
export interface ImportRequest {
  zip: Buffer;
  importJobId: string;
  callerPrivileges: Map<string, string>;
}

const ROOT_FILES = ["solution.xml", "customizations.xml", "[Content_Types].xml"];

interface ComponentResult {
  section: "roles" | "entities" | "customControls";
  id: string;
  name: string;
  error?: string;
}

export async function importSolution(store: OrgStore, request: ImportRequest, tick: (progress: number) => Promise<void>): Promise<void> {
  const startedon = new Date().toISOString();
  const job = { importjobid: request.importJobId, solutionname: "", progress: 0, startedon, completedon: null, data: null };
  if (store.get("importjob", request.importJobId)) throw badRequest(`An import job with id ${request.importJobId} already exists.`);
  store.insert("importjob", job);

  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(request.zip);
  } catch {
    return fail(store, job, "The import file is not a valid compressed (zip) file.");
  }
  if (ROOT_FILES.some((name) => !zip.file(name)))
    return fail(
      store,
      job,
      "The compressed file must contain the following files at its root: solution.xml, customizations.xml, and [Content_Types].xml.",
    );

  let solution: XmlElement;
  let customizations: XmlElement;
  try {
    solution = parseXml(await zip.file("solution.xml")!.async("string"), "solution.xml").root;
    customizations = parseXml(await zip.file("customizations.xml")!.async("string"), "customizations.xml").root;
  } catch (error) {
    return fail(store, job, `The solution file is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
  const manifest = firstChild(solution, "SolutionManifest") ?? element("SolutionManifest");
  const read = (parent: XmlElement | undefined, name: string) =>
    parent && firstChild(parent, name) ? textContent(firstChild(parent, name)!).trim() : "";
  const uniqueName = read(manifest, "UniqueName");
  const version = read(manifest, "Version");
  const managed = read(manifest, "Managed") === "1";
  const prefix = read(firstChild(manifest, "Publisher"), "CustomizationPrefix");
  store.update("importjob", request.importJobId, { solutionname: uniqueName });
  await tick(10);

  const existing = [...store.rows(SOLUTION)].find((row) => textOf(row.uniquename).toLowerCase() === uniqueName.toLowerCase());
  if (existing && (existing.ismanaged === true) !== managed)
    return fail(
      store,
      job,
      `The solution ${uniqueName} is already installed as ${existing.ismanaged ? "managed" : "unmanaged"}: remove it before importing it as ${managed ? "managed" : "unmanaged"}.`,
      uniqueName,
    );

  const results: ComponentResult[] = [];
  for (const control of childElements(firstChild(customizations, "CustomControls") ?? element("x"), "CustomControl")) {
    const name = read(control, "Name");
    const fileName = read(control, "FileName");
    const error = !request.callerPrivileges.has("prvCreateCustomControl")
      ? "The user does not hold prvCreateCustomControl, needed to import a code component."
      : !name.startsWith(`${prefix}_`)
        ? `Publisher prefix ${prefix} for this control ${name} does not match the prefix of the solution's publisher.`
        : !zip.file(fileName.replace(/^\//, ""))
          ? `The control's manifest ${fileName} is missing from the zip.`
          : undefined;
    results.push({ section: "customControls", id: name, name, error });
  }
  await tick(40);
  for (const entity of childElements(firstChild(customizations, "Entities") ?? element("x"), "Entity")) {
    const name = read(entity, "Name");
    results.push({ section: "entities", id: name.toLowerCase(), name });
  }
  const roles = childElements(firstChild(customizations, "Roles") ?? element("x"), "Role");
  for (const role of roles) {
    const levels = [...descendants(role)].filter((node) => node.name === "RolePrivilege").map((node) => node.attributes.level);
    const bad = levels.find((level) => !["Basic", "Local", "Deep", "Global"].includes(level));
    results.push({
      section: "roles",
      id: role.attributes.id ?? "",
      name: role.attributes.name ?? "",
      error: bad ? `Unknown privilege level ${bad}.` : undefined,
    });
  }
  await tick(70);

  const failed = results.some((result) => result.error);
  if (!failed) {
    for (const role of roles) applyRole(store, role);
    const localized = [...descendants(manifest)].find((node) => node.name === "LocalizedName");
    const publisherid = applyPublisher(store, firstChild(manifest, "Publisher"), request.importJobId);
    const row = {
      uniquename: uniqueName,
      friendlyname: localized?.attributes.description ?? uniqueName,
      version,
      ismanaged: managed,
      publisherid,
    };
    if (existing) store.update("solution", textOf(existing.solutionid), row);
    else store.insert("solution", { ...row, solutionid: request.importJobId });
    for (const control of results.filter((result) => result.section === "customControls")) {
      const known = [...store.rows(CUSTOMCONTROL)].find((candidate) => candidate.name === control.name);
      if (!known) store.insert("customcontrol", { customcontrolid: randomUUID(), name: control.name });
    }
    for (const [logicalName, component] of formsAndViews(customizations)) {
      if (managed) store.upsert(logicalName, component);
      else store.stageDraft(logicalName, component);
    }
  }
  await tick(100);
  store.update("importjob", request.importJobId, {
    progress: 100,
    completedon: new Date().toISOString(),
    data: resultLog(uniqueName, results, startedon),
  });
  if (failed)
    throw new DataverseFault(
      400,
      "0x80048033",
      `Solution ${uniqueName} could not be imported: ${results
        .filter((r) => r.error)
        .map((r) => `${r.name}: ${r.error ?? ""}`)
        .join("; ")}`,
    );
}

function fail(store: OrgStore, job: Row, message: string, solutionName = ""): never {
  store.update("importjob", textOf(job.importjobid), {
    progress: 100,
    completedon: new Date().toISOString(),
    data: resultLog(solutionName, [], textOf(job.startedon), message),
  });
  // ImportSolutionError ("Web service error codes"): the zip cannot be imported at all.
  throw badRequest(message, "0x80048033");
}

/** The solution's publisher, found by unique name or created; returns its id. */
function applyPublisher(store: OrgStore, publisher: XmlElement | undefined, newId: string): string | null {
  const read = (name: string) => (publisher && firstChild(publisher, name) ? textContent(firstChild(publisher, name)!).trim() : "");
  const uniquename = read("UniqueName");
  if (!uniquename) return null;
  const known = [...store.rows(PUBLISHER)].find((row) => textOf(row.uniquename).toLowerCase() === uniquename.toLowerCase());
  if (known) return textOf(known.publisherid);
  const friendlyname = publisher
    ? ([...descendants(publisher)].find((node) => node.name === "LocalizedName")?.attributes.description ?? uniquename)
    : uniquename;
  store.insert("publisher", { publisherid: newId, uniquename, friendlyname, customizationprefix: read("CustomizationPrefix") });
  return newId;
}

const bareId = (text: string) => text.trim().replace(/[{}]/g, "").toLowerCase();

/** The systemform and savedquery rows customizations.xml carries, by table. */
function formsAndViews(customizations: XmlElement): [string, Row][] {
  const rows: [string, Row][] = [];
  for (const entity of childElements(firstChild(customizations, "Entities") ?? element("x"), "Entity")) {
    const table = textContent(firstChild(entity, "Name") ?? element("x"))
      .trim()
      .toLowerCase();
    for (const form of [...descendants(firstChild(entity, "FormXml") ?? element("x"))].filter((node) => node.name === "systemform")) {
      const label = [...descendants(form)].find((node) => node.name === "LocalizedName");
      rows.push([
        "systemform",
        {
          formid: bareId(textContent(firstChild(form, "formid") ?? element("x"))),
          name: label?.attributes.description ?? "",
          objecttypecode: table,
          formxml: serializeXml({ declaration: null, root: form }),
        },
      ]);
    }
    for (const view of [...descendants(firstChild(entity, "SavedQueries") ?? element("x"))].filter((node) => node.name === "savedquery")) {
      const label = [...descendants(view)].find((node) => node.name === "LocalizedName");
      rows.push([
        "savedquery",
        {
          savedqueryid: bareId(textContent(firstChild(view, "savedqueryid") ?? element("x"))),
          name: label?.attributes.description ?? "",
          returnedtypecode: table,
        },
      ]);
    }
  }
  return rows;
}

/** A role by its id in the root business unit, with a copy in every other unit (roles are copied per unit). */
function applyRole(store: OrgStore, role: XmlElement): void {
  const id = (role.attributes.id ?? "").replace(/[{}]/g, "").toLowerCase();
  const privileges: PrivilegeGrant[] = [...descendants(role)]
    .filter((node) => node.name === "RolePrivilege")
    .map((node) => ({ name: node.attributes.name, depth: node.attributes.level as PrivilegeGrant["depth"] }));
  const units = [...store.rows(BUSINESSUNIT)];
  const root = units.find((unit) => !unit.parentbusinessunitid) ?? units[0];
  for (const unit of units) {
    const copyId = unit === root ? id : `${id.slice(0, 24)}${textOf(unit.businessunitid).slice(24)}`;
    const row = { name: role.attributes.name, businessunitid: unit.businessunitid, parentrootroleid: id };
    if (store.get(ROLE.logicalName, copyId)) store.update(ROLE.logicalName, copyId, { name: row.name });
    else store.insert(ROLE.logicalName, { roleid: copyId, ...row });
    store.setRolePrivileges(copyId, privileges);
  }
}

/** The import job's `data`: the result of each component, success or failure with its text. */
function resultLog(solutionName: string, results: ComponentResult[], startedon: string, solutionError?: string): string {
  const result = (error?: string) =>
    element("result", {
      result: error ? "failure" : "success",
      errorcode: error ? "0x80048033" : "0",
      errortext: error ?? "",
      datetime: new Date().toISOString(),
    });
  const section = (name: ComponentResult["section"], item: string) =>
    element(
      name,
      {},
      results
        .filter((entry) => entry.section === name)
        .map((entry) => element(item, { id: entry.id, name: entry.name, processed: "true" }, [result(entry.error)])),
    );
  const root = element("importexportxml", { start: startedon, stop: new Date().toISOString(), progress: "100", processed: "true" }, [
    element("solutionManifests", {}, [element("solutionManifest", { id: solutionName, processed: "true" }, [result(solutionError)])]),
    section("entities", "entity"),
    section("roles", "role"),
    section("customControls", "customControl"),
  ]);
  return serializeXml({ declaration: null, root });
}
