/**
 * What the CLI and the webhook service print carries names from Dataverse and Entra (display names, role and team names,
 * error messages), which anyone able to edit a user can choose. A terminal obeys control sequences:
 * ESC starts one (colours, cursor moves, window titles, OSC 8 links, even writes to the clipboard), as
 * C1 codes do on terminals that read 8-bit controls, and bidirectional overrides reorder what is
 * shown (CVE-2021-42574, "Trojan Source"). Such characters never belong in a name, so they are dropped.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this expression's purpose
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text as it may reach a terminal: line breaks and tabs kept, every other control character removed. */
export function printable(text: string): string {
  return text.replace(CONTROLS, "");
}

/** A value shown on one line (a table cell, a name in a sentence): line breaks and tabs become spaces too. */
export function oneLine(text: string): string {
  return printable(text).replace(/[\n\t]/g, " ");
}

/** JSON text with every such character escaped (JSON.stringify leaves DEL, C1 and bidi controls raw): the same data, safe to print. */
export function printableJson(json: string): string {
  return json.replace(CONTROLS, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Text as HTML shows it and never runs: the five characters that could open markup or an attribute, escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
