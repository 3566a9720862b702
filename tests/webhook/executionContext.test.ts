import { parseWcfDate, PayloadError, planEvent } from "../../src/webhook/executionContext";
import { associateEvent, strippedEvent, updateEvent } from "../support/webhookPayloads";

const USER = "5e000000-0000-4000-8000-00000000000A";
const OTHER = "5e000000-0000-4000-8000-00000000000b";
const ROLE = "0c000003-0000-4000-8000-000000000001";

describe("planEvent", () => {
  it("evaluates the user of an Update, with an OptionSetValue in the Target", () => {
    expect(planEvent(updateEvent(USER), false)).toMatchObject({ kind: "evaluate", message: "Update", userIds: [USER.toLowerCase()] });
  });

  it("evaluates the user of an Associate whose Target is the user", () => {
    expect(planEvent(associateEvent("Associate", { logicalName: "systemuser", id: USER }, [{ logicalName: "role", id: ROLE }]), false)).toMatchObject({
      kind: "evaluate",
      userIds: [USER.toLowerCase()],
    });
  });

  it("evaluates every related user of a Disassociate whose Target is the role", () => {
    const plan = planEvent(
      associateEvent("Disassociate", { logicalName: "role", id: ROLE }, [
        { logicalName: "systemuser", id: USER },
        { logicalName: "systemuser", id: OTHER },
      ]),
      false,
    );
    expect(plan).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase(), OTHER.toLowerCase()] });
  });

  it("accepts RelatedEntities wrapped in an object", () => {
    const body = associateEvent("Associate", { logicalName: "systemuser", id: USER }, [{ logicalName: "role", id: ROLE }]);
    const inputs = body.InputParameters as { key: string; value: unknown }[];
    inputs[2].value = { __type: "EntityReferenceCollection", Items: inputs[2].value };
    expect(planEvent(body, false)).toMatchObject({ kind: "evaluate" });
  });

  it("acknowledges and ignores other relationships, messages and tables", () => {
    expect(planEvent(associateEvent("Associate", { logicalName: "systemuser", id: USER }, [{ logicalName: "team", id: ROLE }], "teammembership_association"), false)).toMatchObject({
      kind: "ignore",
      reason: "Associate of teammembership_association",
    });
    expect(planEvent({ ...updateEvent(USER), MessageName: "Create" }, false)).toMatchObject({ kind: "ignore" });
    expect(planEvent({ ...updateEvent(USER), PrimaryEntityName: "account" }, false)).toMatchObject({ kind: "ignore" });
  });

  it("re-reads instead of trusting a payload stripped for size", () => {
    expect(planEvent(strippedEvent("Update", "systemuser", USER), true)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()] });
    expect(planEvent(strippedEvent("Associate", "systemuser", USER), true)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()], roleIds: [] });
    expect(planEvent(strippedEvent("Associate", "role", ROLE), true)).toMatchObject({ kind: "evaluate", userIds: [], roleIds: [ROLE] });
  });

  it.each<[string, unknown]>([
    ["not an object", [1, 2]],
    ["null", null],
    ["no MessageName", { PrimaryEntityName: "systemuser", PrimaryEntityId: USER }],
    ["a bad PrimaryEntityId", { ...updateEvent(USER), PrimaryEntityId: "not-a-guid" }],
    ["InputParameters of the wrong type", { ...updateEvent(USER), InputParameters: "x" }],
    ["a Target for another row", { ...updateEvent(USER), PrimaryEntityId: OTHER }],
    ["an association without a relationship", { ...associateEvent("Associate", { logicalName: "systemuser", id: USER }, []), InputParameters: [] }],
    ["an association with no user", associateEvent("Associate", { logicalName: "role", id: ROLE }, [{ logicalName: "role", id: ROLE }])],
  ])("refuses %s with a reason", (_name, body) => {
    expect(() => planEvent(body, false)).toThrow(PayloadError);
  });
});

describe("parseWcfDate", () => {
  it("reads the UTC milliseconds of a WCF JSON date, with or without an offset", () => {
    expect(parseWcfDate("/Date(1506409448000)/")).toBe(1506409448000);
    expect(parseWcfDate("/Date(1506409448000-0700)/")).toBe(1506409448000);
    expect(parseWcfDate("2017-09-26T07:04:08Z")).toBeUndefined();
    expect(parseWcfDate(42)).toBeUndefined();
  });
});
