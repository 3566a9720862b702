import { readFileSync } from "fs";
import { join } from "path";
import { childElements, firstChild, parseXml, textContent } from "../solution/xml";
import { formatMessage } from "../core/messages";
import type { MessageTexts } from "./badge";

const RESX = join(__dirname, "..", "..", "ServiceAccountPanel", "strings", "ServiceAccountPanel.1033.resx");

/** The texts of a resx file by name. */
export function readResxTexts(path: string): Map<string, string> {
  const root = parseXml(readFileSync(path, "utf8"), path).root;
  return new Map(childElements(root, "data").map((data) => [data.attributes.name, textContent(firstChild(data, "value") ?? data)]));
}

/** The control's English texts, so a badge summary says what the panel says. */
export function englishTexts(path = RESX): MessageTexts {
  const texts = readResxTexts(path);
  const lookup = (key: string) => texts.get(key) ?? key;
  return (key, params) => formatMessage(lookup(key), params, lookup);
}
