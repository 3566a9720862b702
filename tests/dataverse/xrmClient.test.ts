import { XrmDataverseClient } from "../../src/dataverse/xrmClient";
import { executeResponse, installXrm, metadataOf, type XrmStubs } from "../support/xrm";

describe("XrmDataverseClient", () => {
  let xrm: XrmStubs;
  let client: XrmDataverseClient;
  const sleep = jest.fn(() => Promise.resolve());

  beforeEach(() => {
    xrm = installXrm();
    client = new XrmDataverseClient(xrm.webApi, xrm.webApi.online, { sleep });
  });

  it("retrieves one row with the given options", async () => {
    xrm.retrieveRecord.mockResolvedValue({ systemuserid: "u1" });
    await expect(client.retrieve("systemuser", "u1", "?$select=fullname")).resolves.toEqual({ systemuserid: "u1" });
    expect(xrm.retrieveRecord).toHaveBeenCalledWith("systemuser", "u1", "?$select=fullname");
  });

  it("retrieves a page and passes the next link on", async () => {
    xrm.retrieveMultipleRecords.mockResolvedValue({
      entities: [{ roleid: "r1" }],
      nextLink: "https://org/api/data/v9.2/roles?$skiptoken=abc",
    });
    await expect(client.retrieveMultiple("role", "?$select=roleid", 50)).resolves.toEqual({
      rows: [{ roleid: "r1" }],
      nextLink: "https://org/api/data/v9.2/roles?$skiptoken=abc",
    });
    expect(xrm.retrieveMultipleRecords).toHaveBeenCalledWith("role", "?$select=roleid", 50);
  });

  it("follows a next link with its query as the options", async () => {
    xrm.retrieveMultipleRecords.mockResolvedValue({ entities: [] });
    await client.retrieveNextPage("role", "https://org/api/data/v9.2/roles?$select=roleid&$skiptoken=abc", 50);
    expect(xrm.retrieveMultipleRecords).toHaveBeenCalledWith("role", "?$select=roleid&$skiptoken=abc", 50);
  });

  it("updates after checking the row version still matches", async () => {
    xrm.retrieveRecord.mockResolvedValue({ "@odata.etag": 'W/"5"', systemuserid: "u1" });
    xrm.updateRecord.mockResolvedValue({ entityType: "systemuser", id: "u1" });
    await client.update("systemuser", "u1", { accessmode: 4 }, { ifMatch: 'W/"5"' });
    expect(xrm.retrieveRecord).toHaveBeenCalledWith("systemuser", "u1", "?$select=systemuserid");
    expect(xrm.updateRecord).toHaveBeenCalledWith("systemuser", "u1", { accessmode: 4 });
  });

  it("refuses the update as a conflict when the row changed", async () => {
    xrm.retrieveRecord.mockResolvedValue({ "@odata.etag": 'W/"6"' });
    await expect(client.update("systemuser", "u1", { accessmode: 4 }, { ifMatch: 'W/"5"' })).rejects.toMatchObject({
      kind: "conflict",
      message: "The record was changed since it was read.",
    });
    expect(xrm.updateRecord).not.toHaveBeenCalled();
  });

  it("associates a role with an Associate request and its metadata", async () => {
    xrm.execute.mockResolvedValue(executeResponse(null, 204));
    await client.associate("systemuser", "u1", "systemuserroles_association", "role", "r1");
    const request = xrm.execute.mock.calls[0][0];
    expect(request).toMatchObject({
      target: { entityType: "systemuser", id: "u1" },
      relatedEntities: [{ entityType: "role", id: "r1" }],
      relationship: "systemuserroles_association",
    });
    expect(metadataOf(request)).toEqual({ boundParameter: null, parameterTypes: {}, operationType: 2, operationName: "Associate" });
    expect(Object.keys(request)).not.toContain("getMetadata"); // on the prototype, as the platform expects
  });

  it("disassociates with a Disassociate request", async () => {
    xrm.execute.mockResolvedValue(executeResponse(null, 204));
    await client.disassociate("systemuser", "u1", "systemuserroles_association", "r1");
    const request = xrm.execute.mock.calls[0][0];
    expect(request).toMatchObject({
      target: { entityType: "systemuser", id: "u1" },
      relatedEntityId: "r1",
      relationship: "systemuserroles_association",
    });
    expect(metadataOf(request)).toEqual({ boundParameter: null, parameterTypes: {}, operationType: 2, operationName: "Disassociate" });
  });

  it("takes users out of a team with RemoveMembersTeam, bound to the team, members keyed by ownerid", async () => {
    xrm.execute.mockResolvedValue(executeResponse(null, 204));
    await client.removeTeamMembers("t1", ["u1"]);
    const request = xrm.execute.mock.calls[0][0];
    expect(request).toMatchObject({
      entity: { entityType: "team", id: "t1" },
      Members: [{ "@odata.type": "Microsoft.Dynamics.CRM.systemuser", ownerid: "u1" }],
    });
    expect(metadataOf(request)).toEqual({
      boundParameter: "entity",
      parameterTypes: {
        entity: { typeName: "mscrm.team", structuralProperty: 5 },
        Members: { typeName: "Collection(mscrm.systemuser)", structuralProperty: 4 },
      },
      operationType: 0,
      operationName: "RemoveMembersTeam",
    });
  });

  it("calls RetrieveOrganizationResources as an unbound function", async () => {
    xrm.execute.mockResolvedValue(
      executeResponse({ OrganizationResources: { CurrentNumberOfNonInteractiveUsers: 6, MaxNumberOfNonInteractiveUsers: 7 } }),
    );
    await expect(client.retrieveOrganizationResources()).resolves.toEqual({
      CurrentNumberOfNonInteractiveUsers: 6,
      MaxNumberOfNonInteractiveUsers: 7,
    });
    expect(metadataOf(xrm.execute.mock.calls[0][0])).toEqual({
      boundParameter: null,
      parameterTypes: {},
      operationType: 1,
      operationName: "RetrieveOrganizationResources",
    });
  });

  it("says so when RetrieveOrganizationResources answers without them", async () => {
    xrm.execute.mockResolvedValue(executeResponse({}));
    await expect(client.retrieveOrganizationResources()).rejects.toMatchObject({
      kind: "unknown",
      message: "RetrieveOrganizationResources returned no OrganizationResources.",
    });
  });

  it("maps a rejected execute, which carries only errorCode and message", async () => {
    xrm.execute.mockRejectedValue({ errorCode: 0x80040217, message: "role With Id = r1 Does Not Exist" });
    await expect(client.disassociate("systemuser", "u1", "systemuserroles_association", "r1")).rejects.toMatchObject({
      kind: "not-found",
      status: undefined,
    });
  });

  it("has no associations in a host without Xrm, and asks nothing", async () => {
    const pcfOnly = new XrmDataverseClient(xrm.webApi, null, { sleep });
    expect(pcfOnly.canExecute).toBe(false);
    expect(client.canExecute).toBe(true);
    await expect(pcfOnly.associate("systemuser", "u1", "systemuserroles_association", "role", "r1")).rejects.toMatchObject({
      kind: "unknown",
      message: "This host has no Xrm.WebApi.online.execute.",
    });
    expect(xrm.execute).not.toHaveBeenCalled();
  });

  it("maps Xrm rejections and retries throttled calls", async () => {
    xrm.retrieveRecord
      .mockRejectedValueOnce({ errorCode: 0x80072322, message: "Number of requests exceeded" })
      .mockResolvedValueOnce({ systemuserid: "u1" });
    await expect(client.retrieve("systemuser", "u1", "")).resolves.toEqual({ systemuserid: "u1" });
    expect(xrm.retrieveRecord).toHaveBeenCalledTimes(2);
    expect(sleep).toHaveBeenCalled();
  });

  it("maps a privilege error without retrying", async () => {
    xrm.updateRecord.mockRejectedValue({ errorCode: 0x80040220, message: "missing prvWriteUser" });
    await expect(client.update("systemuser", "u1", { accessmode: 4 })).rejects.toMatchObject({
      kind: "forbidden",
      message: "missing prvWriteUser",
    });
    expect(xrm.updateRecord).toHaveBeenCalledTimes(1);
  });
});
