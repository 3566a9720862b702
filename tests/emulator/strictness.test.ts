import { toDataverseError } from "../../src/dataverse/errors";
import { HttpDataverseClient } from "../../src/dataverse-node/httpClient";
import { USER_ROLES_RELATIONSHIP } from "../../src/dataverse/queries";
import { roleId, USERS } from "../../src/emulator/sampleOrg";
import { BASE, emulatorSuite, ODATA_HEADERS, type Json } from "../support/emulator";

/** Behaviours where Dataverse is stricter, or different, than a naive emulator would be (docs/emulator.md, "Solutions, publishing and the stricter rules"). */
describe("emulator strictness", () => {
  const suite = emulatorSuite();
  const { get } = suite;

  it("ignores $top when odata.maxpagesize is given (Page results)", async () => {
    const { body } = await get("systemusers?$select=fullname&$top=1", { prefer: "odata.maxpagesize=2" });
    expect(body.value).toHaveLength(2);
    expect(body["@odata.nextLink"]).toEqual(expect.any(String));
    expect((await get("systemusers?$select=fullname&$top=1")).body.value).toHaveLength(1);
  });

  it("returns, with a single-level expand of a collection, each row's collection URL as <property>@odata.nextLink", async () => {
    const { body } = await get(
      `systemusers?$select=fullname&$filter=systemuserid eq ${USERS.forbiddenRole}&$expand=systemuserroles_association($select=name)`,
    );
    const [user] = body.value as Json[];
    const link = user["systemuserroles_association@odata.nextLink"] as string;
    expect(link).toBe(`${suite.running.url}${BASE}systemusers(${USERS.forbiddenRole})/systemuserroles_association?$select=name`);
    const followed = await get(link.slice(link.indexOf(BASE) + BASE.length));
    expect(followed.status).toBe(200);
    const names = (roles: Json[]) => roles.map((role) => String(role.name)).sort();
    expect(names(followed.body.value as Json[])).toEqual(names(user.systemuserroles_association as Json[]));

    const single = await get(`systemusers(${USERS.forbiddenRole})?$select=fullname&$expand=systemuserroles_association($select=name)`);
    expect(single.body["systemuserroles_association@odata.nextLink"]).toBe(link);
  });

  it("lets isdisabled and islicensed be written (systemuser table reference)", async () => {
    const response = await fetch(`${suite.running.url}${BASE}systemusers(${USERS.interactive})`, {
      method: "PATCH",
      headers: { ...ODATA_HEADERS, "content-type": "application/json" },
      body: JSON.stringify({ isdisabled: true, islicensed: false }),
    });
    expect(response.status).toBe(204);
    expect(suite.running.emulator.store.get("systemuser", USERS.interactive)).toMatchObject({ isdisabled: true, islicensed: false });
  });

  it("classifies a duplicate role association by its code, whatever the status (DuplicateRecord arrives as 412)", async () => {
    const response = await fetch(`${suite.running.url}${BASE}systemusers(${USERS.compliant})/systemuserroles_association/$ref`, {
      method: "POST",
      headers: { ...ODATA_HEADERS, "content-type": "application/json" },
      body: JSON.stringify({ "@odata.id": `${suite.running.url}${BASE}roles(${roleId("Integration Service Account")})` }),
    });
    expect(response.status).toBe(412);
    expect(((await response.json()) as Json).error.code).toBe("0x80040237");
    // The product reads "already held", not "someone changed the row", from the same answer.
    const client = new HttpDataverseClient(suite.running.url, () => Promise.resolve(null));
    const failure = await client
      .associate("systemuser", USERS.compliant, USER_ROLES_RELATIONSHIP, "role", roleId("Integration Service Account"))
      .catch((error: unknown) => error);
    expect(toDataverseError(failure)).toMatchObject({ kind: "duplicate", status: 412 });
  });
});
