import { classifyAccount } from "../../src/core/accountKind";

const user = (domainName: string, accessMode = 0, applicationId: string | null = null) => ({ domainName, accessMode, applicationId });

describe("the kind of account", () => {
  it("knows an application user by its application id, whatever its access mode", () => {
    expect(classifyAccount(user("# svc-app", 4, "30000000-0000-0000-0000-000000000001"))).toBe("application");
  });

  it("knows the platform's placeholder users by access mode or by their UPN, in any case and with stray blanks", () => {
    expect(classifyAccount(user("someone@contoso.com", 3))).toBe("support");
    expect(classifyAccount(user(" CRMOLN@microsoft.com "))).toBe("support");
    expect(classifyAccount(user("someone@contoso.com", 5))).toBe("delegated-admin");
    expect(classifyAccount(user("\tcrmoln2@MICROSOFT.com"))).toBe("delegated-admin");
  });

  it("counts everyone else as a user, whatever the access mode", () => {
    expect(classifyAccount(user("svc-erp@contoso.com", 4))).toBe("user");
    expect(classifyAccount(user("crmoln@microsoft.com.contoso.com"))).toBe("user");
  });
});
