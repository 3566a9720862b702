import type { DataverseClient, Page, Row } from "../../src/dataverse/client";
import { DEFAULT_POLICY } from "../../src/core/policy";
import { readServiceAccountRows, type AuditProgress } from "../../src/dataverse-node/auditReader";

const ROLE_COPIES = ["10000000-0000-0000-0000-0000000000a1", "10000000-0000-0000-0000-0000000000a2"];
const userId = (n: number) => `20000000-0000-0000-0000-${n.toString(16).padStart(12, "0")}`;
/** 51 holders of the service role who are not non-interactive: one more than fit in one `or` filter. */
const HOLDERS = Array.from({ length: 51 }, (_, n) => userId(0xa00 + n));
const NON_INTERACTIVE = [userId(1), userId(2)];
const FLAGGED = userId(0xf1);

/** Answers the audit's queries from the ids above, one page each, and records what it was asked. */
class ScriptedDataverse implements Pick<DataverseClient, "retrieveMultiple" | "retrieveNextPage" | "retrieveOrganizationResources"> {
  readonly asked: string[] = [];

  retrieveMultiple(entity: string, query: string): Promise<Page> {
    this.asked.push(`${entity}${query}`);
    const ids = (column: string) => [...query.matchAll(new RegExp(`${column} eq ([0-9a-f-]{36})`, "g"))].map((match) => match[1]);
    const user = (id: string): Row => ({ systemuserid: id, accessmode: NON_INTERACTIVE.includes(id) ? 4 : 0 });
    if (entity === "role") return Promise.resolve({ rows: ROLE_COPIES.map((roleid) => ({ roleid })) });
    if (entity === "systemuserroles") return Promise.resolve({ rows: HOLDERS.map((systemuserid) => ({ systemuserid })) });
    if (query.endsWith("$filter=accessmode eq 4")) return Promise.resolve({ rows: NON_INTERACTIVE.map(user) });
    if (query.includes("svcacct_compliancestatus")) return Promise.resolve({ rows: [user(FLAGGED)] });
    return Promise.resolve({ rows: ids("systemuserid").map(user) });
  }

  retrieveNextPage(entity: string, nextLink: string): Promise<Page> {
    return Promise.reject(new Error(`one page each, not ${entity} ${nextLink}`));
  }

  retrieveOrganizationResources() {
    return Promise.resolve({ CurrentNumberOfNonInteractiveUsers: 2, MaxNumberOfNonInteractiveUsers: 7 });
  }
}

describe("reading the accounts an audit looks at", () => {
  it("asks for the service role's copies, their holders, the non-interactive users, and the other holders 50 ids at a time", async () => {
    const dataverse = new ScriptedDataverse();
    const progress: AuditProgress[] = [];
    const { rows, capacity } = await readServiceAccountRows(dataverse as unknown as DataverseClient, DEFAULT_POLICY, (step) =>
      progress.push(step),
    );

    expect(dataverse.asked.map((request) => request.split("?")[0])).toEqual([
      "role",
      "systemuserroles",
      "systemuser",
      "systemuser",
      "systemuser",
    ]);
    expect(dataverse.asked[0]).toBe("role?$select=roleid&$filter=name eq 'Integration%20Service%20Account'"); // odataString encodes the literal for the URL
    expect(dataverse.asked[1]).toBe(
      `systemuserroles?$select=systemuserid&$filter=roleid eq ${ROLE_COPIES[0]} or roleid eq ${ROLE_COPIES[1]}`,
    );
    const detailFilters = dataverse.asked.slice(3).map((request) => request.split("$filter=")[1].split(" or "));
    expect(detailFilters.map((ids) => ids.length)).toEqual([50, 1]);
    expect(detailFilters.flat()).toEqual(HOLDERS.map((id) => `systemuserid eq ${id}`));

    expect(progress).toEqual([
      { stage: "service role", requests: 1 },
      { stage: "service role holders", requests: 2 },
      { stage: "non-interactive users", requests: 3 },
      { stage: "service role holders' details", requests: 4 },
      { stage: "service role holders' details", requests: 5 },
      { stage: "non-interactive limit", requests: 6 },
    ]);
    expect(rows.map((row) => row.systemuserid)).toEqual([...NON_INTERACTIVE, ...HOLDERS]);
    expect(capacity).toEqual({ used: 2, max: 7, source: "organizationResources" });
  });

  it("asks again only for holders it has not read, whatever the case of the ids Dataverse returns", async () => {
    const upperCaseHolders = new ScriptedDataverse();
    upperCaseHolders.retrieveMultiple = function (entity, query) {
      if (entity !== "systemuserroles") return ScriptedDataverse.prototype.retrieveMultiple.call(this, entity, query);
      this.asked.push(`${entity}${query}`);
      return Promise.resolve({ rows: NON_INTERACTIVE.map((id) => ({ systemuserid: id.toUpperCase() })) });
    };
    const { rows } = await readServiceAccountRows(upperCaseHolders as unknown as DataverseClient, DEFAULT_POLICY);
    // Both holders are non-interactive users, read already: no request for details.
    expect(upperCaseHolders.asked.map((request) => request.split("?")[0])).toEqual(["role", "systemuserroles", "systemuser"]);
    expect(rows.map((row) => row.systemuserid)).toEqual(NON_INTERACTIVE);
  });

  it("adds the users of an extra filter (the stamp's users whose badge still says service account), each once", async () => {
    const dataverse = new ScriptedDataverse();
    const progress: AuditProgress[] = [];
    const { rows } = await readServiceAccountRows(dataverse as unknown as DataverseClient, DEFAULT_POLICY, (step) => progress.push(step), {
      alsoFilter: "svcacct_compliancestatus ne null",
    });
    expect(dataverse.asked[5]).toMatch(/^systemuser\?.*&\$filter=svcacct_compliancestatus ne null$/);
    expect(progress.map((step) => step.stage)).toContain("other users");
    expect(rows.map((row) => row.systemuserid)).toEqual([...NON_INTERACTIVE, ...HOLDERS, FLAGGED]);
  });

  it("reads every page of a query, counting each page as a request", async () => {
    const paged = new ScriptedDataverse();
    paged.retrieveMultiple = function (entity, query) {
      if (!query.endsWith("$filter=accessmode eq 4")) return ScriptedDataverse.prototype.retrieveMultiple.call(this, entity, query);
      this.asked.push(`${entity}${query}`);
      return Promise.resolve({ rows: [{ systemuserid: NON_INTERACTIVE[0], accessmode: 4 }], nextLink: "page-2" });
    };
    paged.retrieveNextPage = function (entity, nextLink) {
      this.asked.push(`${entity} ${nextLink}`);
      return Promise.resolve({ rows: [{ systemuserid: NON_INTERACTIVE[1], accessmode: 4 }] });
    };
    const progress: AuditProgress[] = [];
    const { rows } = await readServiceAccountRows(paged as unknown as DataverseClient, DEFAULT_POLICY, (step) => progress.push(step));
    expect(paged.asked[3]).toBe("systemuser page-2");
    expect(progress.slice(2, 4)).toEqual([
      { stage: "non-interactive users", requests: 3 },
      { stage: "non-interactive users", requests: 4 },
    ]);
    expect(progress.at(-1)).toEqual({ stage: "non-interactive limit", requests: 7 });
    expect(rows.map((row) => row.systemuserid)).toEqual([...NON_INTERACTIVE, ...HOLDERS]);
  });

  it("keeps one row per user when the extra filter returns users read already, in another case", async () => {
    const overlapping = new ScriptedDataverse();
    overlapping.retrieveMultiple = function (entity, query) {
      if (!query.includes("svcacct_compliancestatus")) return ScriptedDataverse.prototype.retrieveMultiple.call(this, entity, query);
      this.asked.push(`${entity}${query}`);
      return Promise.resolve({ rows: [{ systemuserid: NON_INTERACTIVE[0].toUpperCase() }, { systemuserid: HOLDERS[0] }] });
    };
    const { rows } = await readServiceAccountRows(overlapping as unknown as DataverseClient, DEFAULT_POLICY, undefined, {
      alsoFilter: "svcacct_compliancestatus ne null",
    });
    expect(rows.map((row) => String(row.systemuserid).toLowerCase())).toEqual([...NON_INTERACTIVE, ...HOLDERS]);
  });
});
