import type { Page } from "playwright-core";
import { COMPLIANCE_STATUS_VALUES } from "../../src/core/complianceStatus";
import { USERS } from "../../src/emulator/sampleOrg";
import { openUser, startSession, type Session } from "./browser";

/** WCAG 2.1 A and AA rules of axe-core (https://github.com/dequelabs/axe-core/blob/develop/doc/rule-descriptions.md). */
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const AXE = require.resolve("axe-core/axe.min.js");

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

let session: Session;
const pages: Page[] = [];

beforeAll(async () => {
  session = await startSession();
});
afterAll(() => session.close());
beforeEach(() => session.harness.emulator.reset());
afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
});

/** The serious and critical violations axe finds inside the given parts of the page. */
async function seriousViolations(page: Page, include: string[]): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(
    async ({ include, tags }) => {
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } })
        .axe;
      const context = { include: include.filter((selector) => document.querySelector(selector)).map((selector) => [selector]) };
      return (await axe.run(context, { runOnly: { type: "tag", values: tags } })).violations;
    },
    { include, tags: WCAG_21_AA },
  );
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

const PANEL = ["#control-host"];
/** Fluent renders dialogs in a layer at the end of the body. */
const PANEL_AND_LAYERS = ["#control-host", ".ms-Layer"];

async function ordinaryUser(viewport = { width: 1100, height: 900 }): Promise<Page> {
  const page = await session.newPage(viewport);
  pages.push(page);
  await page.goto(`${session.url}/?user=${USERS.interactive}`);
  await page.getByRole("button", { name: "Make this a service account" }).waitFor();
  return page;
}

async function form(userId: string, viewport?: { width: number; height: number }): Promise<Page> {
  const { page } = await openUser(session, userId, {}, viewport);
  pages.push(page);
  return page;
}

describe("accessibility (axe-core, WCAG 2.1 AA): no serious or critical violation", () => {
  it("on the panel of an ordinary user", async () => {
    expect(await seriousViolations(await ordinaryUser(), PANEL)).toEqual([]);
  });

  it("with the conversion guide open", async () => {
    const page = await form(USERS.interactive);
    await page.getByRole("group", { name: "Make this a service account" }).waitFor();
    expect(await seriousViolations(page, PANEL)).toEqual([]);
  });

  it("on a service account with failures, passed checks unfolded", async () => {
    const page = await form(USERS.forbiddenRole);
    await page.locator("[data-passed-toggle]").click();
    expect(await seriousViolations(page, PANEL)).toEqual([]);
  });

  it("with a confirmation dialog open", async () => {
    const page = await form(USERS.forbiddenRole);
    await page.getByRole("button", { name: "Remove System Administrator" }).click();
    await page.locator('[role="alertdialog"] .ms-Dialog-main').waitFor();
    expect(await seriousViolations(page, PANEL_AND_LAYERS)).toEqual([]);
  });

  it("at phone width", async () => {
    expect(await seriousViolations(await form(USERS.licenceStillAssigned, { width: 360, height: 780 }), PANEL)).toEqual([]);
  });

  it("on the grid customizer's cells", async () => {
    for (const [userId, status] of [
      [USERS.compliant, "compliant"],
      [USERS.licenceStillAssigned, "needs-attention"],
      [USERS.noEmail, "non-compliant"],
      [USERS.interactive, "not-service-account"],
    ] as const) {
      const response = await fetch(`${session.url}/api/data/v9.2/systemusers(${userId})`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          svcacct_compliancestatus: COMPLIANCE_STATUS_VALUES[status],
          svcacct_compliancesummary: status,
          svcacct_compliancecheckedon: "2026-11-28T10:00:00Z",
        }),
      });
      expect(response.ok).toBe(true);
    }
    const page = await session.newPage({ width: 1300, height: 900 });
    pages.push(page);
    await page.goto(`${session.url}/views/service-accounts?all=1`);
    await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
    expect(await seriousViolations(page, ['td[data-rendered-by="customizer"]'])).toEqual([]);
  });
});
