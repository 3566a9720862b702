import { evaluate } from "../../src/core/evaluate";
import { entraVerdictChecks } from "../../src/core/entraChecks";
import { DEFAULT_POLICY, policyFrom } from "../../src/core/policy";
import type { CheckId, ComplianceReport } from "../../src/core/report";
import type { AppCredential, EntraAppFacts, EntraFacts } from "../../src/core/snapshot";
import { snapshot } from "../support/snapshots";

const check = (report: ComplianceReport, id: CheckId) => report.checks.find((candidate) => candidate.id === id)!;

/** The moment Graph was read in these tests: every date rule compares against it. */
const READ_ON = "2026-12-01T12:00:00Z";
const daysBefore = (days: number) => new Date(Date.parse(READ_ON) - days * 86_400_000).toISOString();
const daysAfter = (days: number) => daysBefore(-days);

const facts = (overrides: Partial<EntraFacts> = {}): EntraFacts => ({
  readOn: READ_ON,
  passwordExpiry: { value: { expires: false, because: "user-policy" } },
  directoryRoles: { value: [] },
  assignedLicenceCount: { value: 0 },
  passwordChangedOn: { value: daysBefore(100) },
  signIns: { value: { lastInteractive: null, lastSuccessful: daysBefore(1), createdOn: daysBefore(400) } },
  mfa: { value: { requiring: [{ name: "Require MFA for all users", reportOnly: false }], excludedFrom: [], securityDefaults: false } },
  ...overrides,
});

const app = (registration: EntraAppFacts["registration"]): EntraAppFacts => ({ readOn: READ_ON, registration });
const APP_USER = { applicationId: "0d000000-0000-4000-8000-000000000001", primaryEmail: null };
const secret = (startsOn: string, endsOn: string, name: string | null = "prod"): AppCredential => ({
  type: "secret",
  name,
  startsOn,
  endsOn,
});
const registered = (credentials: AppCredential[], more: { federatedCredentialCount?: number; ownerCount?: number } = {}) =>
  app({ value: { kind: "registered", credentials, federatedCredentialCount: 0, ownerCount: 1, ...more } });

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
        ["credential-age", "pass"],
        ["m365-admin-role", "fail"],
        ["interactive-sign-in", "pass"],
        ["recent-use", "pass"],
        ["mfa-policy", "pass"],
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

    it("ignores a stamped entry Dataverse decides, not Graph (an interactive account's sign-ins)", () => {
      const forged = {
        decidedOn: "2026-11-29T05:00:00Z",
        checks: [
          { id: "interactive-sign-in" as const, status: "not-applicable" as const, messageKey: "check_interactiveSignIn_interactiveMode" },
        ],
      };
      // Non-interactive: the forged "does not apply" is not taken, the check stays manual.
      expect(check(evaluate(snapshot({ stampedEntra: forged }), DEFAULT_POLICY), "interactive-sign-in").status).toBe("manual");
    });

    it("ignores a stamped entry that only a Graph read could not have produced", () => {
      const forged = {
        decidedOn: "2026-11-29T05:00:00Z",
        checks: [{ id: "password-expiry" as const, status: "pass" as const, messageKey: "check_passwordExpiry_manual" }],
      };
      expect(check(evaluate(snapshot({ stampedEntra: forged }), DEFAULT_POLICY), "password-expiry").status).toBe("manual");
    });
  });

  describe("credential age", () => {
    it("passes with the date of the last change, and warns past the policy's days", () => {
      expect(check(evaluate(snapshot({ entra: facts() }), DEFAULT_POLICY), "credential-age")).toMatchObject({
        status: "pass",
        params: { date: { date: daysBefore(100) } },
      });
      const old = evaluate(snapshot({ entra: facts({ passwordChangedOn: { value: daysBefore(366) } }) }), DEFAULT_POLICY);
      expect(check(old, "credential-age")).toMatchObject({
        status: "warning",
        messageKey: "check_credentialAge_old",
        params: { date: { date: daysBefore(366) }, days: 365 },
      });
      expect(old.status).toBe("needs-attention");
    });
    it("counts whole days: exactly the policy's days still passes", () => {
      const edge = evaluate(snapshot({ entra: facts({ passwordChangedOn: { value: daysBefore(365) } }) }), DEFAULT_POLICY);
      expect(check(edge, "credential-age").status).toBe("pass");
      const stricter = policyFrom({ days: { credentialMaxAgeDays: 90 } });
      expect(check(evaluate(snapshot({ entra: facts() }), stricter), "credential-age").status).toBe("warning");
    });
  });

  describe("interactive sign-ins", () => {
    const signedIn = (lastInteractive: string | null) =>
      facts({ signIns: { value: { lastInteractive, lastSuccessful: daysBefore(1), createdOn: daysBefore(400) } } });

    it("fails a non-interactive account someone signed in to as a person within 30 days, with the date", () => {
      const report = evaluate(snapshot({ entra: signedIn(daysBefore(3)) }), DEFAULT_POLICY);
      expect(check(report, "interactive-sign-in")).toMatchObject({
        status: "fail",
        messageKey: "check_interactiveSignIn_fail",
        params: { date: { date: daysBefore(3) } },
      });
      expect(report.status).toBe("non-compliant");
    });
    it("passes with none recorded, or with the last one older than the policy's days", () => {
      expect(check(evaluate(snapshot({ entra: signedIn(null) }), DEFAULT_POLICY), "interactive-sign-in")).toMatchObject({
        status: "pass",
        messageKey: "check_interactiveSignIn_none",
      });
      expect(check(evaluate(snapshot({ entra: signedIn(daysBefore(30)) }), DEFAULT_POLICY), "interactive-sign-in")).toMatchObject({
        status: "pass",
        messageKey: "check_interactiveSignIn_old",
      });
      expect(check(evaluate(snapshot({ entra: signedIn(daysBefore(29)) }), DEFAULT_POLICY), "interactive-sign-in").status).toBe("fail");
      const longer = policyFrom({ days: { interactiveSignInDays: 60 } });
      expect(check(evaluate(snapshot({ entra: signedIn(daysBefore(45)) }), longer), "interactive-sign-in").status).toBe("fail");
    });
    it("does not apply to an interactive account, even over a stamped failure", () => {
      const stamped = entraVerdictChecks(evaluate(snapshot({ entra: signedIn(daysBefore(3)) }), DEFAULT_POLICY).checks);
      const report = evaluate(snapshot({ user: { accessMode: 0 }, stampedEntra: { decidedOn: READ_ON, checks: stamped } }), DEFAULT_POLICY);
      expect(check(report, "interactive-sign-in")).toMatchObject({
        status: "not-applicable",
        messageKey: "check_interactiveSignIn_interactiveMode",
      });
    });
    it("is manual with Graph's words when the tenant has no Entra ID P1/P2", () => {
      const problem =
        "sign-in activity needs Microsoft Entra ID P1 or P2 in the tenant (Graph: Authentication_RequestFromNonPremiumTenantOrB2CTenant)";
      const report = evaluate(snapshot({ entra: facts({ signIns: { problem } }) }), DEFAULT_POLICY);
      expect(check(report, "interactive-sign-in")).toMatchObject({ status: "manual", params: { reason: problem } });
      expect(check(report, "recent-use")).toMatchObject({ status: "manual", params: { reason: problem } });
    });
  });

  describe("recent use", () => {
    const used = (lastSuccessful: string | null, createdOn: string | null = daysBefore(400)) =>
      facts({ signIns: { value: { lastInteractive: null, lastSuccessful, createdOn } } });

    it("warns when no successful sign-in for more than 90 days: unused", () => {
      const report = evaluate(snapshot({ entra: used(daysBefore(200)) }), DEFAULT_POLICY);
      expect(check(report, "recent-use")).toMatchObject({
        status: "warning",
        messageKey: "check_recentUse_unused",
        params: { date: { date: daysBefore(200) }, days: 90 },
      });
      expect(check(evaluate(snapshot({ entra: used(daysBefore(90)) }), DEFAULT_POLICY), "recent-use").status).toBe("pass");
    });
    it("warns when none was ever recorded, unless the account is newer than the threshold", () => {
      expect(check(evaluate(snapshot({ entra: used(null) }), DEFAULT_POLICY), "recent-use")).toMatchObject({
        status: "warning",
        messageKey: "check_recentUse_never",
      });
      expect(check(evaluate(snapshot({ entra: used(null, daysBefore(10)) }), DEFAULT_POLICY), "recent-use")).toMatchObject({
        status: "pass",
        messageKey: "check_recentUse_new",
        params: { date: { date: daysBefore(10) } },
      });
      expect(check(evaluate(snapshot({ entra: used(null, null) }), DEFAULT_POLICY), "recent-use").status).toBe("warning");
    });
  });

  describe("MFA through Conditional Access", () => {
    const coverage = (
      mfa: Partial<{
        requiring: { name: string; reportOnly: boolean }[];
        excludedFrom: { name: string; reportOnly: boolean }[];
        securityDefaults: boolean;
      }>,
    ) => facts({ mfa: { value: { requiring: [], excludedFrom: [], securityDefaults: false, ...mfa } } });
    const policyA = { name: "Require MFA for all users", reportOnly: false };
    const reportOnly = { name: "MFA for admins", reportOnly: true };

    it("passes naming the enabled policies that require MFA", () => {
      expect(
        check(evaluate(snapshot({ entra: coverage({ requiring: [policyA, reportOnly] }) }), DEFAULT_POLICY), "mfa-policy"),
      ).toMatchObject({
        status: "pass",
        params: { policies: [{ key: "policy_enforced", params: { name: policyA.name } }] },
      });
    });
    it("warns when excluded from an enabled policy, naming it (and report-only ones as such), even if another covers it", () => {
      const report = evaluate(
        snapshot({ entra: coverage({ requiring: [{ name: "Other", reportOnly: false }], excludedFrom: [policyA, reportOnly] }) }),
        DEFAULT_POLICY,
      );
      expect(check(report, "mfa-policy")).toMatchObject({
        status: "warning",
        messageKey: "check_mfaPolicy_excluded",
        params: {
          policies: [
            { key: "policy_enforced", params: { name: policyA.name } },
            { key: "policy_reportOnly", params: { name: reportOnly.name } },
          ],
        },
      });
    });
    it("warns when only report-only policies would require it, or none does", () => {
      expect(check(evaluate(snapshot({ entra: coverage({ requiring: [reportOnly] }) }), DEFAULT_POLICY), "mfa-policy")).toMatchObject({
        status: "warning",
        messageKey: "check_mfaPolicy_reportOnly",
      });
      expect(check(evaluate(snapshot({ entra: coverage({}) }), DEFAULT_POLICY), "mfa-policy")).toMatchObject({
        status: "warning",
        messageKey: "check_mfaPolicy_none",
      });
      // An exclusion from a report-only policy only, with an enabled one applying: covered.
      expect(
        check(evaluate(snapshot({ entra: coverage({ requiring: [policyA], excludedFrom: [reportOnly] }) }), DEFAULT_POLICY), "mfa-policy")
          .status,
      ).toBe("pass");
    });
    it("names at most five policies, each name at most 100 characters, and counts the rest", () => {
      const many = Array.from({ length: 7 }, (_, index) => ({ name: `${index}`.padEnd(150, "x"), reportOnly: false }));
      const parts = check(evaluate(snapshot({ entra: coverage({ excludedFrom: many }) }), DEFAULT_POLICY), "mfa-policy").params!.policies;
      expect(parts).toHaveLength(6);
      expect(parts).toContainEqual({ key: "policy_more", params: { count: 2 } });
      expect(JSON.stringify(parts).length).toBeLessThan(1000);
    });
    it("passes on security defaults when no policy applies", () => {
      expect(check(evaluate(snapshot({ entra: coverage({ securityDefaults: true }) }), DEFAULT_POLICY), "mfa-policy")).toMatchObject({
        status: "pass",
        messageKey: "check_mfaPolicy_securityDefaults",
      });
    });
  });

  describe("application users", () => {
    const appCheck = (facts: EntraAppFacts, id: CheckId, policy = DEFAULT_POLICY) =>
      check(evaluate(snapshot({ user: APP_USER, entraApp: facts }), policy), id);

    it("are held to their app registration's credentials and owner, manual without Graph", () => {
      const report = evaluate(snapshot({ user: APP_USER }), DEFAULT_POLICY);
      expect(check(report, "app-credentials")).toMatchObject({ status: "manual", messageKey: "check_appCredentials_manual" });
      expect(check(report, "app-owner")).toMatchObject({ status: "manual", messageKey: "check_appOwner_manual" });
      expect(report.checks.map((each) => each.id)).not.toContain("mfa-policy");
    });
    it("pass with valid credentials, naming the first expiry", () => {
      const facts = registered([
        secret(daysBefore(100), daysAfter(265)),
        { type: "certificate", name: "cert", startsOn: daysBefore(10), endsOn: daysAfter(200) },
      ]);
      expect(appCheck(facts, "app-credentials")).toMatchObject({ status: "pass", params: { date: { date: daysAfter(200) } } });
      expect(appCheck(facts, "app-owner")).toMatchObject({ status: "pass", params: { count: 1 } });
    });
    it("fail on an expired secret or certificate, with its name and date", () => {
      const facts = registered([secret(daysBefore(400), daysBefore(5), "old"), secret(daysBefore(10), daysAfter(300))]);
      const report = evaluate(snapshot({ user: APP_USER, entraApp: facts }), DEFAULT_POLICY);
      expect(check(report, "app-credentials")).toMatchObject({
        status: "fail",
        messageKey: "check_appCredentials_expired",
        params: { credential: [{ key: "credential_secret", params: { name: "old" } }], date: { date: daysBefore(5) } },
      });
      expect(report.status).toBe("non-compliant");
    });
    it("warn on one expiring within 30 days, with the date", () => {
      expect(appCheck(registered([secret(daysBefore(355), daysAfter(10), null)]), "app-credentials")).toMatchObject({
        status: "warning",
        messageKey: "check_appCredentials_expiring",
        params: { credential: [{ key: "credential_secretUnnamed" }], date: { date: daysAfter(10) } },
      });
      expect(appCheck(registered([secret(daysBefore(300), daysAfter(31))]), "app-credentials").status).toBe("pass");
    });
    it("warn on a secret valid for more than 2 years, not on such a certificate", () => {
      expect(appCheck(registered([secret(daysBefore(10), daysAfter(721))]), "app-credentials")).toMatchObject({
        status: "warning",
        messageKey: "check_appCredentials_longLived",
        params: { days: 730 },
      });
      expect(appCheck(registered([secret(daysBefore(10), daysAfter(720))]), "app-credentials").status).toBe("pass");
      const certificate: AppCredential = { type: "certificate", name: "c", startsOn: daysBefore(10), endsOn: daysAfter(1000) };
      expect(appCheck(registered([certificate]), "app-credentials").status).toBe("pass");
    });
    it("pass with federated credentials only; warn with no credential at all", () => {
      expect(appCheck(registered([], { federatedCredentialCount: 1 }), "app-credentials")).toMatchObject({
        status: "pass",
        messageKey: "check_appCredentials_federatedOnly",
      });
      expect(appCheck(registered([]), "app-credentials")).toMatchObject({ status: "warning", messageKey: "check_appCredentials_none" });
    });
    it("read a credential without dates as one that never ends: a secret without an end is long-lived, never expired", () => {
      const endless: AppCredential = { type: "secret", name: null, startsOn: null, endsOn: null };
      expect(appCheck(registered([endless]), "app-credentials")).toMatchObject({
        status: "warning",
        messageKey: "check_appCredentials_longLived",
        params: { credential: [{ key: "credential_secretUnnamed" }], date: { date: "9999-12-31" } },
      });
      const certificate: AppCredential = { type: "certificate", name: null, startsOn: null, endsOn: null };
      expect(appCheck(registered([certificate]), "app-credentials")).toMatchObject({
        status: "pass",
        params: { date: { date: "9999-12-31" } },
      });
      const expired: AppCredential = { type: "certificate", name: null, startsOn: null, endsOn: daysBefore(1) };
      expect(appCheck(registered([expired]), "app-credentials")).toMatchObject({
        status: "fail",
        params: { credential: [{ key: "credential_certificateUnnamed" }] },
      });
    });
    it("never pass a date Graph wrote that cannot be read", () => {
      const garbled = facts({
        signIns: { value: { lastInteractive: "yesterday", lastSuccessful: "later", createdOn: null } },
        passwordChangedOn: { value: "long ago" },
      });
      const report = evaluate(snapshot({ entra: garbled }), DEFAULT_POLICY);
      expect(report.checks.find((each) => each.id === "interactive-sign-in")?.status).toBe("fail");
      expect(report.checks.find((each) => each.id === "recent-use")?.status).toBe("warning");
      expect(report.checks.find((each) => each.id === "credential-age")?.status).toBe("warning");
    });
    it("warn on an app registration without owner", () => {
      expect(appCheck(registered([secret(daysBefore(10), daysAfter(300))], { ownerCount: 0 }), "app-owner")).toMatchObject({
        status: "warning",
        messageKey: "check_appOwner_none",
      });
    });
    it("pass a managed identity, and say where to look for an app registered in another tenant", () => {
      expect(appCheck(app({ value: { kind: "managed-identity" } }), "app-credentials")).toMatchObject({
        status: "pass",
        messageKey: "check_appCredentials_managedIdentity",
      });
      expect(appCheck(app({ value: { kind: "managed-identity" } }), "app-owner").status).toBe("not-applicable");
      expect(appCheck(app({ value: { kind: "other-tenant" } }), "app-credentials")).toMatchObject({
        status: "manual",
        messageKey: "check_appCredentials_otherTenant",
      });
    });
    it("stamp their verdict like the users' Entra checks", () => {
      const checks = evaluate(
        snapshot({ user: APP_USER, entraApp: registered([secret(daysBefore(355), daysAfter(10))], { ownerCount: 0 }) }),
        DEFAULT_POLICY,
      ).checks;
      const verdict = entraVerdictChecks(checks);
      expect(verdict.map((entry) => [entry.id, entry.status])).toEqual([
        ["app-credentials", "warning"],
        ["app-owner", "warning"],
      ]);
      const form = evaluate(snapshot({ user: APP_USER, stampedEntra: { decidedOn: READ_ON, checks: verdict } }), DEFAULT_POLICY);
      expect(check(form, "app-credentials")).toMatchObject({ status: "warning", params: { date: { date: daysAfter(10) } } });
      expect(form.status).toBe("needs-attention");
    });
  });
});
