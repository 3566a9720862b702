import { ROLE_TEMPLATE_IDS } from "../../src/core/roleNames";
import { roleId, ROOT_BU, SALES_BU, sampleOrg, TEAMS, USERS } from "../../src/emulator/sampleOrg";
import { asCaller, BASE, emulatorSuite, type Json } from "../support/emulator";

/** Teams, their members and roles, and privileges, as Dataverse has them (docs/emulator.md, "Teams and privileges"). */
describe("the emulator's teams and privileges", () => {
  const suite = emulatorSuite();
  const { get, send } = suite;
  const members = (...ids: string[]) => ({
    Members: ids.map((ownerid) => ({ "@odata.type": "Microsoft.Dynamics.CRM.systemuser", ownerid })),
  });
  const store = () => suite.running.emulator.store;
  const defaultTeamOf = (businessUnitId: string) => String(store().defaultTeamOf(businessUnitId).teamid);

  it("gives every business unit a default owner team holding its users, which nobody joins or leaves by hand", async () => {
    const salesTeam = defaultTeamOf(SALES_BU);
    const { body } = await get(`teams(${salesTeam})/teammembership_association?$select=fullname`);
    expect((body.value as Json[]).map((user) => String(user.fullname)).sort()).toEqual(["Sales Connector", "Sam Sales"]);
    expect(await send("POST", `teams(${salesTeam})/Microsoft.Dynamics.CRM.AddMembersTeam`, members(USERS.compliant))).toMatchObject({
      status: 400,
      body: { error: { code: "0x8004830b" } },
    });
    expect(await send("POST", `teams(${salesTeam})/Microsoft.Dynamics.CRM.RemoveMembersTeam`, members(USERS.salesNonAdmin))).toMatchObject({
      status: 400,
      body: { error: { code: "0x8004830c" } },
    });
  });

  it("adds and removes owner team members with AddMembersTeam, RemoveMembersTeam and $ref, from either side, with prvWriteTeam", async () => {
    expect(
      (await send("POST", `teams(${TEAMS.legacyAdmins})/Microsoft.Dynamics.CRM.AddMembersTeam`, members(USERS.compliant))).status,
    ).toBe(204);
    expect(store().isLinked("teammembership_association", USERS.compliant, TEAMS.legacyAdmins)).toBe(true);
    expect(
      (await send("POST", `teams(${TEAMS.legacyAdmins})/Microsoft.Dynamics.CRM.RemoveMembersTeam`, members(USERS.compliant))).status,
    ).toBe(204);
    expect(store().isLinked("teammembership_association", USERS.compliant, TEAMS.legacyAdmins)).toBe(false);
    const reference = { "@odata.id": `${suite.running.url}${BASE}teams(${TEAMS.legacyAdmins})` };
    expect((await send("POST", `systemusers(${USERS.compliant})/teammembership_association/$ref`, reference)).status).toBe(204);
    expect((await send("DELETE", `teams(${TEAMS.legacyAdmins})/teammembership_association(${USERS.compliant})/$ref`)).status).toBe(204);
    expect(store().isLinked("teammembership_association", USERS.compliant, TEAMS.legacyAdmins)).toBe(false);
    // The members are systemusers keyed by ownerid ("Use Web API actions").
    expect(
      (
        await send("POST", `teams(${TEAMS.legacyAdmins})/Microsoft.Dynamics.CRM.AddMembersTeam`, {
          Members: [{ systemuserid: USERS.compliant }],
        })
      ).status,
    ).toBe(400);
    expect(
      await send(
        "POST",
        `teams(${TEAMS.legacyAdmins})/Microsoft.Dynamics.CRM.AddMembersTeam`,
        members(USERS.compliant),
        asCaller(USERS.salesNonAdmin),
      ),
    ).toMatchObject({ status: 403, body: { error: { code: "0x80040220", message: expect.stringContaining("prvWriteTeam") } } });
    // A disabled user joins no team.
    expect(await send("POST", `teams(${TEAMS.legacyAdmins})/Microsoft.Dynamics.CRM.AddMembersTeam`, members(USERS.disabled))).toMatchObject(
      {
        status: 400,
        body: { error: { code: "0x80048d36" } },
      },
    );
  });

  it("refuses members added by hand to a Microsoft Entra group team, whose members Entra manages", async () => {
    const refusal = { status: 400, body: { error: { code: "0x80040208" } } };
    expect(
      await send("POST", `teams(${TEAMS.dataverseAdmins})/Microsoft.Dynamics.CRM.AddMembersTeam`, members(USERS.compliant)),
    ).toMatchObject(refusal);
    const reference = { "@odata.id": `${suite.running.url}${BASE}systemusers(${USERS.compliant})` };
    expect(await send("POST", `teams(${TEAMS.dataverseAdmins})/teammembership_association/$ref`, reference)).toMatchObject(refusal);
    expect(
      await send("DELETE", `teams(${TEAMS.dataverseAdmins})/teammembership_association(${USERS.compliantMarketing})/$ref`),
    ).toMatchObject(refusal);
    // Dataverse adds a group member at sign-in, and raises an event for it.
    const signIn = await fetch(`${suite.running.url}/_emulator/group-teams/${TEAMS.dataverseAdmins}/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: USERS.compliant }),
    });
    expect(signIn.status).toBe(200);
    expect(store().isLinked("teammembership_association", USERS.compliant, TEAMS.dataverseAdmins)).toBe(true);
  });

  it("gives roles to teams as Dataverse does: never to an access team, only inheritable ones to a group team, the copy of the team's unit, once", async () => {
    const give = (team: string, role: string) =>
      send("POST", `teams(${team})/teamroles_association/$ref`, { "@odata.id": `${suite.running.url}${BASE}roles(${role})` });
    expect(await give(TEAMS.accountReviewers, roleId("Integration Reader"))).toMatchObject({
      status: 400,
      body: { error: { code: "0x80048331" } },
    });
    store().update("role", roleId("Integration Reader"), { isinherited: 0 });
    expect(await give(TEAMS.dataverseAdmins, roleId("Integration Reader"))).toMatchObject({
      status: 400,
      body: { error: { code: "0x80048350" } },
    });
    expect(await give(TEAMS.legacyAdmins, roleId("Integration Reader", SALES_BU))).toMatchObject({
      status: 400,
      body: { error: { code: "0x80040203" } },
    });
    expect((await give(TEAMS.legacyAdmins, roleId("Integration Reader"))).status).toBe(204);
    expect(await give(TEAMS.legacyAdmins, roleId("Integration Reader"))).toMatchObject({
      status: 412,
      body: { error: { code: "0x80040237" } },
    });
    // From the role's side too, and taken away again.
    expect((await send("DELETE", `roles(${roleId("Integration Reader")})/teamroles_association(${TEAMS.legacyAdmins})/$ref`)).status).toBe(
      204,
    );
    expect(store().isLinked("teamroles_association", TEAMS.legacyAdmins, roleId("Integration Reader"))).toBe(false);
  });

  it("gives a user the privileges of their teams' roles, so a team's System Administrator may change access modes", async () => {
    // Nora holds no role; through the Dataverse Admins group team she holds System Administrator.
    store().link("teammembership_association", USERS.interactive, TEAMS.dataverseAdmins);
    const changed = await send("PATCH", `systemusers(${USERS.interactiveWithServiceRole})`, { accessmode: 4 }, asCaller(USERS.interactive));
    expect(changed.status).toBe(204);
  });

  it("filters through nested lambdas across teams, and refuses a lambda inside an $expand's $filter, which no page documents", async () => {
    const heldThroughTeams = `roles?$select=name&$filter=${encodeURIComponent(
      `teamroles_association/any(t:t/teammembership_association/any(u:u/systemuserid eq ${USERS.forbiddenRole}))`,
    )}`;
    expect(((await get(heldThroughTeams)).body.value as Json[]).map((role) => String(role.name))).toEqual(["System Customizer"]);
    const admins = `systemusers?$select=fullname&$filter=${encodeURIComponent(
      `teammembership_association/any(t:t/teamroles_association/any(r:r/_roletemplateid_value eq ${ROLE_TEMPLATE_IDS.systemAdministrator}))`,
    )}`;
    expect(((await get(admins)).body.value as Json[]).map((user) => String(user.fullname))).toEqual(["Marketing Sync"]);
    const lambdaInExpand = `roles?$select=name&$expand=teamroles_association($select=name;$filter=${encodeURIComponent(
      `teammembership_association/any(u:u/systemuserid eq ${USERS.forbiddenRole})`,
    )})`;
    expect((await get(lambdaInExpand)).status).toBe(400);
  });

  it("refuses a nested expansion under an N:N relationship, and more than 15 expansions, as Join tables using OData says", async () => {
    const nested = await get(
      `systemusers?$select=fullname&$expand=teammembership_association($select=name;$expand=teamroles_association($select=name))`,
    );
    expect(nested).toMatchObject({
      status: 400,
      body: { error: { message: "Only many-to-one relationships are supported for nested expansion." } },
    });
    const many = Array.from({ length: 16 }, () => "businessunitid($select=name)").join(",");
    expect((await get(`systemusers?$select=fullname&$expand=${many}`)).status).toBe(400);
  });

  it("needs the read privilege of every table a query reaches through an expansion or a lambda", async () => {
    store().setRolePrivileges(roleId("Salesperson", SALES_BU), [
      { name: "prvReadUser", depth: "Global" },
      { name: "prvReadRole", depth: "Global" },
    ]);
    const asSam = asCaller(USERS.salesNonAdmin);
    expect(await get(`systemusers?$select=fullname&$expand=teammembership_association($select=name)`, asSam)).toMatchObject({
      status: 403,
      body: { error: { message: expect.stringContaining("prvReadTeam") } },
    });
    const throughTeams = `roles?$select=name&$filter=${encodeURIComponent(`teamroles_association/any(t:t/name eq 'x')`)}`;
    expect((await get(throughTeams, asSam)).status).toBe(403);
  });

  it("serves each role's privileges through roleprivileges_association, and the privileges table", async () => {
    const { body } = await get(
      `roles(${roleId("Integration Role Manager")})?$select=name&$expand=roleprivileges_association($select=name;$filter=name eq 'prvAssignRole')`,
    );
    expect(body.roleprivileges_association).toEqual([expect.objectContaining({ name: "prvAssignRole" })]);
    const grants = await get(
      `privileges?$select=name&$filter=name eq 'prvActOnBehalfOfAnotherUser'&$expand=roleprivileges_association($select=name)`,
    );
    const [privilege] = grants.body.value as Json[];
    expect((privilege.roleprivileges_association as Json[]).map((role) => String(role.name)).sort()).toEqual([
      "Integration Role Manager",
      "Integration Role Manager",
      "System Administrator",
      "System Administrator",
    ]);
  });
});

describe("an emulated org whose base language is French", () => {
  const suite = emulatorSuite(() => sampleOrg({ baseLanguage: 1036 }));

  it("names the system roles in French and keeps their templates, so System Administrator still changes access modes", async () => {
    const { body } = await suite.get(`roles?$select=name,_roletemplateid_value&$filter=_businessunitid_value eq ${ROOT_BU}`);
    expect(body.value).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "Administrateur système", _roletemplateid_value: ROLE_TEMPLATE_IDS.systemAdministrator }),
        expect.objectContaining({ name: "Personnalisateur du système", _roletemplateid_value: ROLE_TEMPLATE_IDS.systemCustomizer }),
      ]),
    );
    expect((await suite.send("PATCH", `systemusers(${USERS.interactiveWithServiceRole})`, { accessmode: 4 })).status).toBe(204);
  });
});
