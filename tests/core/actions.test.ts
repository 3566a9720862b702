import { gateAction, type PanelAction } from "../../src/core/actions";
import { evaluate } from "../../src/core/evaluate";
import { DEFAULT_POLICY } from "../../src/core/policy";
import type { UserSnapshot } from "../../src/core/snapshot";
import { ADMIN_ID, ALL_PRIVILEGES, snapshot } from "../support/snapshots";

const ALL_ACTIONS: PanelAction[] = ["switch-to-non-interactive", "switch-to-interactive", "assign-service-role", "remove-role"];
const editable = { editable: true };

function gate(action: PanelAction, input: UserSnapshot, fieldAccess = editable) {
  return gateAction(action, input, evaluate(input, DEFAULT_POLICY), fieldAccess);
}

describe("gateAction", () => {
  const interactive = snapshot({ user: { accessMode: 0 }, roles: [] });

  it("allows every action for an admin with the privileges on someone else's account", () => {
    for (const action of ALL_ACTIONS) expect(gate(action, interactive)).toEqual({ enabled: true });
  });

  it.each<[string, UserSnapshot, object, string]>([
    ["the field is read-only", interactive, { editable: false }, "gate_notEditable"],
    ["the environment is on-premises", { ...interactive, isOnPremises: true }, editable, "gate_onPremises"],
    ["it is an application user", snapshot({ user: { applicationId: "a" } }), editable, "gate_applicationUser"],
    ["it is the support user", snapshot({ user: { accessMode: 3 } }), editable, "gate_builtInUser"],
    ["it is the delegated admin", snapshot({ user: { accessMode: 5 } }), editable, "gate_builtInUser"],
    ["it is the admin's own account", snapshot({ user: { accessMode: 0, systemUserId: ADMIN_ID } }), editable, "gate_ownAccount"],
  ])("blocks every action when %s", (_why, input, context, reasonKey) => {
    for (const action of ALL_ACTIONS) expect(gate(action, input, context as typeof editable)).toMatchObject({ enabled: false, reasonKey });
  });

  it("names the missing privileges", () => {
    const input = { ...interactive, actor: { userId: ADMIN_ID, privileges: new Set(["prvReadRole"]) } };
    expect(gate("switch-to-non-interactive", input)).toEqual({
      enabled: false,
      reasonKey: "gate_missingPrivilege",
      params: { privileges: "prvWriteUser" },
    });
    expect(gate("assign-service-role", input)).toEqual({
      enabled: false,
      reasonKey: "gate_missingPrivilege",
      params: { privileges: "prvAssignRole" },
    });
  });

  it("names every missing privilege, comma-separated", () => {
    const input = { ...interactive, roles: [], actor: { userId: ADMIN_ID, privileges: new Set<string>() } };
    expect(gate("assign-service-role", input)).toMatchObject({ params: { privileges: "prvAssignRole, prvReadRole" } });
  });

  it("leaves unknown privileges for Dataverse to judge", () => {
    const input = { ...interactive, actor: { userId: ADMIN_ID, privileges: null } };
    expect(gate("switch-to-non-interactive", input).enabled).toBe(true);
  });

  it("blocks only the switch to non-interactive when the limit is reached", () => {
    const full = { ...interactive, capacity: { used: 7, max: 7, source: "organizationResources" as const } };
    expect(gate("switch-to-non-interactive", full)).toEqual({
      enabled: false,
      reasonKey: "gate_limitReached",
      params: { used: 7, max: 7 },
    });
    expect(gate("assign-service-role", full).enabled).toBe(true);
  });

  it("does not block a conversion when the count is unknown: the server will answer", () => {
    const unknown = { ...interactive, capacity: { used: null, max: null, source: "unknown" as const } };
    expect(gate("switch-to-non-interactive", unknown).enabled).toBe(true);
  });

  it("offers the access-mode switch only to a System Administrator, and keeps the role fixes on their own privileges", () => {
    const notAdmin = { ...interactive, actor: { userId: ADMIN_ID, privileges: ALL_PRIVILEGES, isSystemAdministrator: false } };
    expect(gate("switch-to-non-interactive", notAdmin)).toEqual({ enabled: false, reasonKey: "gate_needsSystemAdministrator" });
    expect(gate("switch-to-interactive", notAdmin)).toEqual({ enabled: false, reasonKey: "gate_needsSystemAdministrator" });
    expect(gate("assign-service-role", notAdmin)).toEqual({ enabled: true });
    expect(gate("remove-role", notAdmin)).toEqual({ enabled: true });
    const unknown = { ...interactive, actor: { userId: ADMIN_ID, privileges: ALL_PRIVILEGES, isSystemAdministrator: null } };
    expect(gate("switch-to-non-interactive", unknown).enabled).toBe(true);
  });

  it("needs the System Administrator's own access mode to be Read-Write where it is known", () => {
    const actor = { userId: ADMIN_ID, privileges: ALL_PRIVILEGES, isSystemAdministrator: true };
    expect(gate("switch-to-non-interactive", { ...interactive, actor: { ...actor, accessMode: 1 } })).toEqual({
      enabled: false,
      reasonKey: "gate_needsReadWriteMode",
    });
    expect(gate("switch-to-non-interactive", { ...interactive, actor: { ...actor, accessMode: 0 } }).enabled).toBe(true);
    expect(gate("switch-to-non-interactive", { ...interactive, actor: { ...actor, accessMode: null } }).enabled).toBe(true);
  });

  it("disables role changes, and only those, where the host cannot associate roles", () => {
    const host = { ...interactive, host: { roleAssignment: false } };
    expect(gate("assign-service-role", host)).toEqual({ enabled: false, reasonKey: "gate_roleChangesUnavailable" });
    expect(gate("remove-role", host)).toEqual({ enabled: false, reasonKey: "gate_roleChangesUnavailable" });
    expect(gate("switch-to-non-interactive", host).enabled).toBe(true);
  });

  it("puts the read-only field before any other reason", () => {
    expect(gate("switch-to-non-interactive", { ...interactive, isOnPremises: true }, { editable: false })).toEqual({
      enabled: false,
      reasonKey: "gate_notEditable",
    });
  });
});
