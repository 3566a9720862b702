import { execFile } from "child_process";
import { join } from "path";
import { promisify } from "util";
import { evaluate } from "../../src/core/evaluate";
import { DEFAULT_POLICY } from "../../src/core/policy";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { readSnapshot } from "../../src/dataverse/snapshotReader";
import { USERS } from "../../src/emulator/sampleOrg";
import { entraSourceFor } from "../../src/graph/entraReader";
import { HttpGraphClient } from "../../src/graph/httpGraphClient";
import { COMPLIANCE_STATUS_VALUES } from "../../src/webhook/badge";
import { BadgeStamper } from "../../src/webhook/badgeStamper";
import { webhookConfig } from "../../src/webhook/config";
import { englishTexts } from "../../src/webhook/messageTexts";
import { membershipReaders } from "../../src/webhook/roleHolders";
import { createWebhookService } from "../../src/webhook/server";
import { stampServiceAccounts } from "../../src/webhook/stampServiceAccounts";
import { startEmulator, type RunningEmulator } from "../support/emulator";
import { updateEvent } from "../support/webhookPayloads";

const run = promisify(execFile);
const CLI = join(__dirname, "..", "..", "bin", "svcacct.js");
const SECRET = "a-secret-dataverse-sends-with-every-call";
const noToken = () => Promise.resolve(null);

describe("the Entra checks on the server side", () => {
  let dataverse: RunningEmulator;
  beforeAll(async () => (dataverse = await startEmulator()));
  beforeEach(() => dataverse.emulator.reset());
  afterAll(() => dataverse.close());

  const row = (userId: string) => dataverse.emulator.store.get("systemuser", userId)!;
  const verdict = (userId: string) => {
    const text = row(userId).svcacct_entraverdict;
    return typeof text === "string" ? (JSON.parse(text) as { checks: { id: string; status: string }[] }) : null;
  };
  const clients = () => {
    const client = new HttpDataverseClient(dataverse.url, noToken);
    const graph = new HttpGraphClient(`${dataverse.url}/graph`, noToken, { sleep: () => Promise.resolve() });
    return {
      client,
      graph,
      stamper: new BadgeStamper(
        client,
        DEFAULT_POLICY,
        englishTexts(),
        4,
        undefined,
        entraSourceFor(graph, { sleep: () => Promise.resolve() }),
      ),
    };
  };

  it("svcacct stamp decides and stamps every Entra check, in ceil((3 users + 4 apps + 3)/20) Graph batches", async () => {
    const { client, graph, stamper } = clients();
    const summary = await stampServiceAccounts(client, DEFAULT_POLICY, stamper);
    expect(summary.failures).toEqual([]);
    expect(verdict(USERS.compliant)?.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: "password-expiry", status: "pass" }),
        expect.objectContaining({ id: "m365-admin-role", status: "pass" }),
      ]),
    );
    expect(verdict(USERS.forbiddenRole)?.checks).toContainEqual(
      expect.objectContaining({ id: "m365-admin-role", status: "fail", params: { roles: "Global Administrator" } }),
    );
    expect(verdict(USERS.noEmail)?.checks).toContainEqual(
      expect.objectContaining({ id: "password-expiry", status: "fail", params: { days: 90 } }),
    );
    expect(verdict(USERS.licenceStillAssigned)?.checks).toContainEqual(
      expect.objectContaining({ id: "licence-released", status: "warning", params: { count: 1 } }),
    );
    expect(String(row(USERS.forbiddenRole).svcacct_compliancesummary)).toMatch(/admin roles it should not: Global Administrator/);
    expect(row(USERS.compliant).svcacct_entraverdicton).toEqual(expect.any(String));
    expect(verdict(USERS.wrongBusinessUnit)?.checks).toContainEqual(
      expect.objectContaining({ id: "interactive-sign-in", status: "fail", params: { date: { date: expect.any(String) } } }),
    );
    expect(verdict(USERS.forbiddenRole)?.checks).toContainEqual(expect.objectContaining({ id: "recent-use", status: "warning" }));
    expect(verdict(USERS.compliantMarketing)?.checks).toContainEqual(expect.objectContaining({ id: "mfa-policy", status: "warning" }));
    // Application users are held to their app registration: credentials and owner.
    expect(verdict(USERS.applicationUser)?.checks).toEqual([
      expect.objectContaining({ id: "app-credentials", status: "pass" }),
      expect.objectContaining({ id: "app-owner", status: "pass" }),
    ]);
    expect(verdict(USERS.roleManagerApp)?.checks).toEqual([
      expect.objectContaining({ id: "app-credentials", status: "warning", messageKey: "check_appCredentials_expiring" }),
      expect.objectContaining({ id: "app-owner", status: "warning" }),
    ]);
    expect(String(row(USERS.roleManagerApp).svcacct_compliancesummary)).toMatch(/expires on \d{4}-\d{2}-\d{2}/);
    const apps = 2;
    const entraUsers = summary.evaluated - apps;
    expect(graph.counter.count).toBe(Math.ceil((3 * entraUsers + 4 * apps + 3) / 20));

    // Nothing changed: nothing is written the second time.
    const patches = () => dataverse.emulator.requests.filter((request) => request.method === "PATCH").length;
    const before = patches();
    await stampServiceAccounts(client, DEFAULT_POLICY, clients().stamper);
    expect(patches()).toBe(before);
  });

  it("reports a deleted Entra user in words (manual), and still stamps the Dataverse badge", async () => {
    const { client, stamper } = clients();
    await stampServiceAccounts(client, DEFAULT_POLICY, stamper);
    expect(row(USERS.disabled).svcacct_compliancestatus).toBe(COMPLIANCE_STATUS_VALUES["non-compliant"]);
    expect(verdict(USERS.disabled)).toBeNull();
    const snapshot = await readSnapshot(client, USERS.disabled, { isOnPremises: false, actor: null });
    expect(evaluate(snapshot, DEFAULT_POLICY).checks.find((check) => check.id === "password-expiry")?.status).toBe("manual");
  });

  it("the form's one user read brings the stamped verdict: the panel shows it without calling Graph, in the same three requests", async () => {
    const { client, stamper } = clients();
    await stampServiceAccounts(client, DEFAULT_POLICY, stamper);
    const form = new HttpDataverseClient(dataverse.url, noToken);
    const snapshot = await readSnapshot(form, USERS.forbiddenRole, { isOnPremises: false, actor: null });
    expect(form.counter.count).toBe(3);
    expect(snapshot.stampedEntra?.decidedOn).toEqual(expect.any(String));
    const report = evaluate(snapshot, DEFAULT_POLICY);
    expect(report.checks.find((check) => check.id === "m365-admin-role")).toMatchObject({
      status: "fail",
      params: { roles: "Global Administrator" },
    });
  });

  it("the webhook stamps the Entra verdict, and a Graph fault keeps the last verdict and never loses the event", async () => {
    const client = new HttpDataverseClient(dataverse.url, noToken);
    const graph = new HttpGraphClient(`${dataverse.url}/graph`, noToken, { sleep: () => Promise.resolve() });
    const config = {
      ...webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverse.url, GRAPH_URL: `${dataverse.url}/graph` }),
      coalesceWindowMs: 1,
    };
    expect(config.graphUrl).toBe(`${dataverse.url}/graph`);
    const service = createWebhookService(config, {
      client,
      ...membershipReaders(client),
      texts: englishTexts(),
      entra: entraSourceFor(graph, { sleep: () => Promise.resolve() }),
    });
    const address = await service.app.listen({ host: "127.0.0.1", port: 0 });
    const post = (userId: string) =>
      fetch(`${address}/dataverse/events`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-svcacct-key": SECRET },
        body: JSON.stringify(updateEvent(userId)),
      });
    try {
      expect((await post(USERS.forbiddenRole)).status).toBe(200);
      const stamped = row(USERS.forbiddenRole);
      expect(verdict(USERS.forbiddenRole)?.checks).toContainEqual(expect.objectContaining({ id: "m365-admin-role", status: "fail" }));

      // Graph refuses now (permission withdrawn): 200, the verdict and its time stay as they were.
      dataverse.emulator.graph.permissions.delete("User.Read.All");
      dataverse.emulator.store.update("systemuser", USERS.forbiddenRole, { internalemailaddress: null });
      expect((await post(USERS.forbiddenRole)).status).toBe(200);
      const after = row(USERS.forbiddenRole);
      expect(after.svcacct_entraverdict).toBe(stamped.svcacct_entraverdict);
      expect(after.svcacct_entraverdicton).toBe(stamped.svcacct_entraverdicton);
      expect(String(after.svcacct_compliancesummary)).toMatch(/email/i);
      expect(String(after.svcacct_compliancesummary)).toMatch(/Global Administrator/);

      // A user Graph never decided and cannot read now: the Dataverse badge is still stamped.
      expect((await post(USERS.compliant)).status).toBe(200);
      expect(row(USERS.compliant).svcacct_compliancestatus).toBe(COMPLIANCE_STATUS_VALUES.compliant);
      expect(verdict(USERS.compliant)).toBeNull();
    } finally {
      await service.close();
    }
  });

  it("svcacct audit --graph reports every Entra check per service account and application user", async () => {
    const { stdout } = await run("node", [CLI, "audit", "--url", dataverse.url, "--graph", `${dataverse.url}/graph`, "--format", "json"]);
    const report = JSON.parse(stdout) as { accounts: { systemuserid: string; entra?: Record<string, { status: string; text: string }> }[] };
    const account = (id: string) => report.accounts.find((candidate) => candidate.systemuserid === id)!;
    expect(account(USERS.compliant).entra).toMatchObject({
      "password-expiry": { status: "pass" },
      "m365-admin-role": { status: "pass" },
      "licence-released": { status: "pass" },
    });
    expect(account(USERS.forbiddenRole).entra?.["m365-admin-role"]).toMatchObject({
      status: "fail",
      text: expect.stringMatching(/Global Administrator/),
    });
    expect(account(USERS.noEmail).entra?.["password-expiry"]).toMatchObject({ status: "fail", text: expect.stringMatching(/90 days/) });
    expect(account(USERS.licenceStillAssigned).entra?.["licence-released"]).toMatchObject({ status: "warning" });
    expect(account(USERS.disabled).entra?.["password-expiry"]).toMatchObject({
      status: "manual",
      text: expect.stringMatching(/no longer exists/),
    });

    // The four Entra scenarios of the sample tenant, with their wording and dates as plain UTC days.
    expect(account(USERS.wrongBusinessUnit).entra?.["interactive-sign-in"]).toMatchObject({
      status: "fail",
      text: expect.stringMatching(
        /^Someone signs in to this account as a person: interactive sign-in \(or attempt\) on \d{4}-\d{2}-\d{2}\./,
      ),
    });
    expect(account(USERS.forbiddenRole).entra?.["recent-use"]).toMatchObject({
      status: "warning",
      text: expect.stringMatching(/^Unused: no successful sign-in since \d{4}-\d{2}-\d{2}, more than 90 days/),
    });
    expect(account(USERS.compliantMarketing).entra?.["mfa-policy"]).toMatchObject({
      status: "warning",
      text: expect.stringContaining("Excluded from Conditional Access policies that require MFA: “Require MFA for all users”."),
    });
    expect(account(USERS.roleManagerApp).entra).toMatchObject({
      "app-credentials": { status: "warning", text: expect.stringMatching(/expires on \d{4}-\d{2}-\d{2}: renew it/) },
      "app-owner": { status: "warning" },
    });
    expect(account(USERS.compliant).entra).toMatchObject({
      "credential-age": { status: "pass" },
      "interactive-sign-in": { status: "pass" },
      "recent-use": { status: "pass" },
      "mfa-policy": { status: "pass" },
    });

    // --fail-on applies to the verdicts with the Entra checks in them, as without Graph.
    const { stderr: failing } = await run("node", [
      CLI,
      "audit",
      "--url",
      dataverse.url,
      "--graph",
      `${dataverse.url}/graph`,
      "--fail-on",
      "needs-attention",
    ]).then(
      () => ({ stderr: "exit 0" }),
      (error: { code?: number }) => ({ stderr: `exit ${error.code}` }),
    );
    expect(failing).toBe("exit 2");

    const table = await run("node", [CLI, "audit", "--url", dataverse.url, "--graph", `${dataverse.url}/graph`]);
    expect(table.stdout).toMatch(/PASSWORD EXPIRY .*INTERACTIVE SIGN-IN .*MFA POLICY/);
    expect(table.stdout).toMatch(/APP CREDENTIALS +APP OWNER/);
    expect(table.stdout).toMatch(/Sales Connector: Someone signs in to this account as a person/);
    expect(table.stdout).toMatch(/Legacy Import: Microsoft Entra ID: the account holds admin roles it should not: Global Administrator/);

    // Without Graph, the checks stay manual: never passed.
    const { stdout: without } = await run("node", [CLI, "audit", "--url", dataverse.url, "--format", "json"], {
      env: { ...process.env, GRAPH_URL: "", GRAPH_ENABLED: "" },
    });
    const plain = JSON.parse(without) as typeof report;
    expect(plain.accounts.find((candidate) => candidate.systemuserid === USERS.compliant)?.entra?.["password-expiry"]?.status).toBe(
      "manual",
    );
  });
});
