import { DataverseError } from "../../src/dataverse/errors";
import { readCapacity, readSnapshot } from "../../src/dataverse/snapshotReader";
import { XrmDataverseClient } from "../../src/dataverse/xrmClient";
import { executeResponse, installXrm, type XrmStubs } from "../support/xrm";

const USER = "20000000-0000-0000-0000-000000000001";
const FACTS = { isOnPremises: false, actor: { userId: "admin", privileges: new Set(["prvWriteUser"]) } };
const FV = "@OData.Community.Display.V1.FormattedValue";

const userRow = {
  "@odata.etag": 'W/"1001"',
  systemuserid: USER,
  fullname: "Integration ERP",
  domainname: "svc-erp@contoso.com",
  accessmode: 4,
  [`accessmode${FV}`]: "Non-interactive",
  isdisabled: false,
  islicensed: true,
  internalemailaddress: "svc-erp@contoso.com",
  emailrouteraccessapproval: 1,
  _businessunitid_value: "bu-root",
  [`_businessunitid_value${FV}`]: "Contoso",
  applicationid: null,
  userlicensetype: 6,
};
const roleRows = [
  {
    roleid: "r1",
    name: "Integration Service Account",
    _businessunitid_value: "bu-root",
    [`_businessunitid_value${FV}`]: "Contoso",
    _parentrootroleid_value: "r1",
    _roletemplateid_value: null,
    systemuserroles_association: [{ systemuserid: USER }],
    teamroles_association: [],
  },
];
/** Another enabled non-interactive user, brought by the same read for the fallback count. */
const otherNonInteractive = { systemuserid: "20000000-0000-0000-0000-000000000002", accessmode: 4, isdisabled: false, applicationid: null };
const RESOURCES = { OrganizationResources: { CurrentNumberOfNonInteractiveUsers: 6, MaxNumberOfNonInteractiveUsers: 7 } };

describe("readSnapshot", () => {
  let xrm: XrmStubs;
  let client: XrmDataverseClient;

  beforeEach(() => {
    xrm = installXrm();
    client = new XrmDataverseClient(xrm.webApi, xrm.webApi.online, { sleep: () => Promise.resolve() });
  });

  /** Answers the two reads like Dataverse: the users query and the roles query. */
  function answer(users: object[], roles: object[] = roleRows): void {
    xrm.retrieveMultipleRecords.mockImplementation((entity: string) =>
      Promise.resolve({ entities: entity === "systemuser" ? users : roles }),
    );
  }

  it("reads a user in three requests: the user, the roles they hold (no expansion), and the organization's resources", async () => {
    answer([userRow, otherNonInteractive]);
    xrm.execute.mockResolvedValue(executeResponse(RESOURCES));

    const snapshot = await readSnapshot(client, USER, FACTS);

    expect(xrm.retrieveMultipleRecords).toHaveBeenCalledTimes(2);
    expect(xrm.retrieveMultipleRecords).toHaveBeenCalledWith(
      "systemuser",
      "?$select=systemuserid,fullname,domainname,accessmode,isdisabled,islicensed,internalemailaddress,emailrouteraccessapproval,_businessunitid_value,applicationid,userlicensetype,azureactivedirectoryobjectid,svcacct_entraverdict,svcacct_entraverdicton" +
        `&$filter=systemuserid eq ${USER} or (accessmode eq 4 and applicationid eq null and isdisabled eq false)` +
        "&$expand=teammembership_association($select=teamid,name,teamtype,azureactivedirectoryobjectid,isdefault)",
      undefined,
    );
    expect(xrm.retrieveMultipleRecords).toHaveBeenCalledWith(
      "role",
      "?$select=roleid,name,_businessunitid_value,_parentrootroleid_value,_roletemplateid_value" +
        `&$filter=systemuserroles_association/any(u:u/systemuserid eq ${USER}) or teamroles_association/any(t:t/teammembership_association/any(u:u/systemuserid eq ${USER}))` +
        `&$expand=systemuserroles_association($select=systemuserid;$filter=systemuserid eq ${USER}),teamroles_association($select=teamid)`,
      undefined,
    );
    expect(xrm.retrieveRecord).not.toHaveBeenCalled();
    expect(xrm.execute).toHaveBeenCalledTimes(1);
    expect(snapshot).toEqual({
      user: {
        systemUserId: USER,
        fullName: "Integration ERP",
        domainName: "svc-erp@contoso.com",
        accessMode: 4,
        isDisabled: false,
        isLicensed: true,
        primaryEmail: "svc-erp@contoso.com",
        emailApproval: 1,
        businessUnitId: "bu-root",
        businessUnitName: "Contoso",
        applicationId: null,
        userLicenseType: 6,
        etag: 'W/"1001"',
        entraObjectId: null,
      },
      roles: [
        {
          roleId: "r1",
          name: "Integration Service Account",
          businessUnitId: "bu-root",
          businessUnitName: "Contoso",
          parentRootRoleId: "r1",
          templateId: null,
          source: { kind: "direct" },
          privileges: [],
        },
      ],
      capacity: { used: 6, max: 7, source: "organizationResources" },
      ...FACTS,
      stampedEntra: null,
    });
  });

  it("counts the enabled non-interactive users of the same read when RetrieveOrganizationResources fails: still three requests", async () => {
    answer([userRow, otherNonInteractive, { ...otherNonInteractive, systemuserid: "x", isdisabled: true }]);
    xrm.execute.mockRejectedValue({ errorCode: 0x80040220, message: "denied" });
    const snapshot = await readSnapshot(client, USER, FACTS);
    expect(snapshot.capacity).toEqual({ used: 2, max: null, source: "count" });
    expect(xrm.retrieveMultipleRecords).toHaveBeenCalledTimes(2);
  });

  const ADMIN = "20000000-0000-0000-0000-0000000000ad";

  it("reads the acting admin's row in the same request only if they hold System Administrator, by its template, directly or through a team", async () => {
    answer([userRow, { systemuserid: ADMIN, accessmode: 1, isdisabled: false, applicationid: null }]);
    xrm.execute.mockResolvedValue(executeResponse(RESOURCES));
    const snapshot = await readSnapshot(client, USER, FACTS, `{${ADMIN.toUpperCase()}}`);
    const template = "627090ff-40a3-4053-8790-584edc5be201";
    expect(xrm.retrieveMultipleRecords.mock.calls[0][1]).toContain(
      `systemuserid eq ${USER} or (systemuserid eq ${ADMIN.toUpperCase()} and (systemuserroles_association/any(r:r/_roletemplateid_value eq ${template}) or teammembership_association/any(t:t/teamroles_association/any(r:r/_roletemplateid_value eq ${template})))) or (`,
    );
    expect(snapshot.actor).toEqual({ ...FACTS.actor, accessMode: 1, isSystemAdministrator: true });
    expect(xrm.retrieveMultipleRecords).toHaveBeenCalledTimes(2);
  });

  it("knows the acting admin is no System Administrator when their row does not come back, and cannot tell for their own account or a non-interactive row", async () => {
    answer([userRow]);
    xrm.execute.mockResolvedValue(executeResponse(RESOURCES));
    expect((await readSnapshot(client, USER, FACTS, ADMIN)).actor).toEqual({ ...FACTS.actor, isSystemAdministrator: false });
    expect((await readSnapshot(client, USER, FACTS, USER)).actor).toEqual({ ...FACTS.actor, isSystemAdministrator: null });
    answer([userRow, { systemuserid: ADMIN, accessmode: 4, isdisabled: false, applicationid: null }]);
    expect((await readSnapshot(client, USER, FACTS, ADMIN)).actor).toEqual({ ...FACTS.actor, accessMode: 4, isSystemAdministrator: null });
  });

  it("gives each role its source: directly, through which of the user's teams, or not known yet; and the watched privileges it grants", async () => {
    const teams = [
      { teamid: "t-entra", name: "Dataverse Admins", teamtype: 2, azureactivedirectoryobjectid: "g-1", isdefault: false },
      { teamid: "t-default", name: "Contoso", teamtype: 0, azureactivedirectoryobjectid: null, isdefault: true },
    ];
    const admin = {
      roleid: "r-sa",
      name: "Administrateur système",
      _businessunitid_value: "bu-root",
      _roletemplateid_value: "627090ff-40a3-4053-8790-584edc5be201",
      systemuserroles_association: [],
      // Held by another team too, one the user is not in.
      teamroles_association: [{ teamid: "t-other" }, { teamid: "T-ENTRA" }],
      roleprivileges_association: [{ name: "prvAssignRole" }],
    };
    const lagging = {
      roleid: "r-new",
      name: "Just Given",
      _businessunitid_value: "bu-root",
      systemuserroles_association: [],
      teamroles_association: [],
      roleprivileges_association: [],
    };
    answer([{ ...userRow, teammembership_association: teams }], [{ ...roleRows[0], roleprivileges_association: [] }, admin, lagging]);
    xrm.execute.mockResolvedValue(executeResponse(RESOURCES));
    const snapshot = await readSnapshot(client, USER, FACTS, undefined, ["prvAssignRole", "prvActOnBehalfOfAnotherUser"]);
    expect(xrm.retrieveMultipleRecords.mock.calls[1][1]).toContain(
      ",roleprivileges_association($select=name;$filter=name eq 'prvAssignRole' or name eq 'prvActOnBehalfOfAnotherUser')",
    );
    expect(snapshot.roles.map((held) => [held.name, held.source, held.privileges])).toEqual([
      ["Integration Service Account", { kind: "direct" }, []],
      [
        "Administrateur système",
        { kind: "team", team: { teamId: "t-entra", name: "Dataverse Admins", teamType: 2, entraGroupId: "g-1", isDefault: false } },
        ["prvAssignRole"],
      ],
      ["Just Given", { kind: "unattributed" }, []],
    ]);
    expect(snapshot.roles[1].templateId).toBe("627090ff-40a3-4053-8790-584edc5be201");
  });

  it("has no privileges to say for a role whose expansion is missing while privileges are watched", async () => {
    answer([userRow]);
    xrm.execute.mockResolvedValue(executeResponse(RESOURCES));
    const snapshot = await readSnapshot(client, USER, FACTS, undefined, ["prvAssignRole"]);
    expect(snapshot.roles[0].privileges).toBeUndefined();
  });

  it("counts without Xrm.WebApi.online, in a host that has only context.webAPI", async () => {
    answer([userRow]);
    const pcfOnly = new XrmDataverseClient(xrm.webApi, null, { sleep: () => Promise.resolve() });
    const snapshot = await readSnapshot(pcfOnly, USER, FACTS);
    expect(snapshot.capacity).toEqual({ used: 1, max: null, source: "count" });
    expect(xrm.execute).not.toHaveBeenCalled();
  });

  it("fails with the mapped error when the user cannot be read", async () => {
    xrm.retrieveMultipleRecords.mockRejectedValue({ errorCode: 0x80040220, message: "missing prvReadUser" });
    xrm.execute.mockResolvedValue(executeResponse(RESOURCES));
    await expect(readSnapshot(client, USER, FACTS)).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("says not found when the user is not among the rows", async () => {
    answer([otherNonInteractive]);
    xrm.execute.mockResolvedValue(executeResponse(RESOURCES));
    await expect(readSnapshot(client, USER, FACTS)).rejects.toMatchObject({
      kind: "not-found",
      message: `systemuser ${USER} cannot be read.`,
    });
  });

  it("reads a user with no roles and no email", async () => {
    answer([{ ...userRow, internalemailaddress: null }], []);
    xrm.execute.mockResolvedValue(executeResponse(RESOURCES));
    const snapshot = await readSnapshot(client, USER, FACTS);
    expect(snapshot.roles).toEqual([]);
    expect(snapshot.user.primaryEmail).toBeNull();
  });
});

describe("readCapacity", () => {
  it("reports the capacity as unknown when neither source answers", async () => {
    const xrm = installXrm();
    const client = new XrmDataverseClient(xrm.webApi, xrm.webApi.online, { sleep: () => Promise.resolve() });
    xrm.execute.mockRejectedValue({ errorCode: 0x80040216, message: "x" });
    xrm.retrieveMultipleRecords.mockRejectedValue({ errorCode: 0x80040216, message: "x" });
    expect(await readCapacity(client)).toEqual({ used: null, max: null, source: "unknown" });
  });

  it("does not count instead when the resources read says the sign-in has expired", async () => {
    const xrm = installXrm();
    const client = new XrmDataverseClient(xrm.webApi, xrm.webApi.online, { sleep: () => Promise.resolve() });
    xrm.execute.mockRejectedValue(new DataverseError("unauthorized", "The sign-in has expired."));
    await expect(readCapacity(client)).rejects.toMatchObject({ kind: "unauthorized" });
    expect(xrm.retrieveMultipleRecords).not.toHaveBeenCalled();
  });
});
