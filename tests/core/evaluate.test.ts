import { evaluate } from "../../src/core/evaluate";
import { DEFAULT_POLICY, policyFrom } from "../../src/core/policy";
import { failingCheckIds, type CheckId, type ComplianceReport } from "../../src/core/report";
import { ADMIN_ID, CHILD_BU, role, snapshot, USER_ID } from "../support/snapshots";

function check(report: ComplianceReport, id: CheckId) {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

describe("evaluate", () => {
  it("finds a non-interactive, unlicensed user with the service role and nothing forbidden compliant", () => {
    const report = evaluate(snapshot(), DEFAULT_POLICY);
    expect(report.status).toBe("compliant");
    expect(report.isServiceAccount).toBe(true);
    expect(failingCheckIds(report)).toEqual([]);
  });

  it("never reports the manual checks as passed", () => {
    const report = evaluate(snapshot(), DEFAULT_POLICY);
    expect(check(report, "password-expiry").status).toBe("manual");
    expect(check(report, "m365-admin-role").status).toBe("manual");
  });

  it("gives every check a stable id, once, in a fixed order", () => {
    const ids = evaluate(snapshot(), DEFAULT_POLICY).checks.map((c) => c.id);
    expect(ids).toEqual([
      "account-type",
      "online-environment",
      "not-own-account",
      "account-enabled",
      "primary-email",
      "access-mode",
      "service-role",
      "forbidden-roles",
      "forbidden-privileges",
      "sensitive-privileges",
      "licence-released",
      "non-interactive-capacity",
      "password-expiry",
      "credential-age",
      "m365-admin-role",
      "interactive-sign-in",
      "recent-use",
      "mfa-policy",
    ]);
  });

  it("is deterministic", () => {
    const input = snapshot({ user: { isLicensed: true }, roles: [role("System Administrator")] });
    const first = evaluate(input, DEFAULT_POLICY);
    expect(evaluate(input, DEFAULT_POLICY)).toEqual(first);
    // And it is the report the rules give, not merely the same one twice.
    expect(first.status).toBe("non-compliant");
    expect(failingCheckIds(first)).toEqual(["service-role", "forbidden-roles", "licence-released"]);
  });

  describe("account type", () => {
    it("holds an application user to the rules that still apply: enabled, least privilege, its app's credentials and owner", () => {
      const app = { applicationId: "30000000-0000-0000-0000-000000000001", isLicensed: false, primaryEmail: null };
      const report = evaluate(snapshot({ user: app, roles: [] }), DEFAULT_POLICY);
      expect(report).toMatchObject({ status: "compliant", accountKind: "application", isServiceAccount: true });
      expect(report.checks.map((c) => [c.id, c.status])).toEqual([
        ["account-type", "pass"],
        ["account-enabled", "pass"],
        ["forbidden-roles", "pass"],
        ["forbidden-privileges", "pass"],
        ["sensitive-privileges", "pass"],
        ["app-credentials", "manual"],
        ["app-owner", "manual"],
      ]);
      expect(evaluate(snapshot({ user: app, roles: [role("System Administrator")] }), DEFAULT_POLICY).status).toBe("non-compliant");
      expect(evaluate(snapshot({ user: { ...app, isDisabled: true } }), DEFAULT_POLICY).status).toBe("non-compliant");
    });

    it.each([
      ["support user by access mode", { accessMode: 3 }, "support"],
      ["support user by UPN", { accessMode: 0, domainName: "CRMOLN@microsoft.com" }, "support"],
      ["delegated admin by access mode", { accessMode: 5 }, "delegated-admin"],
      ["delegated admin by UPN", { accessMode: 0, domainName: "crmoln2@microsoft.com" }, "delegated-admin"],
    ])("recognises the %s", (_name, user, kind) => {
      const report = evaluate(snapshot({ user }), DEFAULT_POLICY);
      expect(report.accountKind).toBe(kind);
      expect(report.status).toBe("not-service-account");
      expect(report.checks.flatMap((c) => c.fixes)).toEqual([]);
    });
  });

  describe("who is a service account", () => {
    it("an interactive user without the service role is not one, but the checks preview a conversion", () => {
      const report = evaluate(snapshot({ user: { accessMode: 0, isLicensed: true }, roles: [] }), DEFAULT_POLICY);
      expect(report.status).toBe("not-service-account");
      expect(report.isServiceAccount).toBe(false);
      expect(check(report, "access-mode").fixes).toEqual([{ action: "switch-to-non-interactive" }]);
      expect(check(report, "service-role").fixes).toEqual([{ action: "assign-service-role", roleName: "Integration Service Account" }]);
    });

    it("an interactive user holding the service role is one, and non-compliant", () => {
      const report = evaluate(snapshot({ user: { accessMode: 0 } }), DEFAULT_POLICY);
      expect(report.isServiceAccount).toBe(true);
      expect(report.status).toBe("non-compliant");
      expect(failingCheckIds(report)).toEqual(["access-mode"]);
    });

    it("a non-interactive user without the service role is one, and non-compliant", () => {
      const report = evaluate(snapshot({ roles: [] }), DEFAULT_POLICY);
      expect(report.status).toBe("non-compliant");
      expect(check(report, "service-role")).toMatchObject({ status: "fail", messageKey: "check_serviceRole_missing" });
    });
  });

  it("fails a disabled account", () => {
    const report = evaluate(snapshot({ user: { isDisabled: true } }), DEFAULT_POLICY);
    expect(report.status).toBe("non-compliant");
    expect(check(report, "account-enabled").status).toBe("fail");
  });

  describe("primary email", () => {
    it.each([
      [null, "fail", "check_email_missing"],
      ["   ", "fail", "check_email_missing"],
      ["not-an-address", "fail", "check_email_invalid"],
      ["two@@contoso.com", "fail", "check_email_invalid"],
      ["svc@localhost", "fail", "check_email_invalid"],
      ["svc erp@contoso.com", "fail", "check_email_invalid"],
      ["svc-erp@contoso.com", "pass", "check_email_pass"],
    ])("%p is %s", (primaryEmail, status, messageKey) => {
      expect(check(evaluate(snapshot({ user: { primaryEmail } }), DEFAULT_POLICY), "primary-email")).toMatchObject({ status, messageKey });
    });

    it("warns when the mailbox approval was rejected or is pending", () => {
      expect(check(evaluate(snapshot({ user: { emailApproval: 3 } }), DEFAULT_POLICY), "primary-email").messageKey).toBe(
        "check_email_rejected",
      );
      const pending = evaluate(snapshot({ user: { emailApproval: 2 } }), DEFAULT_POLICY);
      expect(check(pending, "primary-email").status).toBe("warning");
      expect(pending.status).toBe("needs-attention");
    });
  });

  describe("service role", () => {
    it("does not accept the copy from another business unit", () => {
      const report = evaluate(snapshot({ roles: [role("Integration Service Account", CHILD_BU)] }), DEFAULT_POLICY);
      expect(check(report, "service-role")).toMatchObject({
        status: "fail",
        messageKey: "check_serviceRole_wrongBusinessUnit",
        params: { role: "Integration Service Account", businessUnits: "Contoso Sales" },
        fixes: [{ action: "assign-service-role", roleName: "Integration Service Account" }],
      });
      expect(report.status).toBe("non-compliant");
    });

    it("accepts the copy in the user's unit even when another copy is held too", () => {
      const report = evaluate(
        snapshot({ roles: [role("Integration Service Account", CHILD_BU), role("Integration Service Account")] }),
        DEFAULT_POLICY,
      );
      expect(check(report, "service-role").status).toBe("pass");
    });

    it("compares role names case-insensitively and business unit ids regardless of case and braces", () => {
      const held = { ...role("integration service account"), businessUnitId: "{10000000-0000-0000-0000-000000000001}".toUpperCase() };
      expect(check(evaluate(snapshot({ roles: [held] }), DEFAULT_POLICY), "service-role").status).toBe("pass");
    });

    it("uses the policy's role name", () => {
      const policy = policyFrom({ serviceRoleName: "Vendor Sync" });
      expect(check(evaluate(snapshot(), policy), "service-role").status).toBe("fail");
      expect(check(evaluate(snapshot({ roles: [role("Vendor Sync")] }), policy), "service-role").status).toBe("pass");
    });
  });

  it("matches forbidden roles without regard to case or outer blanks, both in the policy and in Dataverse's names", () => {
    const admin = role("SYSTEM ADMINISTRATOR");
    const lowerCasePolicy = policyFrom({ forbiddenRoleNames: " system administrator ;system customizer" });
    expect(lowerCasePolicy.forbiddenRoleNames).toEqual(["system administrator", "system customizer"]);
    const report = evaluate(
      snapshot({ roles: [role("Integration Service Account"), role("System Administrator"), role("System customizer"), admin] }),
      lowerCasePolicy,
    );
    expect(check(report, "forbidden-roles")).toMatchObject({
      status: "fail",
      params: {
        roles: ["System Administrator", "System customizer", "SYSTEM ADMINISTRATOR"].map((name) => ({
          key: "grant_direct",
          params: { role: name },
        })),
      },
    });
    expect(check(report, "forbidden-roles").fixes).toHaveLength(3);
    expect(report.status).toBe("non-compliant");
    // A role whose name only contains a forbidden one is not forbidden.
    expect(
      check(
        evaluate(snapshot({ roles: [role("Integration Service Account"), role("System Administrator (read only)")] }), lowerCasePolicy),
        "forbidden-roles",
      ).status,
    ).toBe("pass");
  });

  it("fails forbidden roles, offering one removal each", () => {
    const admin = role("System Administrator");
    const customizer = role("System Customizer");
    const report = evaluate(snapshot({ roles: [role("Integration Service Account"), admin, customizer] }), DEFAULT_POLICY);
    expect(check(report, "forbidden-roles")).toEqual({
      id: "forbidden-roles",
      status: "fail",
      messageKey: "check_forbiddenRoles_fail",
      params: {
        roles: [
          { key: "grant_direct", params: { role: "System Administrator" } },
          { key: "grant_direct", params: { role: "System Customizer" } },
        ],
      },
      fixes: [
        { action: "remove-role", roleId: admin.roleId, roleName: "System Administrator" },
        { action: "remove-role", roleId: customizer.roleId, roleName: "System Customizer" },
      ],
      grants: [
        { roleId: admin.roleId, roleName: "System Administrator", source: { kind: "direct" } },
        { roleId: customizer.roleId, roleName: "System Customizer", source: { kind: "direct" } },
      ],
    });
  });

  describe("licence", () => {
    it("needs attention while a non-interactive user still has a licence", () => {
      const report = evaluate(snapshot({ user: { isLicensed: true } }), DEFAULT_POLICY);
      expect(check(report, "licence-released")).toMatchObject({ status: "warning", messageKey: "check_licence_stillAssigned", fixes: [] });
      expect(report.status).toBe("needs-attention");
    });

    it("does not ask to release it before the switch", () => {
      expect(check(evaluate(snapshot({ user: { accessMode: 0, isLicensed: true } }), DEFAULT_POLICY), "licence-released").status).toBe(
        "not-applicable",
      );
    });
  });

  describe("non-interactive capacity", () => {
    it("shows the slot a non-interactive user holds", () => {
      expect(
        check(
          evaluate(snapshot({ capacity: { used: 7, max: 7, source: "organizationResources" } }), DEFAULT_POLICY),
          "non-interactive-capacity",
        ),
      ).toMatchObject({
        status: "pass",
        params: { used: 7, max: 7 },
      });
    });

    it("fails a conversion when the limit is reached", () => {
      const report = evaluate(
        snapshot({ user: { accessMode: 0 }, roles: [], capacity: { used: 7, max: 7, source: "organizationResources" } }),
        DEFAULT_POLICY,
      );
      expect(check(report, "non-interactive-capacity")).toMatchObject({
        status: "fail",
        messageKey: "check_capacity_full",
        params: { used: 7, max: 7 },
      });
    });

    it("reports the free slots", () => {
      const report = evaluate(snapshot({ user: { accessMode: 0 } }), DEFAULT_POLICY);
      expect(check(report, "non-interactive-capacity")).toMatchObject({ status: "pass", params: { used: 6, max: 7, free: 1 } });
    });

    it("falls back to the policy's limit when the environment's maximum is unknown", () => {
      const report = evaluate(
        snapshot({ user: { accessMode: 0 }, capacity: { used: 5, max: null, source: "count" } }),
        policyFrom({ nonInteractiveLimit: 5 }),
      );
      expect(check(report, "non-interactive-capacity")).toMatchObject({ status: "fail", params: { used: 5, max: 5 } });
    });

    it("warns, without blocking, when nothing could be read", () => {
      const report = evaluate(
        snapshot({ user: { accessMode: 0 }, capacity: { used: null, max: null, source: "unknown" } }),
        DEFAULT_POLICY,
      );
      expect(check(report, "non-interactive-capacity")).toMatchObject({ status: "warning", params: { max: 7 } });
    });
  });

  it("flags the admin's own account", () => {
    const report = evaluate(snapshot({ user: { systemUserId: ADMIN_ID.toUpperCase() } }), DEFAULT_POLICY);
    expect(check(report, "not-own-account").status).toBe("fail");
  });

  it("leaves out the own-account check where nobody acts (webhook, audit)", () => {
    const report = evaluate(snapshot({ actor: null }), DEFAULT_POLICY);
    expect(report.checks.map((c) => c.id)).not.toContain("not-own-account");
    expect(report.status).toBe("compliant");
  });

  it("fails on-premises, where non-interactive mode is not documented", () => {
    const report = evaluate(snapshot({ isOnPremises: true }), DEFAULT_POLICY);
    expect(check(report, "online-environment").status).toBe("fail");
    expect(check(report, "licence-released").status).toBe("not-applicable");
  });

  it("ranks failures above warnings", () => {
    const report = evaluate(snapshot({ user: { isLicensed: true, isDisabled: true } }), DEFAULT_POLICY);
    expect(report.status).toBe("non-compliant");
    expect(failingCheckIds(report)).toEqual(["account-enabled", "licence-released"]);
  });

  describe("the values each message names", () => {
    it("reports the platform's placeholder users whole: one not-applicable check, not a service account", () => {
      expect(evaluate(snapshot({ user: { accessMode: 3 } }), DEFAULT_POLICY)).toEqual({
        status: "not-service-account",
        accountKind: "support",
        isServiceAccount: false,
        checks: [{ id: "account-type", status: "not-applicable", messageKey: "check_accountType_support", fixes: [] }],
      });
      expect(evaluate(snapshot({ user: { accessMode: 5 } }), DEFAULT_POLICY)).toEqual({
        status: "not-service-account",
        accountKind: "delegated-admin",
        isServiceAccount: false,
        checks: [{ id: "account-type", status: "not-applicable", messageKey: "check_accountType_delegatedAdmin", fixes: [] }],
      });
    });

    it("names the current access mode", () => {
      expect(check(evaluate(snapshot({ user: { accessMode: 0 } }), DEFAULT_POLICY), "access-mode")).toEqual({
        id: "access-mode",
        status: "fail",
        messageKey: "check_accessMode_fail",
        params: { mode: 0 },
        fixes: [{ action: "switch-to-non-interactive" }],
      });
    });

    it.each([
      ["not-an-address", 1, "fail", "check_email_invalid"],
      [" svc-erp@contoso.com ", 3, "warning", "check_email_rejected"],
      ["svc-erp@contoso.com", 2, "warning", "check_email_pending"],
      ["svc-erp@contoso.com", 1, "pass", "check_email_pass"],
    ] as const)("names the address %p (approval %p)", (primaryEmail, emailApproval, status, messageKey) => {
      expect(check(evaluate(snapshot({ user: { primaryEmail, emailApproval } }), DEFAULT_POLICY), "primary-email")).toEqual({
        id: "primary-email",
        status,
        messageKey,
        params: { email: primaryEmail.trim() },
        fixes: [],
      });
    });

    it("names the service role it found", () => {
      expect(check(evaluate(snapshot(), DEFAULT_POLICY), "service-role")).toEqual({
        id: "service-role",
        status: "pass",
        messageKey: "check_serviceRole_pass",
        params: { role: "Integration Service Account" },
        fixes: [],
      });
    });

    it("lists every other business unit holding a copy, by name or else by id", () => {
      const elsewhere = {
        roleId: "r-isa-3",
        name: "Integration Service Account",
        businessUnitId: "10000000-0000-0000-0000-000000000003",
        source: { kind: "direct" as const },
        privileges: [],
      };
      const report = evaluate(snapshot({ roles: [role("Integration Service Account", CHILD_BU), elsewhere] }), DEFAULT_POLICY);
      expect(check(report, "service-role").params).toEqual({
        role: "Integration Service Account",
        businessUnits: "Contoso Sales, 10000000-0000-0000-0000-000000000003",
      });
    });

    it("names the limit when the used slots could not be counted", () => {
      expect(
        check(evaluate(snapshot({ capacity: { used: null, max: 9, source: "unknown" } }), DEFAULT_POLICY), "non-interactive-capacity"),
      ).toEqual({
        id: "non-interactive-capacity",
        status: "pass",
        messageKey: "check_capacity_holdsSlotUnknown",
        params: { max: 9 },
        fixes: [],
      });
    });
  });

  it("uses the record id the snapshot carries", () => {
    expect(evaluate(snapshot({ user: { systemUserId: USER_ID } }), DEFAULT_POLICY).status).toBe("compliant");
  });
});
