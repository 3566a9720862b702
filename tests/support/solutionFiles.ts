import { readFileSync, writeFileSync } from "fs";
import { join } from "path";

/** Files of the unpacked solution (src/solution/main.ts: SOLUTION_DIR) that the packer tests break on purpose. */
export const SOLUTION_XML = "Other/Solution.xml";
export const ROLE_XML = "Roles/Integration Service Account.xml";
export const ENTITY_XML = "Entities/SystemUser/Entity.xml";
export const FORM_XML = "Entities/SystemUser/FormXml/main/{26338443-8e14-4ba6-a51d-eb53961bfb66}.xml";
export const VIEW_XML = "Entities/SystemUser/SavedQueries/{04024341-948f-40cc-98f9-532203d15bd1}.xml";

/** Replaces `from` with `to` in a file of a solution copy; an edit that finds nothing is the test's mistake, so it throws. */
export function editFile(dir: string, path: string, from: string | RegExp, to: string): void {
  const file = join(dir, path);
  const text = readFileSync(file, "utf8");
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${String(from)} is not in ${path}`);
  writeFileSync(file, changed);
}
