import { readXrmEnvironment, type XrmGlobalContext } from "../../src/dataverse/xrmEnvironment";

const HOST = { roleAssignment: true };

function context(privileges: () => Promise<Record<string, { privilegeName: string }>>, isOnPremises?: () => boolean): XrmGlobalContext {
  const roles = [{ id: "r0", name: "System Administrator", entityType: "role" }];
  return {
    userSettings: { userId: "{ADMIN}", getSecurityRolePrivilegesInfo: privileges, roles: { get: () => roles } },
    isOnPremises,
  } as unknown as XrmGlobalContext;
}

describe("readXrmEnvironment", () => {
  it("collects privilege names from getSecurityRolePrivilegesInfo", async () => {
    const facts = await readXrmEnvironment(
      context(
        () => Promise.resolve({ p1: { privilegeName: "prvWriteUser" }, p2: { privilegeName: "prvReadRole" } }),
        () => false,
      ),
      "",
      HOST,
    );
    expect(facts.isOnPremises).toBe(false);
    expect(facts.actor?.userId).toBe("{ADMIN}");
    expect([...(facts.actor?.privileges ?? [])]).toEqual(["prvWriteUser", "prvReadRole"]);
    expect(facts.host).toEqual(HOST);
  });

  it("leaves privileges unknown when the platform cannot give them", async () => {
    const facts = await readXrmEnvironment(
      context(() => Promise.reject(new Error("offline"))),
      "",
      HOST,
    );
    expect(facts.actor?.privileges).toBeNull();
  });

  it("detects on-premises", async () => {
    expect(
      (
        await readXrmEnvironment(
          context(
            () => Promise.resolve({}),
            () => true,
          ),
          "",
          HOST,
        )
      ).isOnPremises,
    ).toBe(true);
  });

  it("does not judge System Administrator by userSettings.roles, whose names are base-language strings: the user read does, by template", async () => {
    const facts = await readXrmEnvironment(
      context(() => Promise.resolve({})),
      "",
      HOST,
    );
    expect(facts.actor).toMatchObject({ isSystemAdministrator: null, accessMode: null });
  });

  it("knows only the user id in a host without a global Xrm", async () => {
    const host = { roleAssignment: false };
    expect(await readXrmEnvironment(null, "{ADMIN}", host)).toEqual({
      isOnPremises: false,
      actor: { userId: "{ADMIN}", privileges: null, isSystemAdministrator: null, accessMode: null },
      host,
    });
  });
});
