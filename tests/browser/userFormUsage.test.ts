import { join } from "path";
import { USERS } from "../../src/emulator/sampleOrg";
import { SCREENSHOTS } from "./browser";
import { setUpFormSuite } from "./formSuite";

const form = setUpFormSuite();

describe("the User form harness: what runs as the account", () => {
  it("shows ERP Integration's flows, steps and connection references, with links that open them", async () => {
    const page = await form.open(USERS.compliant);
    const section = page.getByTestId("account-usage");
    await section.locator("[data-usage-summary]").waitFor();
    expect(await section.locator("[data-usage-summary]").textContent()).toBe(
      "Cloud flows: 12 (9 on) · Classic workflows: 2 (1 on) · Actions: 1 (1 on) · Plug-in steps: 2 (1 enabled) · Connection references: 3",
    );
    await section.getByRole("button", { name: "Show them" }).click();
    expect(await section.locator('[data-usage="process"]').count()).toBe(15);
    expect(await section.locator('[data-usage="step"]').count()).toBe(2);
    expect(await section.locator('[data-usage="connection-reference"]').count()).toBe(3);
    // A cloud flow opens in Power Automate, in this environment.
    expect(await section.getByRole("link", { name: "Sync orders to ERP" }).getAttribute("href")).toMatch(
      /^https:\/\/make\.powerautomate\.com\/environments\/0e000000-0000-4000-8000-0000000000e1\/flows\/[0-9a-f-]{36}\/details$/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, "usage-erp-integration.png"), fullPage: true });
    // A connection reference opens as its record on the org.
    const reference = section.getByRole("link", { name: "ERP SQL connection" });
    const href = (await reference.getAttribute("href"))!;
    expect(href).toMatch(/\/main\.aspx\?pagetype=entityrecord&etn=connectionreference&id=/);
    const opened = await form.session.newPage();
    try {
      await opened.goto(href);
      expect(await opened.locator("h1[data-record]").textContent()).toBe("ERP SQL connection");
    } finally {
      await opened.close();
    }
  });

  it("names the active flows in the switch-back confirmation", async () => {
    const page = await form.open(USERS.compliant);
    await page.getByTestId("account-usage").locator("[data-usage-summary]").waitFor();
    await page.getByRole("button", { name: "Switch back to interactive" }).click();
    const dialog = page.getByRole("alertdialog");
    // 9 cloud flows, 1 classic workflow, 1 action and 1 enabled plug-in step run now.
    expect(await dialog.textContent()).toContain(
      "12 active flows, workflows, actions and plug-in steps run as this account; they may fail if it can no longer sign in as it does now or loses this access.",
    );
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });

  it("tells a caller without read access on workflows that they are not visible, never zero", async () => {
    const page = await form.open(USERS.compliant, { as: USERS.salesNonAdmin });
    const summary = page.getByTestId("account-usage").locator("[data-usage-summary]");
    await summary.waitFor();
    const text = (await summary.textContent()) ?? "";
    expect(text).toContain("Flows, workflows and actions: not visible to you");
    expect(text).not.toMatch(/Cloud flows: 0/);
  });
});
