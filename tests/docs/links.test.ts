import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { dirname, join, relative, resolve } from "path";

/**
 * The documentation's relative links and images resolve: the file exists (relative to the linking
 * file) and, when the link names an anchor, the target has a heading with that GitHub slug. Links
 * inside code spans and fenced code blocks are text, not links; http(s):, mailto: and other schemes
 * are not followed (no network).
 */
const ROOT = join(__dirname, "..", "..");
const README_MAX_LINES = 200;

/** README.md, CHANGELOG.md, SECURITY.md and every Markdown file under docs/, as paths from the root. */
function documents(): string[] {
  const docs = readdirSync(join(ROOT, "docs"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md"))
    .map((file) => `docs/${file.replace(/\\/g, "/")}`)
    .sort();
  return ["README.md", "CHANGELOG.md", "SECURITY.md", ...docs];
}

/** A fenced code block's opening or closing line: up to 3 spaces, then 3 or more backticks or tildes. */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** The lines outside fenced code blocks; the lines inside become empty, so line numbers still hold. */
function withoutFences(text: string): string[] {
  let open: string | undefined;
  return text.split("\n").map((line) => {
    const fence = FENCE.exec(line);
    if (open === undefined) {
      // A backtick fence's info string may not hold a backtick (CommonMark); then it is no fence.
      if (fence && !(fence[1].startsWith("`") && fence[2].includes("`"))) {
        open = fence[1];
        return "";
      }
      return line;
    }
    if (fence?.[1].startsWith(open[0]) && fence[1].length >= open.length && fence[2].trim() === "") open = undefined;
    return "";
  });
}

/**
 * Code spans blanked out, paragraph by paragraph (a span never crosses a blank line): a run of n
 * backticks opens a span closed by the next run of exactly n; an unmatched run is literal text.
 * The span becomes spaces of the same length, so what remains keeps its offsets.
 */
function withoutCodeSpans(lines: string[]): string[] {
  const out: string[] = [];
  let block: string[] = [];
  const flush = () => {
    if (!block.length) return;
    const text = block.join("\n");
    let result = "";
    let at = 0;
    while (at < text.length) {
      if (text[at] === "\\" && text[at + 1] === "`") {
        result += text.slice(at, at + 2);
        at += 2;
        continue;
      }
      if (text[at] !== "`") {
        result += text[at++];
        continue;
      }
      const run = /^`+/.exec(text.slice(at))![0];
      const closing = new RegExp(`(?<!\`)${run}(?!\`)`, "g");
      closing.lastIndex = at + run.length;
      const end = closing.exec(text);
      if (!end) {
        result += run;
        at += run.length;
        continue;
      }
      const span = text.slice(at, end.index + run.length);
      result += span.replace(/[^\n]/g, " ");
      at = end.index + run.length;
    }
    out.push(...result.split("\n"));
    block = [];
  };
  for (const line of lines) {
    if (line.trim() === "") {
      flush();
      out.push(line);
    } else block.push(line);
  }
  flush();
  return out;
}

export interface Link {
  target: string;
  line: number;
}

/** The index of the `]` closing the `[` at `start`, brackets nested and backslash escapes skipped. */
function closingBracket(text: string, start: number): number {
  let depth = 0;
  for (let at = start; at < text.length; at++) {
    const char = text[at];
    if (char === "\\") at++;
    else if (char === "[") depth++;
    else if (char === "]" && --depth === 0) return at;
    else if (char === "\n" && text[at + 1] === "\n") return -1;
  }
  return -1;
}

/** The destination of an inline link whose `(` is at `open`: `<…>`, or a run with balanced parentheses; then an optional title and `)`. */
function destination(text: string, open: number): string | undefined {
  let at = open + 1;
  while (text[at] === " " || text[at] === "\n") at++;
  let target = "";
  if (text[at] === "<") {
    const end = text.indexOf(">", at);
    if (end < 0) return undefined;
    target = text.slice(at + 1, end);
    at = end + 1;
  } else {
    let depth = 0;
    for (; at < text.length; at++) {
      const char = text[at];
      if (char === "\\" && at + 1 < text.length) {
        target += text[++at];
        continue;
      }
      if (/\s/.test(char)) break;
      if (char === "(") depth++;
      if (char === ")" && depth-- === 0) break;
      target += char;
    }
  }
  while (text[at] === " " || text[at] === "\n") at++;
  if (text[at] === '"' || text[at] === "'" || text[at] === "(") {
    const close = text[at] === "(" ? ")" : text[at];
    const end = text.indexOf(close, at + 1);
    if (end < 0) return undefined;
    at = end + 1;
    while (text[at] === " " || text[at] === "\n") at++;
  }
  return text[at] === ")" ? target : undefined;
}

/** Every inline link and image `[text](target)` / `![alt](target)` and every reference definition `[label]: target`, outside code. */
export function linksIn(markdown: string): Link[] {
  const lines = withoutCodeSpans(withoutFences(markdown));
  const text = lines.join("\n");
  const lineOf = (offset: number) => text.slice(0, offset).split("\n").length;
  const links: Link[] = [];
  for (let at = 0; at < text.length; at++) {
    if (text[at] === "\\") {
      at++;
      continue;
    }
    if (text[at] !== "[") continue;
    const close = closingBracket(text, at);
    if (close < 0 || text[close + 1] !== "(") continue;
    const target = destination(text, close + 1);
    if (target !== undefined) links.push({ target, line: lineOf(at) });
  }
  lines.forEach((line, index) => {
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(line);
    if (definition) links.push({ target: definition[1], line: index + 1 });
  });
  return links;
}

/** A heading's text as GitHub shows it: links and images by their text, code without backticks, no emphasis or HTML. */
function headingText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/`+/g, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\p{L}\p{N}])[*_](.+?)[*_](?=[^\p{L}\p{N}]|$)/gu, "$1$2")
    .trim();
}

/** GitHub's slug (github-slugger): lower case, every character but letters, marks, digits, `_`, `-` and spaces removed, spaces to hyphens. */
export function slug(heading: string): string {
  return headingText(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown file: its headings' slugs (a repeated slug gets -1, -2, …) and explicit `id`/`name` anchors. */
export function anchorsOf(markdown: string): Set<string> {
  const lines = withoutFences(markdown);
  const counts = new Map<string, number>();
  const anchors = new Set<string>();
  const add = (base: string) => {
    let result = base;
    if (counts.has(base)) {
      let count = counts.get(base)!;
      do result = `${base}-${++count}`;
      while (counts.has(result));
      counts.set(base, count);
    }
    counts.set(result, 0);
    anchors.add(result);
  };
  lines.forEach((line, index) => {
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) return add(slug(atx[1] ?? ""));
    const previous = lines[index - 1];
    if (/^ {0,3}(=+|-+)[ \t]*$/.test(line) && previous?.trim() && !/^ {0,3}([-*+]|\d+[.)]|>|#|\|)/.test(previous)) add(slug(previous));
  });
  for (const match of markdown.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
  return anchors;
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOfFile(path: string): Set<string> {
  if (!anchorCache.has(path)) anchorCache.set(path, anchorsOf(readFileSync(path, "utf8")));
  return anchorCache.get(path)!;
}

/** What is wrong with each relative link of a file, as `line N: target: reason`. */
function brokenLinks(file: string): string[] {
  const path = join(ROOT, file);
  const problems: string[] = [];
  for (const { target, line } of linksIn(readFileSync(path, "utf8"))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto: and any other scheme
    const hash = target.indexOf("#");
    const filePart = hash < 0 ? target : target.slice(0, hash);
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const targetPath = filePart === "" ? path : resolve(dirname(path), decodeURIComponent(filePart));
    const say = (reason: string) => problems.push(`line ${line}: ${target}: ${reason}`);
    if (!existsSync(targetPath)) {
      say(`${relative(ROOT, targetPath).replace(/\\/g, "/")} does not exist`);
      continue;
    }
    if (anchor === undefined || anchor === "") continue;
    if (statSync(targetPath).isDirectory() || !targetPath.endsWith(".md")) {
      say("an anchor into a file that is not Markdown");
      continue;
    }
    if (!anchorsOfFile(targetPath).has(anchor))
      say(`no heading of ${relative(ROOT, targetPath).replace(/\\/g, "/")} has the slug "${anchor}"`);
  }
  return problems;
}

describe("the link checker", () => {
  it("slugs headings as GitHub does", () => {
    expect(slug("The harness (`npm start`)")).toBe("the-harness-npm-start");
    expect(slug("`svcacct audit --all-environments`")).toBe("svcacct-audit---all-environments");
    expect(slug("Effective access: teams, role templates, privileges (checked 2026-12, issue 22)")).toBe(
      "effective-access-teams-role-templates-privileges-checked-2026-12-issue-22",
    );
    expect(slug("What a real org does that is easy to miss (checked against Microsoft's docs, 2026-11)")).toBe(
      "what-a-real-org-does-that-is-easy-to-miss-checked-against-microsofts-docs-2026-11",
    );
    expect(slug("The `svcacct_compliancestatus` column, **bold** and [a link](x.md)")).toBe(
      "the-svcacct_compliancestatus-column-bold-and-a-link",
    );
    expect([...anchorsOf("# Notes\n\n## Notes\n\n## Notes\n\nSetext\n---\n")]).toEqual(["notes", "notes-1", "notes-2", "setext"]);
  });

  it("finds links and images, not what code spans and fenced blocks hold", () => {
    const markdown = [
      'See [a](a.md#x), ![b](img/b.png "title") and [c `code`](<c d.md>).',
      "Not `[e](e.md)`, not ``[f](f.md) with ` inside``, and [g](https://example.com/g_(h)).",
      "```sh",
      "[i](i.md)",
      "```",
      "[![j](j.png)](k.md)",
      "[l]: l.md",
    ].join("\n");
    expect(linksIn(markdown).map((link) => link.target)).toEqual([
      "a.md#x",
      "img/b.png",
      "c d.md",
      "https://example.com/g_(h)",
      "k.md",
      "j.png",
      "l.md",
    ]);
    expect(anchorsOf("```\n# not a heading\n```\n# Heading")).toEqual(new Set(["heading"]));
  });
});

describe("the documentation's relative links resolve", () => {
  it.each(documents())("%s", (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });
});

it(`README.md is at most ${README_MAX_LINES} lines`, () => {
  const text = readFileSync(join(ROOT, "README.md"), "utf8");
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
});
