import { readSnapshot } from "../../src/dataverse/snapshotReader";
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
  systemuserroles_association: [
    { roleid: "r1", name: "Integration Service Account", _businessunitid_value: "bu-root", [`_businessunitid_value${FV}`]: "Contoso", _parentrootroleid_value: "r1" },
  ],
};

describe("readSnapshot", () => {
  let xrm: XrmStubs;
  let client: XrmDataverseClient;

  beforeEach(() => {
    xrm = installXrm();
    client = new XrmDataverseClient(xrm.webApi, { sleep: () => Promise.resolve() });
  });

  it("reads a user in two requests: the user with roles, and the organization's resources", async () => {
    xrm.retrieveRecord.mockResolvedValue(userRow);
    xrm.execute.mockResolvedValue(executeResponse({ OrganizationResources: { CurrentNumberOfNonInteractiveUsers: 6, MaxNumberOfNonInteractiveUsers: 7 } }));

    const snapshot = await readSnapshot(client, USER, FACTS);

    expect(xrm.retrieveRecord).toHaveBeenCalledTimes(1);
    expect(xrm.retrieveRecord).toHaveBeenCalledWith(
      "systemuser",
      USER,
      "?$select=systemuserid,fullname,domainname,accessmode,isdisabled,islicensed,internalemailaddress,emailrouteraccessapproval,_businessunitid_value,applicationid,userlicensetype" +
        "&$expand=systemuserroles_association($select=roleid,name,_businessunitid_value,_parentrootroleid_value)",
    );
    expect(xrm.execute).toHaveBeenCalledTimes(1);
    expect(xrm.retrieveMultipleRecords).not.toHaveBeenCalled();
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
      },
      roles: [{ roleId: "r1", name: "Integration Service Account", businessUnitId: "bu-root", businessUnitName: "Contoso", parentRootRoleId: "r1" }],
      capacity: { used: 6, max: 7, source: "organizationResources" },
      ...FACTS,
    });
  });

  it("counts enabled non-interactive users itself when RetrieveOrganizationResources fails", async () => {
    xrm.retrieveRecord.mockResolvedValue(userRow);
    xrm.execute.mockRejectedValue({ errorCode: 0x80040220, message: "denied" });
    xrm.retrieveMultipleRecords.mockResolvedValue({ entities: [{}, {}, {}] });

    const snapshot = await readSnapshot(client, USER, FACTS);

    expect(xrm.retrieveMultipleRecords).toHaveBeenCalledWith(
      "systemuser",
      "?$select=systemuserid&$filter=accessmode eq 4 and applicationid eq null and isdisabled eq false",
      undefined,
    );
    expect(snapshot.capacity).toEqual({ used: 3, max: null, source: "count" });
  });

  it("reports the capacity as unknown when neither source answers", async () => {
    xrm.retrieveRecord.mockResolvedValue(userRow);
    xrm.execute.mockRejectedValue({ status: 500, message: "x" });
    xrm.retrieveMultipleRecords.mockRejectedValue({ status: 500, message: "x" });
    expect((await readSnapshot(client, USER, FACTS)).capacity).toEqual({ used: null, max: null, source: "unknown" });
  });

  it("fails with the mapped error when the user cannot be read", async () => {
    xrm.retrieveRecord.mockRejectedValue({ errorCode: 0x80040217, message: "systemuser With Id = x Does Not Exist" });
    xrm.execute.mockResolvedValue(executeResponse({ OrganizationResources: { CurrentNumberOfNonInteractiveUsers: 6, MaxNumberOfNonInteractiveUsers: 7 } }));
    await expect(readSnapshot(client, USER, FACTS)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("reads a user with no roles and no email", async () => {
    xrm.retrieveRecord.mockResolvedValue({ ...userRow, internalemailaddress: null, systemuserroles_association: [] });
    xrm.execute.mockResolvedValue(executeResponse({ OrganizationResources: { CurrentNumberOfNonInteractiveUsers: 0, MaxNumberOfNonInteractiveUsers: 7 } }));
    const snapshot = await readSnapshot(client, USER, FACTS);
    expect(snapshot.roles).toEqual([]);
    expect(snapshot.user.primaryEmail).toBeNull();
  });
});
