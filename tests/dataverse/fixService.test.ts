import { evaluate } from "../../src/core/evaluate";
import { DEFAULT_POLICY } from "../../src/core/policy";
import { TeamType, type UserSnapshot } from "../../src/core/snapshot";
import { FixBlockedError, FixService, ServiceRoleNotFoundError, type FixRequest } from "../../src/dataverse/fixService";
import { XrmDataverseClient } from "../../src/dataverse/xrmClient";
import { ADMIN_ID, role, ROOT_BU, snapshot, team, USER_ID } from "../support/snapshots";
import { executeResponse, installXrm, metadataOf, type XrmStubs } from "../support/xrm";

describe("FixService", () => {
  let xrm: XrmStubs;
  let service: FixService;

  beforeEach(() => {
    xrm = installXrm();
    service = new FixService(new XrmDataverseClient(xrm.webApi, xrm.webApi.online, { sleep: () => Promise.resolve() }));
  });

  function apply(request: FixRequest, input: UserSnapshot, editable = true) {
    return service.apply(request, input, evaluate(input, DEFAULT_POLICY), { editable });
  }

  describe("switching the access mode", () => {
    const interactive = snapshot({ user: { accessMode: 0 }, roles: [] });

    /** The write refused with `refusal`, and the capacity read again answering `used` of 7. */
    function refuseSwitch(refusal: object, used: number) {
      xrm.retrieveRecord.mockResolvedValue({ "@odata.etag": 'W/"1001"' });
      xrm.updateRecord.mockRejectedValue(refusal);
      xrm.execute.mockResolvedValue(
        executeResponse({ OrganizationResources: { CurrentNumberOfNonInteractiveUsers: used, MaxNumberOfNonInteractiveUsers: 7 } }),
      );
    }

    it("writes accessmode 4 after checking the row version", async () => {
      xrm.retrieveRecord.mockResolvedValue({ "@odata.etag": 'W/"1001"' });
      xrm.updateRecord.mockResolvedValue({});
      await expect(apply({ action: "switch-to-non-interactive" }, interactive)).resolves.toBe("applied");
      expect(xrm.updateRecord).toHaveBeenCalledWith("systemuser", USER_ID, { accessmode: 4 });
    });

    it("writes nothing when someone changed the user since it was read", async () => {
      xrm.retrieveRecord.mockResolvedValue({ "@odata.etag": 'W/"1002"' });
      await expect(apply({ action: "switch-to-non-interactive" }, interactive)).rejects.toMatchObject({ kind: "conflict" });
      expect(xrm.updateRecord).not.toHaveBeenCalled();
    });

    it("re-checks the System Administrator gate before any request", async () => {
      const notAdmin = { ...interactive, actor: { userId: ADMIN_ID, privileges: null, isSystemAdministrator: false } };
      await expect(apply({ action: "switch-to-non-interactive" }, notAdmin)).rejects.toMatchObject({
        reasonKey: "gate_needsSystemAdministrator",
      });
      expect(xrm.retrieveRecord).not.toHaveBeenCalled();
      expect(xrm.updateRecord).not.toHaveBeenCalled();
    });

    it("reports a refusal as the limit when the capacity read again is full, without reading its words", async () => {
      refuseSwitch(
        {
          errorCode: 0x80040216,
          message: "Votre organisation a atteint le nombre maximal d'utilisateurs non interactifs.",
        },
        7,
      );
      await expect(apply({ action: "switch-to-non-interactive" }, interactive)).rejects.toMatchObject({
        kind: "limit-reached",
        message: expect.stringContaining("non interactifs"),
      });
    });

    it("keeps an unexplained refusal unknown when there is room", async () => {
      refuseSwitch({ errorCode: 0x80040216, message: "An unexpected error occurred." }, 6);
      await expect(apply({ action: "switch-to-non-interactive" }, interactive)).rejects.toMatchObject({ kind: "unknown" });
    });

    it("passes on a refusal that has a meaning of its own without reading the capacity", async () => {
      refuseSwitch({ errorCode: 0x80040220, message: "Principal user is missing prvWriteUser" }, 7);
      await expect(apply({ action: "switch-to-non-interactive" }, interactive)).rejects.toMatchObject({ kind: "forbidden" });
      expect(xrm.execute).not.toHaveBeenCalled();
    });

    it("keeps the refusal's code on the limit error", async () => {
      refuseSwitch({ errorCode: 0x80040216, message: "limit" }, 7);
      await expect(apply({ action: "switch-to-non-interactive" }, interactive)).rejects.toMatchObject({
        kind: "limit-reached",
        code: "0x80040216",
        message: "limit",
      });
    });

    it("takes the limit from the report when the capacity read again is only a count", async () => {
      xrm.retrieveRecord.mockResolvedValue({ "@odata.etag": 'W/"1001"' });
      xrm.updateRecord.mockRejectedValue({ errorCode: 0x80040216, message: "limit" });
      // No RetrieveOrganizationResources on this host: the count of non-interactive users, 7 of the report's 7.
      xrm.execute.mockRejectedValue({ errorCode: 0x80040265, message: "not supported" });
      xrm.retrieveMultipleRecords.mockResolvedValue({ entities: Array.from({ length: 7 }, (_, index) => ({ systemuserid: `u${index}` })) });
      const atSix = snapshot({ user: { accessMode: 0 }, roles: [], capacity: { used: 6, max: 7, source: "organizationResources" } });
      await expect(apply({ action: "switch-to-non-interactive" }, atSix)).rejects.toMatchObject({ kind: "limit-reached" });
    });

    it("switches back to Read-Write", async () => {
      xrm.retrieveRecord.mockResolvedValue({ "@odata.etag": 'W/"1001"' });
      xrm.updateRecord.mockResolvedValue({});
      await apply({ action: "switch-to-interactive" }, snapshot());
      expect(xrm.updateRecord).toHaveBeenCalledWith("systemuser", USER_ID, { accessmode: 0 });
    });

    it("does nothing for a mode the user already has", async () => {
      await expect(apply({ action: "switch-to-non-interactive" }, snapshot())).resolves.toBe("unchanged");
      expect(xrm.updateRecord).not.toHaveBeenCalled();
    });
  });

  describe("assigning the service role", () => {
    const withoutRole = snapshot({ roles: [] });
    const request: FixRequest = { action: "assign-service-role", roleName: "Integration Service Account" };

    it("looks the role up in the user's business unit and associates that copy", async () => {
      xrm.retrieveMultipleRecords.mockResolvedValue({ entities: [{ roleid: "r-bu", name: "Integration Service Account" }] });
      xrm.execute.mockResolvedValue(executeResponse(null, 204));
      await expect(apply(request, withoutRole)).resolves.toBe("applied");
      expect(xrm.retrieveMultipleRecords).toHaveBeenCalledWith(
        "role",
        `?$select=roleid,name,_businessunitid_value&$filter=name eq 'Integration%20Service%20Account' and _businessunitid_value eq ${ROOT_BU}`,
        undefined,
      );
      const associate = xrm.execute.mock.calls[0][0];
      expect(associate).toMatchObject({
        target: { entityType: "systemuser", id: USER_ID },
        relatedEntities: [{ entityType: "role", id: "r-bu" }],
      });
      expect(metadataOf(associate)).toMatchObject({ operationName: "Associate" });
    });

    it("escapes quotes in the role name", async () => {
      xrm.retrieveMultipleRecords.mockResolvedValue({ entities: [{ roleid: "r" }] });
      xrm.execute.mockResolvedValue(executeResponse(null, 204));
      await apply({ action: "assign-service-role", roleName: "O'Brien Sync" }, withoutRole);
      expect(xrm.retrieveMultipleRecords.mock.calls[0][1]).toContain("name eq 'O''Brien%20Sync'");
    });

    it("treats a role the user already holds as success", async () => {
      const held = role("Integration Service Account");
      xrm.retrieveMultipleRecords.mockResolvedValue({ entities: [{ roleid: held.roleId }] });
      await expect(apply(request, snapshot({ roles: [held], user: { accessMode: 0 } }))).resolves.toBe("unchanged");
      expect(xrm.execute).not.toHaveBeenCalled();
    });

    it("treats a duplicate association (assigned meanwhile) as success", async () => {
      xrm.retrieveMultipleRecords.mockResolvedValue({ entities: [{ roleid: "r-bu" }] });
      xrm.execute.mockRejectedValue({ errorCode: 0x80040237, message: "Cannot insert duplicate key." });
      await expect(apply(request, withoutRole)).resolves.toBe("unchanged");
    });

    it("says so when the role has no copy in the user's business unit", async () => {
      xrm.retrieveMultipleRecords.mockResolvedValue({ entities: [] });
      const refusal = apply(request, withoutRole);
      await expect(refusal).rejects.toBeInstanceOf(ServiceRoleNotFoundError);
      await expect(refusal).rejects.toMatchObject({
        name: "ServiceRoleNotFoundError",
        message: 'Role "Integration Service Account" not found in business unit Contoso',
        roleName: "Integration Service Account",
        businessUnit: "Contoso",
      });
      expect(xrm.execute).not.toHaveBeenCalled();
    });

    it("passes on any other refusal of the association", async () => {
      xrm.retrieveMultipleRecords.mockResolvedValue({ entities: [{ roleid: "r-bu" }] });
      xrm.execute.mockRejectedValue({ errorCode: 0x80040220, message: "Principal user is missing prvAssignRole" });
      await expect(apply(request, withoutRole)).rejects.toMatchObject({ kind: "forbidden" });
    });

    it("looks up a role without a name as the empty name, finding none", async () => {
      xrm.retrieveMultipleRecords.mockResolvedValue({ entities: [] });
      await expect(apply({ action: "assign-service-role" }, withoutRole)).rejects.toMatchObject({ roleName: "" });
      expect(xrm.retrieveMultipleRecords.mock.calls[0][1]).toContain("$filter=name eq '' and ");
    });
  });

  describe("removing a role", () => {
    const admin = role("System Administrator");
    const over = snapshot({ roles: [role("Integration Service Account"), admin] });

    it("disassociates it", async () => {
      xrm.execute.mockResolvedValue(executeResponse(null, 204));
      await expect(apply({ action: "remove-role", roleId: admin.roleId }, over)).resolves.toBe("applied");
      expect(xrm.execute.mock.calls[0][0]).toMatchObject({
        target: { entityType: "systemuser", id: USER_ID },
        relatedEntityId: admin.roleId,
        relationship: "systemuserroles_association",
      });
    });

    it("passes on any other refusal of the removal", async () => {
      xrm.execute.mockRejectedValue({ errorCode: 0x80040220, message: "Principal user is missing prvAssignRole" });
      await expect(apply({ action: "remove-role", roleId: admin.roleId }, over)).rejects.toMatchObject({ kind: "forbidden" });
    });

    it("treats an already removed role as success", async () => {
      xrm.execute.mockRejectedValue({ errorCode: 0x80040217, message: "does not exist" });
      await expect(apply({ action: "remove-role", roleId: admin.roleId }, over)).resolves.toBe("unchanged");
    });

    it("does nothing for a role the user does not hold", async () => {
      await expect(apply({ action: "remove-role", roleId: "other" }, over)).resolves.toBe("unchanged");
      expect(xrm.execute).not.toHaveBeenCalled();
    });
  });

  describe("taking the account out of an owner team", () => {
    const legacyAdmins = team("Legacy Admins", TeamType.Owner);
    const customizer = role("System Customizer", ROOT_BU, "r-sc", { source: { kind: "team", team: legacyAdmins } });
    const over = snapshot({ roles: [role("Integration Service Account"), customizer] });
    const leave = { action: "remove-from-team" as const, teamId: legacyAdmins.teamId, teamName: "Legacy Admins" };

    it("removes the user from the team with RemoveMembersTeam", async () => {
      xrm.execute.mockResolvedValue(executeResponse(null, 204));
      await expect(apply(leave, over)).resolves.toBe("applied");
      expect(xrm.execute.mock.calls[0][0]).toMatchObject({
        entity: { entityType: "team", id: legacyAdmins.teamId },
        Members: [{ ownerid: USER_ID }],
      });
    });

    it("does nothing when the user holds nothing through that team, and treats a team gone as success", async () => {
      await expect(apply({ ...leave, teamId: "t-other" }, over)).resolves.toBe("unchanged");
      expect(xrm.execute).not.toHaveBeenCalled();
      xrm.execute.mockRejectedValue({ errorCode: 0x80040217, message: "team does not exist" });
      await expect(apply(leave, over)).resolves.toBe("unchanged");
    });

    it("passes on any other refusal, mapped", async () => {
      xrm.execute.mockRejectedValue({ errorCode: 0x8004830c, message: "Can't remove members from the default business unit team" });
      await expect(apply(leave, over)).rejects.toMatchObject({ kind: "unknown", code: "0x8004830c" });
    });

    it("is refused before any request to an admin without prvWriteTeam", async () => {
      const withoutTeamWrite = { ...over, actor: { userId: ADMIN_ID, privileges: new Set(["prvAssignRole", "prvReadRole"]) } };
      await expect(apply(leave, withoutTeamWrite)).rejects.toMatchObject({ reasonKey: "gate_missingPrivilege" });
      expect(xrm.execute).not.toHaveBeenCalled();
    });
  });

  describe("refuses before any request", () => {
    it("with the reason the panel shows", async () => {
      const refusal = apply({ action: "switch-to-non-interactive" }, snapshot({ user: { accessMode: 0 } }), false);
      await expect(refusal).rejects.toMatchObject({
        name: "FixBlockedError",
        reasonKey: "gate_notEditable",
        message: "Action blocked: gate_notEditable",
      });
    });

    it.each<[string, UserSnapshot, boolean]>([
      ["on the admin's own account", snapshot({ user: { accessMode: 0, systemUserId: ADMIN_ID } }), true],
      ["on a read-only field", snapshot({ user: { accessMode: 0 } }), false],
      ["past the limit", snapshot({ user: { accessMode: 0 }, capacity: { used: 7, max: 7, source: "organizationResources" } }), true],
      ["on an application user", snapshot({ user: { accessMode: 0, applicationId: "app" } }), true],
    ])("%s", async (_why, input, editable) => {
      await expect(apply({ action: "switch-to-non-interactive" }, input, editable)).rejects.toBeInstanceOf(FixBlockedError);
      expect(xrm.retrieveRecord).not.toHaveBeenCalled();
      expect(xrm.updateRecord).not.toHaveBeenCalled();
    });
  });
});
