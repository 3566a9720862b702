import { PayloadError, planEvent } from "../../src/webhook/executionContext";
import { associateEvent, createEvent, strippedEvent, updateEvent } from "../support/webhookPayloads";

const USER = "5e000000-0000-4000-8000-00000000000A";
const OTHER = "5e000000-0000-4000-8000-00000000000b";
const ROLE = "0c000003-0000-4000-8000-000000000001";
const EMPTY = "00000000-0000-0000-0000-000000000000";

describe("planEvent", () => {
  it("evaluates the user of an Update, with an OptionSetValue in the Target", () => {
    expect(planEvent(updateEvent(USER), false)).toMatchObject({ kind: "evaluate", message: "Update", userIds: [USER.toLowerCase()] });
  });

  it("evaluates the user of an Associate whose Target is the user", () => {
    expect(
      planEvent(associateEvent("Associate", { logicalName: "systemuser", id: USER }, [{ logicalName: "role", id: ROLE }]), false),
    ).toMatchObject({
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
    expect(
      planEvent(
        associateEvent(
          "Associate",
          { logicalName: "systemuser", id: USER },
          [{ logicalName: "team", id: ROLE }],
          "teammembership_association",
        ),
        false,
      ),
    ).toMatchObject({
      kind: "ignore",
      reason: "Associate of teammembership_association",
    });
    expect(planEvent({ ...updateEvent(USER), MessageName: "Delete" }, false)).toMatchObject({ kind: "ignore" });
    expect(planEvent({ ...updateEvent(USER), PrimaryEntityName: "account" }, false)).toMatchObject({ kind: "ignore" });
  });

  it("re-reads instead of trusting a payload stripped for size", () => {
    expect(planEvent(strippedEvent("Update", "systemuser", USER), true)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()] });
    expect(planEvent(strippedEvent("Associate", "systemuser", USER), true)).toMatchObject({
      kind: "evaluate",
      userIds: [USER.toLowerCase()],
      roleIds: [],
    });
    expect(planEvent(strippedEvent("Associate", "role", ROLE), true)).toMatchObject({ kind: "evaluate", userIds: [], roleIds: [ROLE] });
    // The user a Disassociate took out of the role is no longer among its holders.
    expect(planEvent(strippedEvent("Disassociate", "role", ROLE), true)).toMatchObject({ kind: "evaluate", everyServiceAccount: true });
  });

  it("evaluates the user a Create made, from PrimaryEntityId or OutputParameters", () => {
    expect(planEvent(createEvent(USER), false)).toMatchObject({ kind: "evaluate", message: "Create", userIds: [USER.toLowerCase()] });
    const withoutPrimary = { ...createEvent(USER), PrimaryEntityId: EMPTY };
    expect(planEvent(withoutPrimary, false)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()] });
    expect(planEvent({ ...createEvent(USER), PrimaryEntityName: "account" }, false)).toMatchObject({
      kind: "ignore",
      reason: "Create of account",
    });
  });

  it("evaluates the user of an Update whose Target is given by alternate key (Id all zeros)", () => {
    const body = updateEvent(USER);
    const target = (body.InputParameters as { key: string; value: Record<string, unknown> }[])[0].value;
    target.Id = EMPTY;
    target.KeyAttributes = [{ key: "domainname", value: "sync@contoso.com" }];
    expect(planEvent(body, false)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()], everyServiceAccount: false });
    // Nothing names the user: every service account, never a refusal.
    expect(planEvent({ ...body, PrimaryEntityId: EMPTY }, false)).toMatchObject({
      kind: "evaluate",
      userIds: [],
      everyServiceAccount: true,
    });
  });

  it.each([
    ["PrimaryEntityName none", "none"],
    ["no PrimaryEntityName", undefined],
    ["PrimaryEntityName of the related table", "role"],
  ])("works an Associate out from Target and RelatedEntities with %s", (_name, primaryName) => {
    const body = {
      ...associateEvent("Associate", { logicalName: "systemuser", id: USER }, [{ logicalName: "role", id: ROLE }]),
      PrimaryEntityName: primaryName,
      PrimaryEntityId: EMPTY,
    };
    expect(planEvent(body, false)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()] });
  });

  it("re-evaluates every service account for a stripped association whose table cannot be told", () => {
    expect(planEvent({ ...strippedEvent("Associate", "none", EMPTY) }, true)).toMatchObject({
      kind: "evaluate",
      everyServiceAccount: true,
      reason: expect.any(String),
    });
    expect(planEvent({ ...strippedEvent("Disassociate", "none", USER) }, true)).toMatchObject({
      kind: "evaluate",
      everyServiceAccount: true,
    });
  });

  it("works from what an association carries when its Relationship is missing", () => {
    const body = associateEvent("Disassociate", { logicalName: "role", id: ROLE }, [{ logicalName: "systemuser", id: USER }]);
    const inputs = (body.InputParameters as { key: string }[]).filter((input) => input.key !== "Relationship");
    expect(planEvent({ ...body, InputParameters: inputs }, false)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()] });
  });

  it.each<[string, unknown]>([
    ["not an object", [1, 2]],
    ["null", null],
    ["no MessageName", { PrimaryEntityName: "systemuser", PrimaryEntityId: USER }],
    ["a bad PrimaryEntityId", { ...updateEvent(USER), PrimaryEntityId: "not-a-guid" }],
    ["InputParameters of the wrong type", { ...updateEvent(USER), InputParameters: "x" }],
    [
      "a malformed Target Id",
      { ...updateEvent(USER), InputParameters: [{ key: "Target", value: { LogicalName: "systemuser", Id: "12" } }] },
    ],
    ["a Target that is not a reference", { ...updateEvent(USER), InputParameters: [{ key: "Target", value: "x" }] }],
  ])("refuses %s, which cannot be Dataverse's, with a reason", (_name, body) => {
    expect(() => planEvent(body, false)).toThrow(PayloadError);
  });
});
