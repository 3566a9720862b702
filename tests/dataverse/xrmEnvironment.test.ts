import { readXrmEnvironment, type XrmGlobalContext } from "../../src/dataverse/xrmEnvironment";

function context(privileges: () => Promise<Record<string, { privilegeName: string }>>, isOnPremises?: () => boolean): XrmGlobalContext {
  return { userSettings: { userId: "{ADMIN}", getSecurityRolePrivilegesInfo: privileges }, isOnPremises } as unknown as XrmGlobalContext;
}

describe("readXrmEnvironment", () => {
  it("collects privilege names from getSecurityRolePrivilegesInfo", async () => {
    const facts = await readXrmEnvironment(
      context(() => Promise.resolve({ p1: { privilegeName: "prvWriteUser" }, p2: { privilegeName: "prvReadRole" } }), () => false),
    );
    expect(facts.isOnPremises).toBe(false);
    expect(facts.actor?.userId).toBe("{ADMIN}");
    expect([...(facts.actor?.privileges ?? [])]).toEqual(["prvWriteUser", "prvReadRole"]);
  });

  it("leaves privileges unknown when the platform cannot give them", async () => {
    const facts = await readXrmEnvironment(context(() => Promise.reject(new Error("offline"))));
    expect(facts.actor?.privileges).toBeNull();
  });

  it("detects on-premises", async () => {
    expect((await readXrmEnvironment(context(() => Promise.resolve({}), () => true))).isOnPremises).toBe(true);
  });
});
