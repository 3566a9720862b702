import { evaluate } from "../../src/core/evaluate";
import { DEFAULT_POLICY, watchedPrivileges } from "../../src/core/policy";
import type { RoleAssignment } from "../../src/core/snapshot";
import type { Row } from "../../src/emulator/store";
import { teamFromRow, userFromRow } from "../../src/dataverse/snapshotRows";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { readServiceAccountSnapshots } from "../../src/dataverse-node/auditReader";
import { buildAuditReport, failsThreshold, formatCsv, formatTable, type AuditReport } from "../../src/cli/auditReport";
import { generateOrg } from "../../src/emulator/generateOrg";
import { USERS } from "../../src/emulator/sampleOrg";
import { CLI, run } from "../support/cli";
import { startEmulator, type RunningEmulator } from "../support/emulator";

async function audit(url: string): Promise<{ report: AuditReport; requests: number }> {
  const client = new HttpDataverseClient(url, () => Promise.resolve(null));
  const read = await readServiceAccountSnapshots(client, DEFAULT_POLICY);
  return { report: buildAuditReport(read, DEFAULT_POLICY), requests: client.counter.count };
}

describe("svcacct audit on the sample org", () => {
  let dataverse: RunningEmulator;
  beforeAll(async () => (dataverse = await startEmulator()));
  afterAll(() => dataverse?.close());

  it("reports every service account with its status and failing checks, application users apart", async () => {
    const { report } = await audit(dataverse.url);
    expect(report.summary).toEqual({ compliant: 2, needsAttention: 1, nonCompliant: 7, nonInteractiveUsed: 6, nonInteractiveMax: 7 });
    const byId = new Map(report.accounts.map((account) => [account.systemuserid, account]));
    expect(byId.get(USERS.wrongBusinessUnit)).toMatchObject({ status: "non-compliant", failing: ["service-role"] });
    expect(byId.get(USERS.interactiveWithServiceRole)).toMatchObject({ status: "non-compliant", failing: ["access-mode"] });
    expect(byId.get(USERS.licenceStillAssigned)).toMatchObject({ status: "needs-attention", failing: ["licence-released"] });
    expect(byId.get(USERS.applicationUser)).toMatchObject({ status: "compliant", applicationUser: true });
    // Roles through teams and privileges count: System Administrator through an Entra group team, a
    // custom role that can assign roles (and impersonate), System Customizer through an owner team.
    expect(byId.get(USERS.compliantMarketing)).toMatchObject({ status: "non-compliant", failing: ["forbidden-roles"] });
    expect(byId.get(USERS.roleManagerApp)).toMatchObject({
      status: "non-compliant",
      failing: ["forbidden-privileges", "sensitive-privileges"],
      applicationUser: true,
    });
    expect(byId.get(USERS.compliant)).toMatchObject({ status: "compliant" });
    for (const id of [USERS.interactive, USERS.admin, USERS.supportUser, USERS.delegatedAdmin, USERS.salesNonAdmin])
      expect(byId.has(id)).toBe(false);
  });

  it("says which role comes through which team, in the JSON and in the table's notes", async () => {
    const { report } = await audit(dataverse.url);
    const marketing = report.accounts.find((account) => account.systemuserid === USERS.compliantMarketing);
    expect(marketing?.roles).toEqual([
      { name: "Integration Service Account", source: "direct" },
      {
        name: "System Administrator",
        source: "team",
        team: "Dataverse Admins",
        teamType: "entra-security-group",
        privileges: expect.arrayContaining(["prvAssignRole"]),
      },
    ]);
    expect(marketing?.access).toEqual([
      "Holds forbidden roles: System Administrator (through the Microsoft Entra group team Dataverse Admins). A service account must have least privilege.",
    ]);
    const app = report.accounts.find((account) => account.systemuserid === USERS.roleManagerApp);
    expect(app?.access).toEqual([
      "Its roles grant privileges a service account must not have: prvAssignRole from Integration Role Manager (assigned directly).",
      "Its roles grant privileges only some integrations need; make sure this one does: prvActOnBehalfOfAnotherUser from Integration Role Manager (assigned directly).",
    ]);
    const table = formatTable(report);
    expect(table).toContain(
      "\n  Legacy Import: Holds forbidden roles: System Administrator (assigned directly), System Customizer (through the team Legacy Admins).",
    );
    expect(table).toContain("\nRoles and privileges\n  # Role Manager App: Its roles grant privileges a service account must not have:");
  });

  it("enforces --fail-on", async () => {
    const { report } = await audit(dataverse.url);
    expect(failsThreshold(report, "non-compliant")).toBe(true);
    expect(failsThreshold(report, undefined)).toBe(false);
    expect(failsThreshold({ ...report, accounts: report.accounts.filter((a) => a.status !== "non-compliant") }, "non-compliant")).toBe(
      false,
    );
    expect(failsThreshold({ ...report, accounts: report.accounts.filter((a) => a.status !== "non-compliant") }, "needs-attention")).toBe(
      true,
    );
  });

  it("writes CSV with a header and quoted fields", async () => {
    const { report } = await audit(dataverse.url);
    const lines = formatCsv(report).trim().split("\n");
    expect(lines[0]).toBe(
      "systemuserid,fullname,domainname,status,applicationUser,failing,passwordExpiry,m365AdminRole,licence,passwordAge,interactiveSignIn,recentUse,mfaPolicy,appCredentials,appOwner," +
        "cloudFlows,cloudFlowsOn,classicWorkflows,classicWorkflowsOn,actions,actionsOn,steps,stepsOn,connectionReferences,connectionReferencesOn,lastAccess,unused",
    );
    expect(lines).toHaveLength(report.accounts.length + 1);
    // A field with a comma, a quote or a line break is quoted, its quotes doubled (RFC 4180).
    const account = {
      ...report.accounts[0],
      fullname: 'Ops, "Legacy"\nImport',
      failing: ["access-mode" as const, "service-role" as const],
      entra: {
        "password-expiry": { status: "fail" as const, text: "expires" },
        "licence-released": { status: "warning" as const, text: "assigned" },
      },
    };
    expect(
      formatCsv({ ...report, accounts: [account] })
        .split("\n")
        .slice(1)
        .join("\n")
        .trim(),
    ).toBe(
      `${account.systemuserid},"Ops, ""Legacy""\nImport",${account.domainname},${account.status},${account.applicationUser ? "yes" : "no"},access-mode service-role,fail,,warning,,,,,,${",".repeat(12)}`,
    );
  });

  it("runs as a command: JSON to stdout, exit code 2 under --fail-on, table by default", async () => {
    const json = await run("node", [CLI, "audit", "--url", dataverse.url, "--format", "json"]);
    expect((JSON.parse(json.stdout) as AuditReport).summary.nonCompliant).toBe(7);
    await expect(run("node", [CLI, "audit", "--url", dataverse.url, "--fail-on", "non-compliant"])).rejects.toMatchObject({ code: 2 });
    const table = await run("node", [CLI, "audit", "--url", dataverse.url]);
    expect(table.stdout).toContain("Non-interactive users: 6 of 7");
    expect(table.stderr).toBe(""); // no progress bar when not on a terminal
  });

  it("says an unreachable org in words and exits 1", async () => {
    await expect(run("node", [CLI, "audit", "--url", "http://127.0.0.1:9"])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("The org could not be reached"),
    });
  });

  it("names the missing privilege", async () => {
    const client = new HttpDataverseClient(dataverse.url, () => Promise.resolve(null));
    // Act as a user with no role at all, so the first read (the users) is refused.
    const original = globalThis.fetch;
    globalThis.fetch = ((url: string, init: RequestInit) =>
      original(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), "x-svcacct-emulator-caller": USERS.interactive },
      })) as typeof fetch;
    try {
      await expect(readServiceAccountSnapshots(client, DEFAULT_POLICY)).rejects.toMatchObject({
        kind: "forbidden",
        message: expect.stringContaining("prvReadUser"),
      });
    } finally {
      globalThis.fetch = original;
    }
  });
});

describe("svcacct audit on a large org", () => {
  let dataverse: RunningEmulator;
  const data = generateOrg({ users: 50_000, roleAssignments: 100_000, teams: 2_000 });
  beforeAll(async () => (dataverse = await startEmulator(() => data)));
  afterAll(() => dataverse?.close());

  it("is correct for 50,000 users, 100,000 role assignments and 2,000 teams holding roles, in pages + a few requests", async () => {
    const { report, requests } = await audit(dataverse.url);

    // Expected, straight from the data: non-interactive users and holders of the service role.
    const store = dataverse.emulator.store;
    const serviceRoles = new Set(
      data.roles.filter((role) => role.name === "Integration Service Account").map((role) => String(role.roleid)),
    );
    const candidates = data.systemusers.filter(
      (user) => user.accessmode === 4 || store.rolesOf(String(user.systemuserid)).some((role) => serviceRoles.has(String(role.roleid))),
    );
    const capacity = { used: store.nonInteractiveCount(), max: 7, source: "organizationResources" as const };
    const watched = new Set(watchedPrivileges(DEFAULT_POLICY));
    // Each role straight from the store: held directly and through every team of the user, with the watched privileges it grants.
    const assignment = (role: Row, source: RoleAssignment["source"]): RoleAssignment => ({
      roleId: String(role.roleid),
      name: String(role.name),
      businessUnitId: String(role.businessunitid),
      templateId: (role.roletemplateid as string | null) ?? null,
      source,
      privileges: store
        .privilegesOfRole(String(role.roleid))
        .map((grant) => grant.name)
        .filter((name) => watched.has(name)),
    });
    const expected = candidates
      .map((user) => {
        const id = String(user.systemuserid);
        const teams = store.related("systemuser", id, "teammembership_association");
        const roles = [
          ...store.rolesOf(id).map((role) => assignment(role, { kind: "direct" })),
          ...teams.flatMap((team) =>
            store
              .related("team", String(team.teamid), "teamroles_association")
              .map((role) => assignment(role, { kind: "team", team: teamFromRow(team) })),
          ),
        ];
        const snapshot = {
          user: userFromRow({ ...user, _businessunitid_value: user.businessunitid }),
          roles,
          capacity,
          isOnPremises: false,
          actor: null,
        };
        return [id, evaluate(snapshot, DEFAULT_POLICY).status] as const;
      })
      .filter(([, status]) => status !== "not-service-account");

    expect(report.accounts.map((a) => [a.systemuserid, a.status]).sort()).toEqual([...expected].sort());
    expect(report.accounts.length).toBeGreaterThan(200);
    // Some service accounts hold System Customizer only through a generated team: the expected statuses cover them.
    expect(
      report.accounts.filter((account) => account.roles.some((held) => held.source === "team" && held.name === "System Customizer")).length,
    ).toBeGreaterThan(0);
    // The accounts (1 page), every team holding a role (1 page), the watched privileges' roles, the capacity.
    expect(requests).toBe(4);
  });
});
