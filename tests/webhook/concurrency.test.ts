import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { USERS } from "../../src/emulator/sampleOrg";
import { COMPLIANCE_STATUS_VALUES } from "../../src/webhook/badge";
import { webhookConfig, type WebhookConfig } from "../../src/webhook/config";
import { englishTexts } from "../../src/webhook/messageTexts";
import { membershipReaders } from "../../src/webhook/roleHolders";
import { createWebhookService, type WebhookService } from "../../src/webhook/server";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { updateEvent } from "../support/webhookPayloads";

const SECRET = "a-secret-dataverse-sends-with-every-call";
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the webhook under bursts and beside other instances", () => {
  let dataverse: RunningEmulator;
  const running: WebhookService[] = [];

  const start = async (config: Partial<WebhookConfig> = {}) => {
    const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null), { sleep: () => Promise.resolve() });
    const service = createWebhookService(
      { ...webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverse.url }), ...config },
      { client, ...membershipReaders(client), texts: englishTexts() },
    );
    running.push(service);
    return service.app.listen({ host: "127.0.0.1", port: 0 });
  };
  const post = async (address: string, body: unknown) => {
    const response = await fetch(`${address}/dataverse/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-svcacct-key": SECRET },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const status = (userId: string) => dataverse.emulator.store.get("systemuser", userId)?.svcacct_compliancestatus;

  beforeAll(async () => (dataverse = await startEmulator()));
  beforeEach(() => dataverse.emulator.reset());
  afterEach(async () => {
    await Promise.all(running.splice(0).map((service) => service.close()));
  });
  afterAll(() => dataverse?.close());

  it("answers 200 Update events for 10 users arriving within one coalescing window with at most 2 Dataverse requests per user on average", async () => {
    // A window wider than the default 1 s, so the burst arrives within it even when other work slows the sender.
    const address = await start({ coalesceWindowMs: 3000 });
    const users = [
      USERS.admin,
      USERS.salesNonAdmin,
      USERS.compliant,
      USERS.compliantMarketing,
      USERS.wrongBusinessUnit,
      USERS.licenceStillAssigned,
      USERS.noEmail,
      USERS.forbiddenRole,
      USERS.disabled,
      USERS.interactive,
    ];
    dataverse.emulator.requests.length = 0;
    // Spread over half a second.
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) => later(index * 2.5).then(() => post(address, updateEvent(users[index % users.length])))),
    );
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    // Every badge was new: one read and one write per user is the least possible.
    expect(dataverse.emulator.requests.length / users.length).toBeLessThanOrEqual(2);
    expect(users.map(status).every((value) => value !== undefined)).toBe(true);
  });

  it("two instances receiving interleaved events for the same user end with the right badge", async () => {
    const [a, b] = await Promise.all([start({ coalesceWindowMs: 5 }), start({ coalesceWindowMs: 5 })]);
    const user = USERS.compliant;
    const change = (columns: Record<string, unknown>) => dataverse.emulator.store.update("systemuser", user, columns);

    expect((await post(a, updateEvent(user))).status).toBe(200);
    expect(status(user)).toBe(COMPLIANCE_STATUS_VALUES.compliant);

    change({ islicensed: true });
    expect((await post(b, updateEvent(user, { islicensed: true }))).status).toBe(200);
    expect(status(user)).toBe(COMPLIANCE_STATUS_VALUES["needs-attention"]);

    // A change from a long transaction reaches A, whose own last evaluation came after the job was created.
    change({ internalemailaddress: "" });
    expect(
      (await post(a, { ...updateEvent(user, { internalemailaddress: "" }), OperationCreatedOn: `/Date(${Date.now() - 5_000})/` })).status,
    ).toBe(200);
    expect(status(user)).toBe(COMPLIANCE_STATUS_VALUES["non-compliant"]);

    // Both evaluate the same change at once; A's write is slow, and the user changes again before it
    // lands: A's write meets a newer row (412), re-reads it and decides again.
    change({ internalemailaddress: "sync@contoso.com", islicensed: false });
    dataverse.emulator.faults.add({ method: "PATCH", latencyMs: 300, times: 1 });
    const both = [post(a, updateEvent(user)), later(30).then(() => post(b, updateEvent(user)))];
    await later(150);
    change({ isdisabled: true });
    const last = post(b, updateEvent(user, { isdisabled: true }));
    expect((await Promise.all([...both, last])).map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(status(user)).toBe(COMPLIANCE_STATUS_VALUES["non-compliant"]);
    expect(dataverse.emulator.store.get("systemuser", user)?.svcacct_compliancesummary).toContain("disabled");
  });
});
