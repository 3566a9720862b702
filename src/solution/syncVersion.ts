/**
 * `npm version` runs this: package.json's version goes into the control manifest (3 parts) and the
 * solution (4 parts), so the two move together and Dataverse replaces the old bundle on import.
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { packageVersion, ROOT, SOLUTION_DIR } from "./main";
import { solutionVersionOf } from "./validate";
import { firstChild, parseXml, requireChild, serializeXml } from "./xml";

const version = packageVersion();
const manifestPath = join(ROOT, "ServiceAccountPanel", "ControlManifest.Input.xml");
const solutionPath = join(SOLUTION_DIR, "Other", "Solution.xml");

// The input manifest is edited as text in one place (its version attribute) so its hand formatting and comments stay.
const manifest = readFileSync(manifestPath, "utf8");
writeFileSync(manifestPath, manifest.replace(/(<control\b[^>]*\bversion=")[^"]*(")/, `$1${version}$2`));

const solution = parseXml(readFileSync(solutionPath, "utf8"), solutionPath);
const versionNode = requireChild(firstChild(solution.root, "SolutionManifest") ?? solution.root, "Version", solutionPath);
versionNode.children = [solutionVersionOf(version)];
writeFileSync(solutionPath, serializeXml(solution));
console.log(`control ${version}, solution ${solutionVersionOf(version)}`);
