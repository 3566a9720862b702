import { readFileSync } from "fs";
import { join } from "path";
import { XMLParser } from "fast-xml-parser";
import { Strings } from "../../src/ui/strings";

const STRINGS_DIR = join(__dirname, "..", "..", "ServiceAccountPanel", "strings");

/** The texts of one resx file, as the platform's context.resources would give them. */
export function readResx(lcid: number): Map<string, string> {
  const xml = readFileSync(join(STRINGS_DIR, `ServiceAccountPanel.${lcid}.resx`), "utf8");
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => name === "data" }).parse(xml) as {
    root: { data: { name: string; value: string | number }[] };
  };
  return new Map(parsed.root.data.map((entry) => [entry.name, String(entry.value)]));
}

/** getString semantics: a missing key comes back as the key itself. */
export function stringsFor(lcid = 1033): Strings {
  const texts = readResx(lcid);
  return new Strings((key) => texts.get(key) ?? key);
}
