import { DEFAULT_POLICY, policyFrom, sameRoleName } from "../../src/core/policy";

describe("policyFrom", () => {
  it("gives the defaults for empty configuration", () => {
    expect(policyFrom({})).toEqual(DEFAULT_POLICY);
    expect(policyFrom({ serviceRoleName: "  ", nonInteractiveLimit: null })).toEqual(DEFAULT_POLICY);
  });

  it("splits forbidden roles on semicolons and trims them", () => {
    expect(policyFrom({ forbiddenRoleNames: " System Administrator ;; Delegate ;" }).forbiddenRoleNames).toEqual([
      "System Administrator",
      "Delegate",
    ]);
  });

  it("lets an empty forbidden list mean none", () => {
    expect(policyFrom({ forbiddenRoleNames: "" }).forbiddenRoleNames).toEqual([]);
  });

  it("never forbids the service role itself", () => {
    expect(policyFrom({ serviceRoleName: "Sync", forbiddenRoleNames: "sync;System Administrator" }).forbiddenRoleNames).toEqual([
      "System Administrator",
    ]);
  });

  it.each([0, -1, 2.5, Number.NaN])("ignores the limit %p", (limit) => {
    expect(policyFrom({ nonInteractiveLimit: limit }).fallbackNonInteractiveLimit).toBe(7);
  });

  it("keeps a sensible limit", () => {
    expect(policyFrom({ nonInteractiveLimit: 5 }).fallbackNonInteractiveLimit).toBe(5);
  });
});

describe("sameRoleName", () => {
  it("ignores case and outer blanks but not accents", () => {
    expect(sameRoleName(" System Administrator", "system administrator ")).toBe(true);
    expect(sameRoleName("Rôle", "Role")).toBe(false);
  });
});
