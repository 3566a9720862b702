import { readXrmEnvironment, type XrmGlobalContext } from "../../src/dataverse/xrmEnvironment";

const HOST = { roleAssignment: true };

function context(
  privileges: () => Promise<Record<string, { privilegeName: string }>>,
  isOnPremises?: () => boolean,
  roles?: string[],
  orgLanguage = 1033,
): XrmGlobalContext {
  const lookups = (roles ?? []).map((name, index) => ({ id: `r${index}`, name, entityType: "role" }));
  return {
    userSettings: { userId: "{ADMIN}", getSecurityRolePrivilegesInfo: privileges, ...(roles ? { roles: { get: () => lookups } } : {}) },
    organizationSettings: { languageId: orgLanguage },
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

  it("tells from userSettings.roles whether the admin holds System Administrator", async () => {
    const none = () => Promise.resolve({});
    expect(
      (await readXrmEnvironment(context(none, undefined, ["Salesperson", "System Administrator"]), "", HOST)).actor?.isSystemAdministrator,
    ).toBe(true);
    expect((await readXrmEnvironment(context(none, undefined, ["Salesperson"]), "", HOST)).actor?.isSystemAdministrator).toBe(false);
    // Role names are in the organization's base language: another language's list says nothing.
    expect((await readXrmEnvironment(context(none, undefined, ["Vendeur"], 1036), "", HOST)).actor?.isSystemAdministrator).toBeNull();
    expect((await readXrmEnvironment(context(none), "", HOST)).actor?.isSystemAdministrator).toBeNull();
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
