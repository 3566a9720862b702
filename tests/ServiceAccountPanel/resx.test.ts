import { readFileSync } from "fs";
import { join } from "path";
import { ALL_STRING_KEYS, GRID_STRING_KEYS } from "../../src/ui/strings";
import { readResxTexts } from "../../src/webhook/messageTexts";
import { readResx } from "../support/resx";

const manifest = readFileSync(join(__dirname, "..", "..", "ServiceAccountPanel", "ControlManifest.Input.xml"), "utf8");
const manifestKeys = [...manifest.matchAll(/(?:display-name-key|description-key)="([^"]+)"/g)].map((match) => match[1]);
const languages = [...manifest.matchAll(/strings\/ServiceAccountPanel\.(\d+)\.resx/g)].map((match) => Number(match[1]));

describe("localized strings", () => {
  it("ships English and at least one more language", () => {
    expect(languages).toContain(1033);
    expect(languages.length).toBeGreaterThanOrEqual(2);
  });

  it.each(languages)("resx %i has a text for every key the code and the manifest use, and nothing else", (lcid) => {
    const texts = readResx(lcid);
    const expected = new Set([...ALL_STRING_KEYS, ...manifestKeys]);
    expect([...expected].filter((key) => !texts.has(key))).toEqual([]);
    expect([...texts.keys()].filter((key) => !expected.has(key))).toEqual([]);
    for (const [key, text] of texts) expect([key, text.trim()]).not.toEqual([key, ""]);
  });

  it.each(languages.filter((lcid) => lcid !== 1033))("resx %i uses the same placeholders as English", (lcid) => {
    const english = readResx(1033);
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [key, text] of readResx(lcid)) expect([key, placeholders(text)]).toEqual([key, placeholders(english.get(key) ?? "")]);
  });
});

describe("the grid customizer's strings", () => {
  const CUSTOMIZER_DIR = join(__dirname, "..", "..", "ServiceAccountGridCustomizer");
  const customizerManifest = readFileSync(join(CUSTOMIZER_DIR, "ControlManifest.Input.xml"), "utf8");
  const customizerKeys = [...customizerManifest.matchAll(/(?:display-name-key|description-key)="([^"]+)"/g)].map((match) => match[1]);
  const customizerLanguages = [...customizerManifest.matchAll(/strings\/ServiceAccountGridCustomizer\.(\d+)\.resx/g)].map((match) =>
    Number(match[1]),
  );

  it("ships the panel's languages", () => {
    expect(customizerLanguages.sort()).toEqual([...languages].sort());
  });

  it.each(customizerLanguages)("resx %i holds exactly the grid's keys, each worded as the panel words it", (lcid) => {
    const texts = readResxTexts(join(CUSTOMIZER_DIR, "strings", `ServiceAccountGridCustomizer.${lcid}.resx`));
    const panel = readResx(lcid);
    expect([...texts.keys()].sort()).toEqual([...GRID_STRING_KEYS, ...customizerKeys].sort());
    for (const key of GRID_STRING_KEYS) expect([key, texts.get(key)]).toEqual([key, panel.get(key)]);
    for (const key of customizerKeys) expect([key, texts.get(key)?.trim()]).not.toEqual([key, ""]);
  });
});
