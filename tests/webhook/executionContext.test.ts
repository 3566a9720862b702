import { evaluate } from "../../src/core/evaluate";
import { DEFAULT_POLICY } from "../../src/core/policy";
import { FIELDS_THE_RULES_READ, type UserRecord, type UserSnapshot } from "../../src/core/snapshot";
import { USER_FIELD_COLUMNS } from "../../src/dataverse/snapshotRows";
import { entraFactsOf, NOTHING_READ, readEntraFor } from "../../src/graph/entraSnapshots";
import { FILTERING_ATTRIBUTES, PayloadError, planEvent } from "../../src/webhook/executionContext";
import { CHILD_BU, role, snapshot } from "../support/snapshots";
import { associateEvent, createEvent, strippedEvent, updateEvent } from "../support/webhookPayloads";

const USER = "5e000000-0000-4000-8000-00000000000A";
const OTHER = "5e000000-0000-4000-8000-00000000000b";
const ROLE = "0c000003-0000-4000-8000-000000000001";
const TEAM = "7e000000-0000-4000-8000-000000000003";
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
          { logicalName: "team", id: TEAM },
          [{ logicalName: "fieldsecurityprofile", id: ROLE }],
          "teamprofiles_association",
        ),
        false,
      ),
    ).toMatchObject({
      kind: "ignore",
      reason: "Associate of teamprofiles_association",
    });
    expect(planEvent({ ...updateEvent(USER), MessageName: "Delete" }, false)).toMatchObject({ kind: "ignore" });
    expect(planEvent({ ...updateEvent(USER), PrimaryEntityName: "account" }, false)).toMatchObject({ kind: "ignore" });
  });

  it("evaluates the users a team membership names, from either side, and a team's members when only the team is named", () => {
    const joined = associateEvent(
      "Associate",
      { logicalName: "team", id: TEAM },
      [{ logicalName: "systemuser", id: USER }],
      "teammembership_association",
    );
    expect(planEvent(joined, false)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()], roleIds: [], teamIds: [] });
    const left = associateEvent(
      "Disassociate",
      { logicalName: "systemuser", id: USER },
      [{ logicalName: "team", id: TEAM }],
      "teammembership_association",
    );
    expect(planEvent(left, false)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()] });
    // Only the team: after an Associate its members include the new ones; after a Disassociate they do not.
    const teamOnly = (message: "Associate" | "Disassociate") =>
      planEvent(associateEvent(message, { logicalName: "team", id: TEAM }, [], "teammembership_association"), false);
    expect(teamOnly("Associate")).toMatchObject({ kind: "evaluate", userIds: [], teamIds: [TEAM] });
    expect(teamOnly("Disassociate")).toMatchObject({ kind: "evaluate", everyServiceAccount: true });
  });

  it("evaluates a team's members when a role is given to it or taken from it, and everyone when the team is not named", () => {
    for (const message of ["Associate", "Disassociate"] as const) {
      const fromTeam = associateEvent(
        message,
        { logicalName: "team", id: TEAM },
        [{ logicalName: "role", id: ROLE }],
        "teamroles_association",
      );
      expect(planEvent(fromTeam, false)).toMatchObject({ kind: "evaluate", userIds: [], roleIds: [], teamIds: [TEAM] });
      const fromRole = associateEvent(
        message,
        { logicalName: "role", id: ROLE },
        [{ logicalName: "team", id: TEAM }],
        "teamroles_association",
      );
      expect(planEvent(fromRole, false)).toMatchObject({ kind: "evaluate", teamIds: [TEAM] });
      const roleOnly = associateEvent(message, { logicalName: "role", id: ROLE }, [], "teamroles_association");
      expect(planEvent(roleOnly, false)).toMatchObject({ kind: "evaluate", everyServiceAccount: true });
    }
  });

  it("evaluates the MemberIds of AddMembersTeam and RemoveMembersTeam, the team's members when an addition names none", () => {
    const members = (message: string, inputs: { key: string; value: unknown }[]) => ({
      MessageName: message,
      PrimaryEntityName: "team",
      PrimaryEntityId: TEAM,
      CorrelationId: "9f0e3f3a-1111-4000-8000-000000000001",
      InputParameters: inputs,
    });
    const named = [
      { key: "TeamId", value: TEAM },
      { key: "MemberIds", value: [USER, USER.toUpperCase()] },
    ];
    expect(planEvent(members("AddMembersTeam", named), false)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()] });
    expect(planEvent(members("RemoveMembersTeam", named), false)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()] });
    expect(planEvent(members("AddMembersTeam", []), true)).toMatchObject({ kind: "evaluate", teamIds: [TEAM] });
    expect(planEvent(members("RemoveMembersTeam", []), true)).toMatchObject({ kind: "evaluate", everyServiceAccount: true });
    expect(() => planEvent(members("AddMembersTeam", [{ key: "MemberIds", value: "not a list" }]), false)).toThrow(PayloadError);
    expect(() => planEvent(members("AddMembersTeam", [{ key: "MemberIds", value: ["nope"] }]), false)).toThrow(
      "MemberIds[0] is not a GUID",
    );
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

  const inputs = (body: Record<string, unknown>) => body.InputParameters as { key: string; value: unknown }[];
  const withInput = (body: Record<string, unknown>, key: string, value: unknown) => ({
    ...body,
    InputParameters: inputs(body).map((input) => (input.key === key ? { key, value } : input)),
  });
  const association = () => associateEvent("Associate", { logicalName: "systemuser", id: USER }, [{ logicalName: "role", id: ROLE }]);

  it.each<[string, unknown, string]>([
    ["a list", [1, 2], "the body is not a JSON object"],
    ["an empty MessageName", { ...updateEvent(USER), MessageName: "" }, "MessageName is missing or not text"],
    ["a MessageName that is a number", { ...updateEvent(USER), MessageName: 5 }, "MessageName is missing or not text"],
    ["a bad PrimaryEntityId", { ...updateEvent(USER), PrimaryEntityId: "not-a-guid" }, "PrimaryEntityId is not a GUID"],
    ["InputParameters that are text", { ...updateEvent(USER), InputParameters: "x" }, "InputParameters is not an array"],
    ["OutputParameters that are text", { ...createEvent(USER), OutputParameters: "x" }, "OutputParameters is not an array"],
    [
      "a malformed created id",
      { ...createEvent(USER), OutputParameters: [{ key: "id", value: "12" }] },
      "OutputParameters id is not a GUID",
    ],
    ["a Target that is text", withInput(updateEvent(USER), "Target", "x"), "Target is not an entity reference"],
    ["a malformed Target Id", withInput(association(), "Target", { LogicalName: "systemuser", Id: "12" }), "Target.Id is not a GUID"],
    [
      "RelatedEntities that are text",
      withInput(association(), "RelatedEntities", "x"),
      "RelatedEntities is not a list of entity references",
    ],
    [
      "an object of RelatedEntities without a list",
      withInput(association(), "RelatedEntities", { Items: "x" }),
      "RelatedEntities is not a list of entity references",
    ],
    [
      "a malformed related Id",
      withInput(association(), "RelatedEntities", [
        { LogicalName: "role", Id: ROLE },
        { LogicalName: "role", Id: "12" },
      ]),
      "RelatedEntities[1].Id is not a GUID",
    ],
    ["a related entry that is text", withInput(association(), "RelatedEntities", ["x"]), "RelatedEntities[0] is not an entity reference"],
  ])("refuses %s in words that say which part", (_name, body, reason) => {
    expect(() => planEvent(body, false)).toThrow(new PayloadError(reason));
  });

  it("gives the whole plan: message, correlation id, users and roles, no wider reason", () => {
    expect(planEvent(updateEvent(USER), false)).toEqual({
      kind: "evaluate",
      message: "Update",
      correlationId: "9f0e3f3a-1111-4000-8000-000000000001",
      userIds: [USER.toLowerCase()],
      roleIds: [],
      teamIds: [],
      everyServiceAccount: false,
    });
    expect(planEvent({ ...updateEvent(USER), CorrelationId: 7 }, false)).toMatchObject({ correlationId: "" });
  });

  it("says why it evaluates every service account, or ignores an event, in the plan's reason", () => {
    expect(planEvent({ ...updateEvent(EMPTY), PrimaryEntityId: EMPTY }, false)).toEqual({
      kind: "evaluate",
      message: "Update",
      correlationId: "9f0e3f3a-1111-4000-8000-000000000001",
      userIds: [],
      roleIds: [],
      teamIds: [],
      everyServiceAccount: true,
      reason: "Update of a systemuser the event does not identify",
    });
    expect(planEvent(strippedEvent("Disassociate", "role", ROLE), true)).toMatchObject({
      reason: "Disassociate whose users the event does not identify",
    });
    expect(planEvent({ ...updateEvent(USER), MessageName: "Delete" }, false)).toEqual({
      kind: "ignore",
      message: "Delete",
      correlationId: "9f0e3f3a-1111-4000-8000-000000000001",
      reason: "message Delete",
    });
    expect(planEvent({ ...updateEvent(USER), PrimaryEntityName: "account" }, false)).toMatchObject({
      kind: "ignore",
      reason: "Update of account",
    });
  });

  it.each<[string, unknown]>([
    ["absent", undefined],
    ["null", null],
    ["empty", ""],
    ["all zeros", EMPTY],
  ])("takes a PrimaryEntityId that is %s as no id, and the Target's id", (_name, primaryId) => {
    expect(planEvent({ ...updateEvent(USER), PrimaryEntityId: primaryId }, false)).toMatchObject({
      kind: "evaluate",
      userIds: [USER.toLowerCase()],
    });
  });

  it("takes InputParameters that are null as none", () => {
    expect(planEvent({ ...updateEvent(USER), InputParameters: null }, false)).toMatchObject({
      kind: "evaluate",
      userIds: [USER.toLowerCase()],
    });
  });

  it("takes an empty PrimaryEntityName as none, and the table from the Target", () => {
    expect(planEvent({ ...updateEvent(USER), PrimaryEntityName: "" }, false)).toMatchObject({
      kind: "evaluate",
      userIds: [USER.toLowerCase()],
    });
  });

  it("evaluates an Update whose table nothing names, by its ids", () => {
    const body = withInput({ ...updateEvent(USER), PrimaryEntityName: undefined }, "Target", { Id: USER });
    expect(planEvent(body, false)).toMatchObject({ kind: "evaluate", userIds: [USER.toLowerCase()] });
  });

  it("evaluates an Update without a Target by its PrimaryEntityId, and reads OutputParameters only for a Create", () => {
    expect(planEvent(withInput(updateEvent(USER), "Target", null), false)).toMatchObject({
      kind: "evaluate",
      userIds: [USER.toLowerCase()],
    });
    expect(planEvent({ ...updateEvent(USER), OutputParameters: [{ key: "id", value: OTHER }] }, false)).toMatchObject({
      userIds: [USER.toLowerCase()],
    });
  });

  it("skips missing related entries and takes missing RelatedEntities as none", () => {
    expect(planEvent(withInput(association(), "RelatedEntities", null), false)).toMatchObject({
      kind: "evaluate",
      userIds: [USER.toLowerCase()],
    });
    const related = withInput(associateEvent("Associate", { logicalName: "role", id: ROLE }, []), "RelatedEntities", [
      null,
      { LogicalName: "systemuser", Id: OTHER },
    ]);
    expect(planEvent(related, false)).toMatchObject({ kind: "evaluate", userIds: [OTHER.toLowerCase()] });
  });
});

describe("FILTERING_ATTRIBUTES", () => {
  /** Every field of the user record that evaluating these snapshots, or looking them up in Entra, reads. */
  function fieldsRead(snapshots: UserSnapshot[]): Set<string> {
    const read = new Set<string>();
    const watched = (user: UserRecord): UserRecord =>
      new Proxy(user, {
        get(target, property, receiver) {
          if (typeof property === "string") read.add(property);
          return Reflect.get(target, property, receiver) as unknown;
        },
      });
    for (const base of snapshots) {
      const user = watched(base.user);
      evaluate({ ...base, user }, DEFAULT_POLICY);
      void readEntraFor(() => Promise.resolve(NOTHING_READ), [user]);
      entraFactsOf(user, NOTHING_READ);
    }
    return read;
  }

  it("are the columns of every user field the rules and the Entra lookup read, except the id no update changes", () => {
    const kinds: UserSnapshot[] = [
      snapshot(),
      snapshot({ user: { accessMode: 0, isLicensed: true, primaryEmail: null } }),
      snapshot({ user: { primaryEmail: "svc@contoso.com", emailApproval: 3, isDisabled: true } }),
      snapshot({ user: { applicationId: "0d000000-0000-4000-8000-000000000001" } }),
      snapshot({ user: { domainName: "crmoln@microsoft.com", accessMode: 3 } }),
      snapshot({ roles: [role("Integration Service Account", CHILD_BU)], isOnPremises: true, actor: null }),
    ];
    const columns = [...fieldsRead(kinds)].map((field) => USER_FIELD_COLUMNS[field as keyof UserRecord]);
    expect(new Set(columns.filter((column) => column !== null && column !== "systemuserid"))).toEqual(new Set(FILTERING_ATTRIBUTES));
    // FIELDS_THE_RULES_READ says the same, so the registration's list cannot drift from the rules.
    expect(new Set(fieldsRead(kinds))).toEqual(new Set(FIELDS_THE_RULES_READ));
  });
});
