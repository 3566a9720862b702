import { createHash } from "crypto";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { AuditReport } from "../../src/cli/auditReport";
import { auditEnvironments, environmentsToAudit, type EnvironmentAudit, type TenantEnvironment } from "../../src/cli/tenantAudit";
import { formatTenantHtml } from "../../src/cli/tenantHtml";
import { environmentCsv, environmentJson, resumedEnvironments, TENANT_JSON_OPEN } from "../../src/cli/tenantReport";

const environment = (name: string, url: string | null = `https://${name.toLowerCase()}.crm.dynamics.com`): TenantEnvironment => ({
  id: `${name.toLowerCase()}-id`,
  name,
  type: "Production",
  url,
});

const report = (name: string): AuditReport => ({
  summary: { compliant: 1, needsAttention: 1, nonCompliant: 1, nonInteractiveUsed: 6, nonInteractiveMax: 7 },
  accounts: (["non-compliant", "needs-attention", "compliant"] as const).map((status, index) => ({
    systemuserid: `${index}`,
    fullname: `${name} ${status}`,
    domainname: `svc-${index}@contoso.com`,
    status,
    failing: status === "compliant" ? [] : ["access-mode"],
    roles: [],
  })),
});

describe("the tenant audit", () => {
  it("audits only environments with Dataverse, or those named (by name or id, any case), and names the unknown ones", () => {
    const all = [environment("Prod"), environment("Test"), environment("Teams only", null)];
    expect(environmentsToAudit(all).audit.map((each) => each.name)).toEqual(["Prod", "Test"]);
    expect(environmentsToAudit(all, ["prod", "TEST-ID", "Nope"])).toEqual({ audit: [all[0], all[1]], unknown: ["Nope"] });
  });

  it("audits at most `concurrency` environments at once, and one failure never stops the others", async () => {
    let inFlight = 0;
    let most = 0;
    const done: string[] = [];
    const outcomes: EnvironmentAudit[] = [];
    await auditEnvironments(
      ["A", "B", "C", "D", "E", "F"].map((name) => environment(name)),
      {
        concurrency: 2,
        audit: async (each) => {
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight--;
          if (each.name === "C") throw new Error("403: The user is not a member of the organization.");
          return { report: report(each.name), requests: 4 };
        },
        onDone: (outcome) => {
          done.push(outcome.environment.name);
          outcomes.push(outcome);
        },
      },
    );
    expect(most).toBe(2);
    expect(done.sort()).toEqual(["A", "B", "C", "D", "E", "F"]);
    expect(outcomes.find((outcome) => outcome.environment.name === "C")).toMatchObject({
      status: "failed",
      problem: "403: The user is not a member of the organization.",
    });
    expect(outcomes.filter((outcome) => outcome.status === "read")).toHaveLength(5);
  });
});

describe("the tenant reports", () => {
  const read: EnvironmentAudit = { environment: environment("Prod"), status: "read", report: report("Prod"), requests: 4 };
  const failed: EnvironmentAudit = { environment: environment("Finance"), status: "failed", problem: "403: not a member", requests: 0 };

  it("write JSON one environment per line, every account with its environment, and resume from an interrupted file", () => {
    const line = JSON.parse(environmentJson(read)) as { accounts: Record<string, string>[] };
    expect(line.accounts[0]).toMatchObject({
      environmentName: "Prod",
      environmentId: "prod-id",
      environmentUrl: "https://prod.crm.dynamics.com",
      environmentType: "Production",
      fullname: "Prod non-compliant",
    });
    const dir = mkdtempSync(join(tmpdir(), "svcacct-resume-"));
    try {
      const file = join(dir, "partial.json");
      // Interrupted: no closing line, the last environment cut short.
      writeFileSync(
        file,
        `${TENANT_JSON_OPEN("2026-12-03T00:00:00Z")}${environmentJson(read)},\n${environmentJson(failed)},\n${environmentJson(read).slice(0, 40)}`,
      );
      const resumed = resumedEnvironments(file);
      expect(resumed).toHaveLength(1);
      expect(resumed[0]).toMatchObject({
        environment: read.environment,
        status: "read",
        report: read.status === "read" ? read.report : {},
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("write CSV with the environment on every row, and an environment not read as one row saying why", () => {
    const lines = environmentCsv(read, true).trim().split("\n");
    expect(lines[0]).toMatch(/^environmentName,environmentId,environmentUrl,environmentType,systemuserid,fullname,/);
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).every((row) => row.startsWith("Prod,prod-id,https://prod.crm.dynamics.com,Production,"))).toBe(true);
    expect(environmentCsv(failed, false)).toBe(
      "Finance,finance-id,https://finance.crm.dynamics.com,Production,not read: 403: not a member\n",
    );
  });

  it("write one self-contained HTML page whose figures are the reports', which no name can run code in", () => {
    const hostile: EnvironmentAudit = {
      environment: { ...environment("Prod"), name: '<img src=x onerror="alert(1)">' },
      status: "read",
      report: report("<script>alert(2)</script>"),
      requests: 4,
    };
    const html = formatTenantHtml([hostile, failed], "2026-12-03T00:00:00Z");
    expect(html).not.toMatch(/<img src=x/);
    expect(html).not.toContain("<script>alert(2)</script>");
    expect(html).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62;");
    expect(html).not.toMatch(/<(link|img|iframe)\b|https?:\/\/(?!prod\.crm)/);
    // The page's own script is the only one the policy lets run.
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1];
    expect(html).toContain(`script-src 'sha256-${createHash("sha256").update(script).digest("base64")}'`);
    expect(html).toMatch(
      /data-read="true" data-compliant="1" data-needs-attention="1" data-non-compliant="1" data-quota-used="6" data-quota-max="7"/,
    );
    expect(html).toContain("Not read: 403: not a member");
  });
});
