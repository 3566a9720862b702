import { evaluate } from "../../src/core/evaluate";
import { DEFAULT_POLICY, watchedPrivileges } from "../../src/core/policy";
import type { OverallStatus } from "../../src/core/report";
import { buildAuditReport } from "../../src/cli/auditReport";
import { readServiceAccountSnapshots } from "../../src/dataverse-node/auditReader";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { readSnapshot } from "../../src/dataverse/snapshotReader";
import { sampleOrg } from "../../src/emulator/sampleOrg";
import { BadgeStamper } from "../../src/webhook/badgeStamper";
import { COMPLIANCE_STATUS_VALUES } from "../../src/webhook/badge";
import { webhookConfig } from "../../src/webhook/config";
import { englishTexts } from "../../src/webhook/messageTexts";
import { membershipReaders } from "../../src/webhook/roleHolders";
import { createWebhookService } from "../../src/webhook/server";
import { stampServiceAccounts } from "../../src/webhook/stampServiceAccounts";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { updateEvent } from "../support/webhookPayloads";

const SECRET = "a-secret-dataverse-sends-with-every-call";
const STATUS_OF_VALUE = new Map(Object.entries(COMPLIANCE_STATUS_VALUES).map(([status, value]) => [value, status as OverallStatus]));

/**
 * One policy, four places: the form's reader (what the panel evaluates), the audit, the heal's badges
 * and the webhook's badges must say the same of every user of the sample org, whose accounts hold roles
 * directly, through owner and Entra group teams, and privileges through custom roles.
 */
describe("one verdict per user, wherever it is decided", () => {
  let dataverse: RunningEmulator;
  beforeAll(async () => (dataverse = await startEmulator()));
  afterAll(() => dataverse?.close());

  const ids = sampleOrg().systemusers.map((user) => String(user.systemuserid));
  const client = () => new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
  const badges = () =>
    new Map(
      ids.map((id) => [
        id,
        STATUS_OF_VALUE.get(dataverse.emulator.store.get("systemuser", id)?.svcacct_compliancestatus as number) ?? "not-service-account",
      ]),
    );

  it("the panel, the audit, the heal and the webhook agree on every sample user", async () => {
    const facts = { isOnPremises: false, actor: null };
    const panel = new Map<string, OverallStatus>();
    for (const id of ids)
      panel.set(id, evaluate(await readSnapshot(client(), id, facts, undefined, watchedPrivileges(DEFAULT_POLICY)), DEFAULT_POLICY).status);

    const report = buildAuditReport(await readServiceAccountSnapshots(client(), DEFAULT_POLICY), DEFAULT_POLICY);
    const audited = new Map(report.accounts.map((account) => [account.systemuserid, account.status as OverallStatus]));
    const audit = new Map(ids.map((id) => [id, audited.get(id) ?? "not-service-account"]));

    dataverse.emulator.reset();
    await stampServiceAccounts(client(), DEFAULT_POLICY, new BadgeStamper(client(), DEFAULT_POLICY, englishTexts()));
    const heal = badges();

    dataverse.emulator.reset();
    const http = client();
    const service = createWebhookService(
      { ...webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverse.url, RECONCILE_EVERY: "off" }), coalesceWindowMs: 5 },
      { client: http, ...membershipReaders(http), texts: englishTexts() },
    );
    const address = await service.app.listen({ host: "127.0.0.1", port: 0 });
    try {
      for (const id of ids) {
        const response = await fetch(`${address}/dataverse/events`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-svcacct-key": SECRET },
          body: JSON.stringify(updateEvent(id)),
        });
        expect(response.status).toBe(200);
      }
    } finally {
      await service.close();
    }
    const webhook = badges();

    expect(audit).toEqual(panel);
    expect(heal).toEqual(panel);
    expect(webhook).toEqual(panel);
    // The accounts that only team roles and privileges make non-compliant are among them.
    expect([...panel.values()].filter((status) => status === "non-compliant")).toHaveLength(7);
  });
});
