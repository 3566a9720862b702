import { evaluate } from "../../src/core/evaluate";
import { entraVerdictChecks } from "../../src/core/entraChecks";
import { DEFAULT_POLICY, policyFrom } from "../../src/core/policy";
import type { CheckId, ComplianceReport } from "../../src/core/report";
import type { EntraFacts } from "../../src/core/snapshot";
import { snapshot } from "../support/snapshots";

const check = (report: ComplianceReport, id: CheckId) => report.checks.find((candidate) => candidate.id === id)!;

const facts = (overrides: Partial<EntraFacts> = {}): EntraFacts => ({
  passwordExpiry: { value: { expires: false, because: "user-policy" } },
  directoryRoles: { value: [] },
  assignedLicenceCount: { value: 0 },
  ...overrides,
});

describe("the Entra checks", () => {
  it("stay manual, never passed, without Graph and without a stamped verdict", () => {
    const report = evaluate(snapshot(), DEFAULT_POLICY);
    expect(check(report, "password-expiry")).toMatchObject({ status: "manual", messageKey: "check_passwordExpiry_manual" });
    expect(check(report, "m365-admin-role")).toMatchObject({ status: "manual", messageKey: "check_m365AdminRole_manual" });
    expect(check(report, "licence-released")).toMatchObject({ status: "pass", messageKey: "check_licence_pass" });
  });

  describe("password expiry", () => {
    it("passes when the account's own policy disables expiry", () => {
      expect(check(evaluate(snapshot({ entra: facts() }), DEFAULT_POLICY), "password-expiry")).toMatchObject({
        status: "pass",
        messageKey: "check_passwordExpiry_neverByUser",
      });
    });
    it("passes when the domain's policy never expires passwords", () => {
      const report = evaluate(
        snapshot({ entra: facts({ passwordExpiry: { value: { expires: false, because: "domain-policy" } } }) }),
        DEFAULT_POLICY,
      );
      expect(check(report, "password-expiry")).toMatchObject({ status: "pass", messageKey: "check_passwordExpiry_neverByDomain" });
    });
    it("fails when the password can expire, naming the period", () => {
      const report = evaluate(
        snapshot({ entra: facts({ passwordExpiry: { value: { expires: true, validityDays: 90 } } }) }),
        DEFAULT_POLICY,
      );
      expect(check(report, "password-expiry")).toMatchObject({ status: "fail", params: { days: 90 } });
      expect(report.status).toBe("non-compliant");
    });
    it("stays manual with Graph's problem in words when it could not be read", () => {
      const report = evaluate(snapshot({ entra: facts({ passwordExpiry: { problem: "grant Domain.Read.All" } }) }), DEFAULT_POLICY);
      expect(check(report, "password-expiry")).toMatchObject({
        status: "manual",
        messageKey: "check_entra_unavailable",
        params: { reason: "grant Domain.Read.All" },
      });
    });
  });

  describe("Microsoft 365 admin roles", () => {
    it("passes with no directory role", () => {
      expect(check(evaluate(snapshot({ entra: facts() }), DEFAULT_POLICY), "m365-admin-role")).toMatchObject({
        status: "pass",
        messageKey: "check_m365AdminRole_none",
      });
    });
    it("fails on any role by default, naming it", () => {
      const report = evaluate(snapshot({ entra: facts({ directoryRoles: { value: ["Global Administrator"] } }) }), DEFAULT_POLICY);
      expect(check(report, "m365-admin-role")).toMatchObject({ status: "fail", params: { roles: "Global Administrator" } });
    });
    it("passes on roles the policy allows, and fails on the others only", () => {
      const policy = policyFrom({ allowedDirectoryRoleNames: "service support administrator" });
      const allowed = evaluate(snapshot({ entra: facts({ directoryRoles: { value: ["Service Support Administrator"] } }) }), policy);
      expect(check(allowed, "m365-admin-role")).toMatchObject({ status: "pass", messageKey: "check_m365AdminRole_allowed" });
      const mixed = evaluate(
        snapshot({ entra: facts({ directoryRoles: { value: ["Service Support Administrator", "Global Administrator"] } }) }),
        policy,
      );
      expect(check(mixed, "m365-admin-role")).toMatchObject({ status: "fail", params: { roles: "Global Administrator" } });
    });
    it("names every role it judges, comma-separated", () => {
      const policy = policyFrom({ allowedDirectoryRoleNames: "service support administrator; reports reader" });
      const allowed = evaluate(
        snapshot({ entra: facts({ directoryRoles: { value: ["Service Support Administrator", "Reports Reader"] } }) }),
        policy,
      );
      expect(check(allowed, "m365-admin-role")).toMatchObject({ params: { roles: "Service Support Administrator, Reports Reader" } });
      const refused = evaluate(
        snapshot({ entra: facts({ directoryRoles: { value: ["Global Administrator", "User Administrator"] } }) }),
        policy,
      );
      expect(check(refused, "m365-admin-role")).toMatchObject({ params: { roles: "Global Administrator, User Administrator" } });
    });
    it("stays manual with the reason when Graph hides the role names", () => {
      const report = evaluate(
        snapshot({ entra: facts({ directoryRoles: { problem: "grant RoleManagement.Read.Directory" } }) }),
        DEFAULT_POLICY,
      );
      expect(check(report, "m365-admin-role")).toMatchObject({
        status: "manual",
        params: { reason: "grant RoleManagement.Read.Directory" },
      });
    });
  });

  describe("licence", () => {
    it("uses Microsoft 365's assignments over Dataverse's lagging flag", () => {
      const assigned = evaluate(
        snapshot({ user: { isLicensed: false }, entra: facts({ assignedLicenceCount: { value: 2 } }) }),
        DEFAULT_POLICY,
      );
      expect(check(assigned, "licence-released")).toMatchObject({
        status: "warning",
        messageKey: "check_licence_m365Assigned",
        params: { count: 2 },
      });
      const released = evaluate(snapshot({ user: { isLicensed: true }, entra: facts() }), DEFAULT_POLICY);
      expect(check(released, "licence-released")).toMatchObject({ status: "pass", messageKey: "check_licence_m365None" });
    });
    it("falls back on Dataverse's flag when Graph could not read the licences", () => {
      const report = evaluate(
        snapshot({ user: { isLicensed: true }, entra: facts({ assignedLicenceCount: { problem: "throttled" } }) }),
        DEFAULT_POLICY,
      );
      expect(check(report, "licence-released")).toMatchObject({ status: "warning", messageKey: "check_licence_stillAssigned" });
    });
  });

  describe("the stamped verdict (the form)", () => {
    const stamped = entraVerdictChecks(
      evaluate(snapshot({ entra: facts({ directoryRoles: { value: ["Global Administrator"] } }) }), DEFAULT_POLICY).checks,
    );

    it("holds only the checks Graph decided", () => {
      expect(stamped.map((entry) => [entry.id, entry.status])).toEqual([
        ["licence-released", "pass"],
        ["password-expiry", "pass"],
        ["m365-admin-role", "fail"],
      ]);
      expect(entraVerdictChecks(evaluate(snapshot(), DEFAULT_POLICY).checks)).toEqual([]);
    });

    it("decides the checks in the form, where Graph cannot be called", () => {
      const report = evaluate(snapshot({ stampedEntra: { decidedOn: "2026-11-29T05:00:00Z", checks: stamped } }), DEFAULT_POLICY);
      expect(check(report, "m365-admin-role")).toMatchObject({ status: "fail", params: { roles: "Global Administrator" } });
      expect(check(report, "password-expiry").status).toBe("pass");
      expect(report.status).toBe("non-compliant");
    });

    it("stands when Graph fails now, and live facts replace it when Graph answers", () => {
      const verdict = { decidedOn: "2026-11-29T05:00:00Z", checks: stamped };
      const failing = evaluate(
        snapshot({ stampedEntra: verdict, entra: facts({ directoryRoles: { problem: "throttled" } }) }),
        DEFAULT_POLICY,
      );
      expect(check(failing, "m365-admin-role").status).toBe("fail");
      const live = evaluate(snapshot({ stampedEntra: verdict, entra: facts() }), DEFAULT_POLICY);
      expect(check(live, "m365-admin-role").status).toBe("pass");
    });

    it("ignores a stamped entry that only a Graph read could not have produced", () => {
      const forged = {
        decidedOn: "2026-11-29T05:00:00Z",
        checks: [{ id: "password-expiry" as const, status: "pass" as const, messageKey: "check_passwordExpiry_manual" }],
      };
      expect(check(evaluate(snapshot({ stampedEntra: forged }), DEFAULT_POLICY), "password-expiry").status).toBe("manual");
    });
  });
});
