import type { DataverseClient, Page, Row } from "../../src/dataverse/client";
import { DEFAULT_POLICY, policyFrom } from "../../src/core/policy";
import { readServiceAccountRows, type AuditProgress } from "../../src/dataverse-node/auditReader";

const ROOT_BU = "10000000-0000-0000-0000-000000000001";
const role = (roleid: string, name: string, template: string | null = null): Row => ({
  roleid,
  name,
  _businessunitid_value: ROOT_BU,
  _parentrootroleid_value: roleid,
  _roletemplateid_value: template,
});
const ISA = role("0c000003-0000-4000-8000-000000000001", "Integration Service Account");
const SA = role("0c000001-0000-4000-8000-000000000001", "Administrateur système", "627090ff-40a3-4053-8790-584edc5be201");
const MANAGER = role("0c000005-0000-4000-8000-000000000001", "Integration Role Manager");
const team = (teamid: string, name: string, teamtype: number, isdefault = false): Row => ({
  teamid,
  name,
  teamtype,
  azureactivedirectoryobjectid: teamtype === 2 ? "9a000000-0000-4000-8000-000000000001" : null,
  isdefault,
});
const ADMINS = team("7e000000-0000-4000-8000-000000000001", "Dataverse Admins", 2);
const DEFAULT_TEAM = team("7e000000-0000-4000-8000-0000000000df", "Contoso", 0, true);

/** One account holding the service role directly, System Administrator through an Entra group team, and a custom role's privileges. */
const ACCOUNT: Row = {
  systemuserid: "20000000-0000-0000-0000-000000000001",
  accessmode: 4,
  systemuserroles_association: [ISA, MANAGER],
  teammembership_association: [ADMINS, DEFAULT_TEAM],
};

/** Answers the audit's queries, one page each, and records what it was asked. */
class ScriptedDataverse implements Pick<DataverseClient, "retrieveMultiple" | "retrieveNextPage" | "retrieveOrganizationResources"> {
  readonly asked: string[] = [];

  retrieveMultiple(entity: string, query: string): Promise<Page> {
    this.asked.push(`${entity}${query}`);
    if (entity === "systemuser") return Promise.resolve({ rows: [ACCOUNT] });
    if (entity === "team") return Promise.resolve({ rows: [{ teamid: ADMINS.teamid, teamroles_association: [SA] }] });
    return Promise.resolve({
      rows: [
        { name: "prvAssignRole", roleprivileges_association: [{ roleid: SA.roleid }, { roleid: MANAGER.roleid }] },
        { name: "prvActOnBehalfOfAnotherUser", roleprivileges_association: [{ roleid: MANAGER.roleid }] },
      ],
    });
  }

  retrieveNextPage(entity: string, nextLink: string): Promise<Page> {
    return Promise.reject(new Error(`one page each, not ${entity} ${nextLink}`));
  }

  retrieveOrganizationResources() {
    return Promise.resolve({ CurrentNumberOfNonInteractiveUsers: 2, MaxNumberOfNonInteractiveUsers: 7 });
  }
}

const client = (dataverse: ScriptedDataverse) => dataverse as unknown as DataverseClient;

describe("reading the accounts an audit looks at", () => {
  it("asks for the accounts with their roles and teams, the teams' roles and the watched privileges: three reads, whatever the number of users", async () => {
    const dataverse = new ScriptedDataverse();
    const progress: AuditProgress[] = [];
    await readServiceAccountRows(client(dataverse), DEFAULT_POLICY, (step) => progress.push(step));

    expect(dataverse.asked).toEqual([
      "systemuser?$select=systemuserid,fullname,domainname,accessmode,isdisabled,islicensed,internalemailaddress,emailrouteraccessapproval,_businessunitid_value,applicationid,userlicensetype,azureactivedirectoryobjectid,svcacct_entraverdict,svcacct_entraverdicton" +
        "&$expand=systemuserroles_association($select=roleid,name,_businessunitid_value,_parentrootroleid_value,_roletemplateid_value),teammembership_association($select=teamid,name,teamtype,azureactivedirectoryobjectid,isdefault)" +
        "&$filter=accessmode eq 4 or (systemuserroles_association/any(r:r/name eq 'Integration%20Service%20Account') or teammembership_association/any(t:t/teamroles_association/any(r:r/name eq 'Integration%20Service%20Account')))",
      "team?$select=teamid&$filter=teamroles_association/any(r:r/roleid ne null)&$expand=teamroles_association($select=roleid,name,_businessunitid_value,_parentrootroleid_value,_roletemplateid_value)",
      "privilege?$select=name&$filter=name eq 'prvAssignRole' or name eq 'prvCreateRole' or name eq 'prvWriteRole' or name eq 'prvActOnBehalfOfAnotherUser'&$expand=roleprivileges_association($select=roleid)",
    ]);
    expect(progress).toEqual([
      { stage: "service accounts", requests: 1 },
      { stage: "teams' roles", requests: 2 },
      { stage: "privileges", requests: 3 },
      { stage: "non-interactive limit", requests: 4 },
    ]);
  });

  it("gives each account its direct roles and its teams' roles with their source and watched privileges", async () => {
    const { accounts, capacity } = await readServiceAccountRows(client(new ScriptedDataverse()), DEFAULT_POLICY);
    expect(accounts).toHaveLength(1);
    expect(accounts[0].row).toBe(ACCOUNT);
    expect(
      accounts[0].roles.map((held) => [held.name, held.source.kind === "team" ? held.source.team.name : held.source.kind, held.privileges]),
    ).toEqual([
      ["Integration Service Account", "direct", []],
      ["Integration Role Manager", "direct", ["prvAssignRole", "prvActOnBehalfOfAnotherUser"]],
      ["Administrateur système", "Dataverse Admins", ["prvAssignRole"]],
    ]);
    expect(accounts[0].roles[2]).toMatchObject({
      templateId: "627090ff-40a3-4053-8790-584edc5be201",
      source: { kind: "team", team: { teamType: 2, entraGroupId: "9a000000-0000-4000-8000-000000000001", isDefault: false } },
    });
    expect(capacity).toEqual({ used: 2, max: 7, source: "organizationResources" });
  });

  it("reads no privileges when the policy watches none, and then reports none", async () => {
    const dataverse = new ScriptedDataverse();
    const policy = policyFrom({ forbiddenPrivilegeNames: "", warningPrivilegeNames: "" });
    const { accounts } = await readServiceAccountRows(client(dataverse), policy);
    expect(dataverse.asked.map((request) => request.split("?")[0])).toEqual(["systemuser", "team"]);
    expect(accounts[0].roles.every((held) => held.privileges?.length === 0)).toBe(true);
  });

  it("adds the users of an extra filter (the heal's users whose badge still says service account) and the badge columns", async () => {
    const dataverse = new ScriptedDataverse();
    await readServiceAccountRows(client(dataverse), DEFAULT_POLICY, undefined, {
      badge: true,
      alsoFilter: "svcacct_compliancestatus ne null",
    });
    expect(dataverse.asked[0]).toContain(",svcacct_compliancestatus,svcacct_compliancesummary&$expand=");
    expect(dataverse.asked[0]).toMatch(/ or \(svcacct_compliancestatus ne null\)$/);
  });

  it("reads every page of a query, counting each page as a request", async () => {
    const paged = new ScriptedDataverse();
    paged.retrieveMultiple = function (entity, query) {
      if (entity !== "systemuser") return ScriptedDataverse.prototype.retrieveMultiple.call(this, entity, query);
      this.asked.push(`${entity}${query}`);
      return Promise.resolve({ rows: [ACCOUNT], nextLink: "page-2" });
    };
    paged.retrieveNextPage = function (entity, nextLink) {
      this.asked.push(`${entity} ${nextLink}`);
      return Promise.resolve({ rows: [{ ...ACCOUNT, systemuserid: "20000000-0000-0000-0000-000000000002" }] });
    };
    const progress: AuditProgress[] = [];
    const { accounts } = await readServiceAccountRows(client(paged), DEFAULT_POLICY, (step) => progress.push(step));
    expect(paged.asked[1]).toBe("systemuser page-2");
    expect(progress.slice(0, 2)).toEqual([
      { stage: "service accounts", requests: 1 },
      { stage: "service accounts", requests: 2 },
    ]);
    expect(progress.at(-1)).toEqual({ stage: "non-interactive limit", requests: 5 });
    expect(accounts.map((account) => account.row.systemuserid)).toEqual([ACCOUNT.systemuserid, "20000000-0000-0000-0000-000000000002"]);
  });
});
