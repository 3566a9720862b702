import { DEFAULT_POLICY } from "../../src/core/policy";
import { buildAuditReport } from "../../src/cli/auditReport";
import { readServiceAccountSnapshots } from "../../src/dataverse-node/auditReader";
import type { DataverseClient, Page } from "../../src/dataverse/client";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { readCapacity, readSnapshot } from "../../src/dataverse/snapshotReader";
import { USERS } from "../../src/emulator/sampleOrg";
import { BadgeStamper } from "../../src/webhook/badgeStamper";
import { englishTexts } from "../../src/webhook/messageTexts";
import { stampServiceAccounts } from "../../src/webhook/stampServiceAccounts";
import { startEmulator, type RunningEmulator } from "../support/emulator";

/**
 * Every read asks for pages of two rows (`Prefer: odata.maxpagesize=2`, which the emulator honours as
 * Dataverse does, "Page results"), so the sample org's handful of rows spans several pages and a reader
 * that stops after the first page loses rows.
 */
class TwoRowPages {
  nextPages = 0;
  readonly client: DataverseClient;

  constructor(inner: HttpDataverseClient) {
    this.client = new Proxy(inner, {
      get: (target, property, receiver) => {
        if (property === "retrieveMultiple")
          return (entity: string, query: string): Promise<Page> => target.retrieveMultiple(entity, query, 2);
        if (property === "retrieveNextPage")
          return (entity: string, nextLink: string): Promise<Page> => {
            this.nextPages++;
            return target.retrieveNextPage(entity, nextLink, 2);
          };
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

/** The sample org's service accounts: its six non-interactive users, the interactive holder of the service role, the disabled one and the two application users. */
const SERVICE_ACCOUNTS = [
  USERS.compliant,
  USERS.compliantMarketing,
  USERS.wrongBusinessUnit,
  USERS.licenceStillAssigned,
  USERS.noEmail,
  USERS.forbiddenRole,
  USERS.disabled,
  USERS.interactiveWithServiceRole,
  USERS.applicationUser,
  USERS.roleManagerApp,
].sort();

describe("readers that page", () => {
  let dataverse: RunningEmulator;
  beforeAll(async () => (dataverse = await startEmulator()));
  beforeEach(() => dataverse.emulator.reset());
  afterAll(() => dataverse.close());

  const pagedClient = () => new TwoRowPages(new HttpDataverseClient(dataverse.url, () => Promise.resolve(null)));
  /** RetrieveOrganizationResources refused, so the capacity is counted from the users. */
  const refuseOrganizationResources = () =>
    dataverse.emulator.faults.add({
      path: "^RetrieveOrganizationResources",
      status: 403,
      code: "0x80040220",
      message: "Principal user is missing prvReadOrganization privilege.",
      times: 10,
    });

  it("the audit reads every page: every service account, with the same statuses as in one page", async () => {
    const paged = pagedClient();
    const report = buildAuditReport(await readServiceAccountSnapshots(paged.client, DEFAULT_POLICY), DEFAULT_POLICY);
    expect(paged.nextPages).toBeGreaterThan(3);
    expect(report.accounts.map((account) => account.systemuserid).sort()).toEqual(SERVICE_ACCOUNTS);
    expect(report.summary).toEqual({ compliant: 2, needsAttention: 1, nonCompliant: 7, nonInteractiveUsed: 6, nonInteractiveMax: 7 });
  });

  it("the audit's fallback count reads every page of the non-interactive users", async () => {
    refuseOrganizationResources();
    const paged = pagedClient();
    const { capacity } = await readServiceAccountSnapshots(paged.client, DEFAULT_POLICY);
    // Six enabled, non-interactive, non-application users in the sample org: three pages of two.
    expect(capacity).toEqual({ used: 6, max: null, source: "count" });
  });

  it("readCapacity counts across pages", async () => {
    refuseOrganizationResources();
    const paged = pagedClient();
    expect(await readCapacity(paged.client)).toEqual({ used: 6, max: null, source: "count" });
    expect(paged.nextPages).toBe(2);
  });

  it("the form's snapshot counts the non-interactive users and reads the roles across pages", async () => {
    refuseOrganizationResources();
    const paged = pagedClient();
    const snapshot = await readSnapshot(paged.client, USERS.forbiddenRole, { isOnPremises: false, actor: null });
    expect(snapshot.capacity).toEqual({ used: 6, max: null, source: "count" });
    // Directly, and through the Legacy Admins team (whose row, among the user's teams, is paged too).
    expect(snapshot.roles.map((role) => `${role.name} ${role.source.kind}`).sort()).toEqual([
      "Integration Service Account direct",
      "System Administrator direct",
      "System Customizer team",
    ]);
    expect(paged.nextPages).toBeGreaterThan(0);
  });

  it("the stamp evaluates and writes every service account across pages", async () => {
    const paged = pagedClient();
    const summary = await stampServiceAccounts(
      paged.client,
      DEFAULT_POLICY,
      new BadgeStamper(paged.client, DEFAULT_POLICY, englishTexts()),
    );
    expect(summary).toMatchObject({ evaluated: 10, stamped: 10, unchanged: 0, failures: [] });
    for (const id of SERVICE_ACCOUNTS) expect(dataverse.emulator.store.get("systemuser", id)?.svcacct_compliancestatus).toBeDefined();
  });
});
