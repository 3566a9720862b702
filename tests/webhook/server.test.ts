import { Writable } from "stream";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { SDKMESSAGEFILTER, SDKMESSAGEPROCESSINGSTEP } from "../../src/emulator/metadata";
import { roleId, TEAMS, USERS } from "../../src/emulator/sampleOrg";
import { COMPLIANCE_STATUS_VALUES } from "../../src/webhook/badge";
import { webhookConfig } from "../../src/webhook/config";
import { englishTexts } from "../../src/webhook/messageTexts";
import { registerWebhook } from "../../src/webhook/registration";
import { membershipReaders } from "../../src/webhook/roleHolders";
import { createWebhookService, type WebhookService } from "../../src/webhook/server";
import { BASE, startEmulator, type RunningEmulator } from "../support/emulator";
import { associateEvent, strippedEvent, updateEvent } from "../support/webhookPayloads";

const SECRET = "a-secret-dataverse-sends-with-every-call";

describe("the webhook service", () => {
  let dataverse: RunningEmulator;
  let service: WebhookService;
  let url: string;

  const start = async (overrides: Record<string, string> = {}) => {
    const config = {
      ...webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverse.url, ...overrides }),
      timeoutMs: 5000,
      coalesceWindowMs: 5,
    };
    const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null), { sleep: () => Promise.resolve() });
    const created = createWebhookService(config, { client, ...membershipReaders(client), texts: englishTexts() });
    const address = await created.app.listen({ host: "127.0.0.1", port: 0 });
    return { created, address };
  };

  beforeAll(async () => {
    dataverse = await startEmulator();
    ({ created: service, address: url } = await start());
  });
  beforeEach(() => dataverse.emulator.reset());
  afterAll(async () => {
    await service?.close();
    await dataverse?.close();
  });

  const post = (body: unknown, headers: Record<string, string> = { "x-svcacct-key": SECRET }, path = "/dataverse/events", target = url) =>
    fetch(`${target}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const badge = (userId: string) => {
    const row = dataverse.emulator.store.get("systemuser", userId) ?? {};
    return { status: row.svcacct_compliancestatus, summary: row.svcacct_compliancesummary, checkedOn: row.svcacct_compliancecheckedon };
  };

  it("stamps the badge of the user an Update names", async () => {
    const response = await post(updateEvent(USERS.noEmail));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ evaluated: 1, stamped: 1 });
    expect(badge(USERS.noEmail)).toMatchObject({
      status: COMPLIANCE_STATUS_VALUES["non-compliant"],
      summary: "No primary email. Vendors need a working mailbox address for alerts and sign-in recovery.",
      checkedOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it("writes nothing when the badge has not changed, so it never triggers itself", async () => {
    await post(updateEvent(USERS.compliant));
    const writes = () => dataverse.emulator.requests.filter((r) => r.method === "PATCH").length;
    const before = writes();
    const response = await post(updateEvent(USERS.compliant));
    expect(await response.json()).toEqual({ evaluated: 1, stamped: 0 });
    expect(writes()).toBe(before);
    expect(badge(USERS.compliant).status).toBe(COMPLIANCE_STATUS_VALUES.compliant);
  });

  it("evaluates every event after it arrived, whatever its OperationCreatedOn says", async () => {
    await post(updateEvent(USERS.compliant));
    expect(badge(USERS.compliant).status).toBe(COMPLIANCE_STATUS_VALUES.compliant);
    // A long transaction (a $batch change set, slow plug-ins): its system job was created a minute
    // before it committed, so OperationCreatedOn predates the evaluation above, which read the old row.
    dataverse.emulator.store.update("systemuser", USERS.compliant, { internalemailaddress: "" });
    const late = { ...updateEvent(USERS.compliant), OperationCreatedOn: `/Date(${Date.now() - 60_000})/` };
    expect(await (await post(late)).json()).toEqual({ evaluated: 1, stamped: 1 });
    expect(badge(USERS.compliant).status).toBe(COMPLIANCE_STATUS_VALUES["non-compliant"]);
  });

  it("gives an event that arrives during its user's evaluation a follow-up evaluation that reads the change", async () => {
    await post(updateEvent(USERS.compliant));
    dataverse.emulator.store.update("systemuser", USERS.compliant, { islicensed: true });
    // This evaluation reads the licence, then its write is slow.
    dataverse.emulator.faults.add({ method: "PATCH", latencyMs: 300, times: 1 });
    const patches = () => dataverse.emulator.requests.filter((request) => request.method === "PATCH").length;
    const patchesBefore = patches();
    const first = post(updateEvent(USERS.compliant, { islicensed: true }));
    // Until its write has reached Dataverse, the evaluation has read everything it will read.
    while (patches() === patchesBefore) await new Promise((resolve) => setTimeout(resolve, 5));
    // Meanwhile the service role is taken away (the user row and its ETag stay as they were), in a
    // transaction whose system job was created long before it committed.
    dataverse.emulator.store.disassociate(USERS.compliant, roleId("Integration Service Account"));
    const removal = associateEvent("Disassociate", { logicalName: "systemuser", id: USERS.compliant }, [
      { logicalName: "role", id: roleId("Integration Service Account") },
    ]);
    const second = post({ ...removal, OperationCreatedOn: `/Date(${Date.now() - 10_000})/` });
    expect(await (await first).json()).toEqual({ evaluated: 1, stamped: 1 });
    expect(await (await second).json()).toEqual({ evaluated: 1, stamped: 1 });
    expect(badge(USERS.compliant)).toMatchObject({
      status: COMPLIANCE_STATUS_VALUES["non-compliant"],
      summary: expect.stringContaining("Integration Service Account"),
    });
  });

  it("re-evaluates the users of a role association, from either side", async () => {
    dataverse.emulator.store.disassociate(USERS.compliant, roleId("Integration Service Account"));
    await post(
      associateEvent("Disassociate", { logicalName: "role", id: roleId("Integration Service Account") }, [
        { logicalName: "systemuser", id: USERS.compliant },
      ]),
    );
    expect(badge(USERS.compliant).status).toBe(COMPLIANCE_STATUS_VALUES["non-compliant"]);
  });

  it("re-reads the holders of a role when Dataverse stripped the payload for size", async () => {
    const response = await post(strippedEvent("Associate", "role", roleId("Integration Service Account")), {
      "x-svcacct-key": SECRET,
      "x-ms-dynamics-msg-size-exceeded": "",
    });
    expect(response.status).toBe(200);
    expect((await response.json()) as { evaluated: number }).toMatchObject({ evaluated: 10 });
    expect(badge(USERS.licenceStillAssigned).status).toBe(COMPLIANCE_STATUS_VALUES["needs-attention"]);
  });

  it("stamps the user of an Update whose Target is given by alternate key", async () => {
    const body = updateEvent(USERS.noEmail);
    const target = (body.InputParameters as { value: Record<string, unknown> }[])[0].value;
    target.Id = "00000000-0000-0000-0000-000000000000";
    target.KeyAttributes = [{ key: "domainname", value: "noemail@contoso.com" }];
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ evaluated: 1, stamped: 1 });
    expect(badge(USERS.noEmail).status).toBe(COMPLIANCE_STATUS_VALUES["non-compliant"]);
  });

  it("re-evaluates every service account, paged like the audit, for a stripped association whose table cannot be told", async () => {
    const stripped = { ...strippedEvent("Disassociate", "none", "00000000-0000-0000-0000-000000000000") };
    const response = await post(stripped, { "x-svcacct-key": SECRET, "x-ms-dynamics-msg-size-exceeded": "" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ evaluated: 10, stamped: 10 });
    expect(badge(USERS.interactiveWithServiceRole).status).toBe(COMPLIANCE_STATUS_VALUES["non-compliant"]);
    expect(badge(USERS.interactive).status).toBeUndefined(); // not a service account, never badged
    // The audit's paged reads and one write per badge, never one read per user.
    expect(dataverse.emulator.requests.filter((r) => r.method === "GET").length).toBeLessThanOrEqual(6);
  });

  it("reads the capacity for an interactive holder of the service role whose summary mentions it", async () => {
    // Fill the last non-interactive slot: converting this user is now blocked, and the summary says why.
    dataverse.emulator.store.update("systemuser", USERS.interactive, { accessmode: 4 });
    const response = await post(updateEvent(USERS.interactiveWithServiceRole, { internalemailaddress: "ivan.sync@contoso.com" }));
    expect(response.status).toBe(200);
    const { summary } = badge(USERS.interactiveWithServiceRole);
    expect(summary).toContain("All 7 non-interactive slots are in use (7).");
    expect(summary).not.toContain("could not be read");
  });

  it("acknowledges events it does not handle without touching Dataverse", async () => {
    const before = dataverse.emulator.requests.length;
    const response = await post(
      associateEvent(
        "Associate",
        { logicalName: "team", id: USERS.admin },
        [{ logicalName: "fieldsecurityprofile", id: USERS.compliant }],
        "teamprofiles_association",
      ),
    );
    expect(response.status).toBe(200);
    expect(dataverse.emulator.requests.length).toBe(before);
  });

  it.each([
    ["no secret", {}],
    ["a wrong secret", { "x-svcacct-key": `${SECRET}x` }],
    ["the secret under another header", { "x-other": SECRET }],
    ["a prefix of the secret", { "x-svcacct-key": SECRET.slice(0, 8) }],
    ["no secret but Dataverse's size-exceeded header", { "x-ms-dynamics-msg-size-exceeded": "" }],
    ["a wrong secret and the size-exceeded header", { "x-svcacct-key": "wrong", "x-ms-dynamics-msg-size-exceeded": "" }],
  ])("answers 401 to a call with %s and does nothing", async (_name, headers) => {
    const before = dataverse.emulator.requests.length;
    expect((await post(updateEvent(USERS.noEmail), headers)).status).toBe(401);
    expect(dataverse.emulator.requests.length).toBe(before);
  });

  it("accepts ?code= when configured for a WebhookKey, and only that", async () => {
    const { created, address } = await start({ WEBHOOK_AUTH: "code" });
    try {
      expect((await post(updateEvent(USERS.noEmail), {}, `/dataverse/events?code=${SECRET}`, address)).status).toBe(200);
      expect((await post(updateEvent(USERS.noEmail), { "x-svcacct-key": SECRET }, "/dataverse/events", address)).status).toBe(401);
    } finally {
      await created.close();
    }
  });

  it("answers 400 with a reason to a malformed event", async () => {
    const response = await post({ MessageName: "Update", PrimaryEntityName: "systemuser", PrimaryEntityId: "nope" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "PrimaryEntityId is not a GUID" });
    expect((await post("{ truncated")).status).toBe(400);
  });

  it("answers 503, never 2xx, when Dataverse cannot be read, and 200 on Dataverse's retry", async () => {
    dataverse.emulator.faults.add({ method: "GET", path: "^systemusers", status: 500, times: 1 });
    expect((await post(updateEvent(USERS.noEmail))).status).toBe(503);
    expect(badge(USERS.noEmail).status).toBeUndefined();
    expect((await post(updateEvent(USERS.noEmail))).status).toBe(200);
  });

  it("answers 503 when Dataverse is unreachable", async () => {
    dataverse.emulator.faults.add({ network: true, times: 1 });
    expect((await post(updateEvent(USERS.noEmail))).status).toBe(503);
  });

  it("logs structured JSON with the request id (x-request-id) and the correlation id, and never the secret", async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(chunk.toString()), done()) });
    const config = {
      ...webhookConfig({ WEBHOOK_SECRET: SECRET, DATAVERSE_URL: dataverse.url, WEBHOOK_AUTH: "code" }),
      coalesceWindowMs: 1,
    };
    const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
    const logged = createWebhookService(config, {
      client,
      roleHolders: () => Promise.resolve([]),
      teamMembers: () => Promise.resolve([]),
      texts: englishTexts(),
      logger: true,
      logStream: stream,
    });
    const address = await logged.app.listen({ host: "127.0.0.1", port: 0 });
    await post(
      updateEvent(USERS.noEmail),
      { "x-ms-correlation-request-id": "corr-1234", "x-request-id": "req-1" },
      `/dataverse/events?code=${SECRET}`,
      address,
    );
    await post(
      updateEvent(USERS.noEmail),
      { "x-ms-correlation-request-id": "corr-5678" },
      "/dataverse/events?code=wrong-secret-value",
      address,
    );
    await logged.close();
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(
      entries.some((entry) => entry.correlationId === "corr-1234" && entry.requestId === "req-1" && entry.msg === "event processed"),
    ).toBe(true);
    expect(
      entries.some(
        (entry) =>
          entry.correlationId === "corr-5678" && typeof entry.requestId === "string" && entry.msg === "unauthenticated call refused",
      ),
    ).toBe(true);
    expect(lines.join("")).not.toContain(SECRET);
    expect(lines.join("")).not.toContain("wrong-secret-value");
  });

  it("reports readiness", async () => {
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: "ready", pendingUsers: 0 });
  });

  it("finishes in-flight work when stopped, then refuses", async () => {
    const { created, address } = await start();
    dataverse.emulator.faults.add({ latencyMs: 300, times: 1 });
    const inFlight = post(updateEvent(USERS.noEmail), { "x-svcacct-key": SECRET }, "/dataverse/events", address);
    // Stop once the evaluation is under way (its read is held by the latency).
    while (!dataverse.emulator.requests.some((request) => request.method === "GET")) await new Promise((resolve) => setTimeout(resolve, 5));
    await created.close();
    expect((await inFlight).status).toBe(200);
    expect(badge(USERS.noEmail).status).toBe(COMPLIANCE_STATUS_VALUES["non-compliant"]);
    await expect(fetch(`${address}/health`)).rejects.toThrow();
  });

  describe("end to end: registered in the emulator, called by it", () => {
    it("a mode change and a role change through the Web API end with the right badge", async () => {
      const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
      const registration = await registerWebhook(client, {
        endpointUrl: `${url}/dataverse/events`,
        secret: SECRET,
        auth: "header",
        header: "x-svcacct-key",
        solutionUniqueName: "ServiceAccountCompliance",
      });
      expect(registration.steps.map((step) => step.action)).toEqual(["created", "created", "created", "created", "created", "created"]);

      // An admin makes Ivan non-interactive through the Web API: Dataverse calls the webhook.
      await fetch(`${dataverse.url}${BASE}systemusers(${USERS.interactiveWithServiceRole})`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ accessmode: 4 }),
      });
      await dataverse.emulator.webhooks.settle();
      expect(dataverse.emulator.webhooks.jobs).toEqual([
        expect.objectContaining({ messageName: "Update", status: "succeeded", httpStatus: 200 }),
      ]);
      expect(badge(USERS.interactiveWithServiceRole)).toMatchObject({
        status: COMPLIANCE_STATUS_VALUES["needs-attention"],
        summary: expect.stringContaining("Still has a licence."),
      });

      // Then someone gives him System Administrator.
      await fetch(`${dataverse.url}${BASE}systemusers(${USERS.interactiveWithServiceRole})/systemuserroles_association/$ref`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ "@odata.id": `${dataverse.url}${BASE}roles(${roleId("System Administrator")})` }),
      });
      await dataverse.emulator.webhooks.settle();
      expect(badge(USERS.interactiveWithServiceRole)).toMatchObject({
        status: COMPLIANCE_STATUS_VALUES["non-compliant"],
        summary: expect.stringContaining("Holds forbidden roles: System Administrator (assigned directly)."),
      });

      // Registering again updates what is there, and keeps it in the solution.
      const again = await registerWebhook(client, {
        endpointUrl: `${url}/dataverse/events`,
        secret: SECRET,
        auth: "header",
        header: "x-svcacct-key",
        solutionUniqueName: "ServiceAccountCompliance",
      });
      expect(again.endpoint).toEqual({ id: registration.endpoint.id, action: "updated" });
      expect(dataverse.emulator.store.solutionComponents.map((c) => c.componentType).sort()).toEqual([92, 92, 92, 92, 92, 92, 95]);
      const endpoint = await (
        await fetch(`${dataverse.url}${BASE}serviceendpoints(${registration.endpoint.id})?$select=authvalue,url`)
      ).json();
      expect(endpoint.authvalue).toBeNull(); // write-only
    });

    const register = (client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null))) =>
      registerWebhook(client, {
        endpointUrl: `${url}/dataverse/events`,
        secret: SECRET,
        auth: "header",
        header: "x-svcacct-key",
        solutionUniqueName: "ServiceAccountCompliance",
      });
    const stepFilters = () =>
      Object.fromEntries(
        // The product's own steps: the org has others (a vendor's plug-in steps impersonating ERP Integration).
        [...dataverse.emulator.store.rows(SDKMESSAGEPROCESSINGSTEP)]
          .filter((step) => String(step.name).startsWith("Service Account Compliance: "))
          .map((step) => {
            const filter =
              typeof step.sdkmessagefilterid === "string"
                ? dataverse.emulator.store.get("sdkmessagefilter", step.sdkmessagefilterid)
                : undefined;
            return [String(step.name).replace("Service Account Compliance: ", ""), filter ? String(filter.primaryobjecttypecode) : null];
          }),
      );

    it("binds Create and Update to their systemuser filters, Associate and Disassociate to the message's `none` filter, AddMembersTeam and RemoveMembersTeam to team", async () => {
      await register();
      expect(stepFilters()).toEqual({
        "Create of systemuser": "systemuser",
        "Update of systemuser": "systemuser",
        Associate: "none",
        Disassociate: "none",
        AddMembersTeam: "team",
        RemoveMembersTeam: "team",
      });
    });

    it("refuses a message whose filter takes no plug-in steps, saying which", async () => {
      for (const filter of [...dataverse.emulator.store.rows(SDKMESSAGEFILTER)])
        if (filter.primaryobjecttypecode === "team")
          dataverse.emulator.store.update("sdkmessagefilter", String(filter.sdkmessagefilterid), { iscustomprocessingstepallowed: false });
      await expect(register()).rejects.toThrow("The org has no AddMembersTeam message filter for team that takes plug-in steps.");
    });

    it("binds an Associate or Disassociate step to no filter where the message has none", async () => {
      for (const filter of [...dataverse.emulator.store.rows(SDKMESSAGEFILTER)])
        if (filter.primaryobjecttypecode === "none") dataverse.emulator.store.remove("sdkmessagefilter", String(filter.sdkmessagefilterid));
      await register();
      expect(stepFilters()).toMatchObject({ Associate: null, Disassociate: null });
    });

    it("learns of team changes through the webhook alone: a group member signing in and out, owner team members, a team's roles", async () => {
      await register();
      const send = (method: string, path: string, body?: unknown) =>
        fetch(`${dataverse.url}${path.startsWith("/_") ? "" : BASE}${path}`, {
          method,
          ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
        });
      const after = async (change: () => Promise<Response>) => {
        expect((await change()).ok).toBe(true);
        await dataverse.emulator.webhooks.settle();
        return badge(USERS.compliant);
      };
      const member = { "@odata.type": "Microsoft.Dynamics.CRM.systemuser", ownerid: USERS.compliant };
      const systemCustomizer = `${dataverse.url}${BASE}roles(${roleId("System Customizer")})`;

      // Dataverse adds an Entra group member to the group team when they sign in, and takes them out after they left the group.
      const signIn = (joins: boolean) => () =>
        send("POST", `/_emulator/group-teams/${TEAMS.dataverseAdmins}/sign-in`, { userId: USERS.compliant, member: joins });
      expect(await after(signIn(true))).toMatchObject({
        status: COMPLIANCE_STATUS_VALUES["non-compliant"],
        summary: expect.stringContaining("System Administrator (through the Microsoft Entra group team Dataverse Admins)"),
      });
      expect((await after(signIn(false))).status).toBe(COMPLIANCE_STATUS_VALUES.compliant);

      const legacyAdmins = (action: string) => () =>
        send("POST", `teams(${TEAMS.legacyAdmins})/Microsoft.Dynamics.CRM.${action}`, { Members: [member] });
      expect((await after(legacyAdmins("AddMembersTeam"))).status).toBe(COMPLIANCE_STATUS_VALUES["non-compliant"]);
      expect((await after(legacyAdmins("RemoveMembersTeam"))).status).toBe(COMPLIANCE_STATUS_VALUES.compliant);

      // A role given to a team the account is in, then taken away.
      const partners = `teams(${TEAMS.integrationPartners})/teamroles_association`;
      expect((await after(() => send("POST", `${partners}/$ref`, { "@odata.id": systemCustomizer }))).status).toBe(
        COMPLIANCE_STATUS_VALUES["non-compliant"],
      );
      expect((await after(() => send("DELETE", `${partners}(${roleId("System Customizer")})/$ref`))).status).toBe(
        COMPLIANCE_STATUS_VALUES.compliant,
      );
      expect(dataverse.emulator.webhooks.jobs.map((job) => [job.messageName, job.status])).toEqual([
        ["Associate", "succeeded"],
        ["Disassociate", "succeeded"],
        ["AddMembersTeam", "succeeded"],
        ["RemoveMembersTeam", "succeeded"],
        ["Associate", "succeeded"],
        ["Disassociate", "succeeded"],
      ]);
    });

    it("stamps a user created non-interactive with the service role in the same request", async () => {
      await register();
      const created = await fetch(`${dataverse.url}${BASE}systemusers`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          domainname: "newsync@contoso.com",
          internalemailaddress: "newsync@contoso.com",
          accessmode: 4,
          "businessunitid@odata.bind": `/businessunits(${dataverse.emulator.store.get("systemuser", USERS.compliant)?.businessunitid as string})`,
          "systemuserroles_association@odata.bind": [`/roles(${roleId("Integration Service Account")})`],
        }),
      });
      expect(created.status).toBe(204);
      const id = /systemusers\((.+)\)$/.exec(created.headers.get("odata-entityid") ?? "")![1];
      await dataverse.emulator.webhooks.settle();
      expect(dataverse.emulator.webhooks.jobs).toEqual([
        expect.objectContaining({ messageName: "Create", status: "succeeded", httpStatus: 200 }),
      ]);
      expect(badge(id).status).toBe(COMPLIANCE_STATUS_VALUES.compliant);
    });
  });
});
