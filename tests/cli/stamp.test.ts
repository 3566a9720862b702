import { DEFAULT_POLICY } from "../../src/core/policy";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { roleId, USERS } from "../../src/emulator/sampleOrg";
import { COMPLIANCE_STATUS_VALUES } from "../../src/webhook/badge";
import { BadgeStamper } from "../../src/webhook/badgeStamper";
import { webhookConfig } from "../../src/webhook/config";
import { englishTexts } from "../../src/webhook/messageTexts";
import { createWebhookService } from "../../src/webhook/server";
import { stampServiceAccounts } from "../../src/webhook/stampServiceAccounts";
import { CLI, run } from "../support/cli";
import { startEmulator, type RunningEmulator } from "../support/emulator";

describe("svcacct stamp: the heal", () => {
  let dataverse: RunningEmulator;
  beforeAll(async () => (dataverse = await startEmulator()));
  beforeEach(() => dataverse.emulator.reset());
  afterAll(() => dataverse?.close());

  const status = (userId: string) => dataverse.emulator.store.get("systemuser", userId)?.svcacct_compliancestatus;
  const stamp = (dryRun = false) => {
    const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
    return stampServiceAccounts(client, DEFAULT_POLICY, new BadgeStamper(client, DEFAULT_POLICY, englishTexts()), { dryRun }).then(
      (summary) => ({ summary, requests: client.counter.count }),
    );
  };

  it("writes every changed badge with the audit's reads plus one write each, and nothing the second time", async () => {
    const first = await stamp();
    expect(first.summary).toMatchObject({ evaluated: 10, stamped: 10, unchanged: 0, failures: [] });
    // The audit's 4 reads (its accounts query also brings the stale badges), 10 writes.
    expect(first.requests).toBe(4 + 10);
    expect(status(USERS.licenceStillAssigned)).toBe(COMPLIANCE_STATUS_VALUES["needs-attention"]);
    expect(status(USERS.interactive)).toBeUndefined();
    const second = await stamp();
    expect(second.summary).toMatchObject({ evaluated: 10, stamped: 0, unchanged: 10 });
    expect(second.requests).toBe(4);
  });

  it("heals a badge whose event was lost, including a user who stopped being a service account", async () => {
    await stamp();
    // Missed events: a licence assigned, and Ivan lost the service role (he is interactive).
    dataverse.emulator.store.update("systemuser", USERS.compliant, { islicensed: true });
    dataverse.emulator.store.disassociate(USERS.interactiveWithServiceRole, roleId("Integration Service Account"));
    const healed = await stamp();
    expect(healed.summary).toMatchObject({ evaluated: 10, stamped: 2 });
    expect(status(USERS.compliant)).toBe(COMPLIANCE_STATUS_VALUES["needs-attention"]);
    expect(status(USERS.interactiveWithServiceRole)).toBe(COMPLIANCE_STATUS_VALUES["not-service-account"]);
  });

  it("writes nothing in a dry run, and says what would change", async () => {
    const { summary } = await stamp(true);
    expect(summary).toMatchObject({ evaluated: 10, stamped: 10 });
    expect(dataverse.emulator.requests.filter((request) => request.method === "PATCH")).toEqual([]);
  });

  it("runs as a command, with --dry-run", async () => {
    const dry = await run("node", [CLI, "stamp", "--url", dataverse.url, "--dry-run"]);
    expect(dry.stderr).toContain("10 accounts evaluated: 10 badges would change, 0 unchanged, 0 failed");
    expect(status(USERS.compliant)).toBeUndefined();
    const real = await run("node", [CLI, "stamp", "--url", dataverse.url]);
    expect(real.stderr).toContain("10 badges changed");
    expect(status(USERS.compliant)).toBe(COMPLIANCE_STATUS_VALUES.compliant);
  });

  it("runs on the webhook's schedule, every 6 hours unless RECONCILE_EVERY says otherwise", async () => {
    expect(
      webhookConfig({ WEBHOOK_SECRET: "a-secret-of-at-least-thirty-two-characters", DATAVERSE_URL: dataverse.url }).reconcileEveryMs,
    ).toBe(6 * 3600 * 1000);
    jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
    try {
      const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
      const config = {
        ...webhookConfig({
          WEBHOOK_SECRET: "a-secret-of-at-least-thirty-two-characters",
          DATAVERSE_URL: dataverse.url,
          RECONCILE_EVERY: "2h",
        }),
        coalesceWindowMs: 0,
      };
      expect(config.reconcileEveryMs).toBe(2 * 3600 * 1000);
      const service = createWebhookService(config, {
        client,
        roleHolders: () => Promise.resolve([]),
        teamMembers: () => Promise.resolve([]),
        texts: englishTexts(),
      });
      jest.advanceTimersByTime(2 * 3600 * 1000);
      jest.advanceTimersByTime(1);
      jest.useRealTimers();
      await service.close(); // finishes the heal the schedule started
      expect(status(USERS.compliant)).toBe(COMPLIANCE_STATUS_VALUES.compliant);
    } finally {
      jest.useRealTimers();
    }
  });
});
