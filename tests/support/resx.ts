import { join } from "path";
import { Strings } from "../../src/ui/strings";
import { readResxTexts } from "../../src/webhook/messageTexts";

const STRINGS_DIR = join(__dirname, "..", "..", "ServiceAccountPanel", "strings");

/** The texts of one resx file, as the platform's context.resources would give them. */
export function readResx(lcid: number): Map<string, string> {
  return readResxTexts(join(STRINGS_DIR, `ServiceAccountPanel.${lcid}.resx`));
}

/** getString semantics: a missing key comes back as the key itself. */
export function stringsFor(lcid = 1033): Strings {
  const texts = readResx(lcid);
  return new Strings((key) => texts.get(key) ?? key);
}
