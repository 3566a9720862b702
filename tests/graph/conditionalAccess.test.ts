import {
  DATAVERSE_APP_ID,
  mfaCoverage,
  reachesDataverse,
  requiresMfa,
  scopeOf,
  type ConditionalAccessPolicy,
  type PolicySubject,
} from "../../src/graph/conditionalAccess";

const ME = "aaaaaaaa-0000-4000-8000-000000000001";
const GROUP = "9a000000-0000-4000-8000-000000000002";
const PARENT_GROUP = "9a000000-0000-4000-8000-000000000003";
const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";

const subject = (more: Partial<PolicySubject> = {}): PolicySubject => ({
  objectId: ME,
  isGuest: false,
  groupIds: new Set([GROUP, PARENT_GROUP]),
  roleTemplateIds: new Set(),
  ...more,
});

const policy = (
  users: NonNullable<NonNullable<ConditionalAccessPolicy["conditions"]>["users"]>,
  more: Partial<ConditionalAccessPolicy> = {},
): ConditionalAccessPolicy => ({
  displayName: "Require MFA",
  state: "enabled",
  conditions: { users, applications: { includeApplications: ["All"] }, clientAppTypes: ["all"] },
  grantControls: { operator: "OR", builtInControls: ["mfa"] },
  ...more,
});

describe("Conditional Access: who a policy applies to", () => {
  it.each<[string, Parameters<typeof policy>[0], PolicySubject, string]>([
    ["All users", { includeUsers: ["All"] }, subject(), "in"],
    ["the user by id, in any case", { includeUsers: [ME.toUpperCase()] }, subject(), "in"],
    ["None includes nobody, even with All", { includeUsers: ["None", "All"] }, subject(), "out"],
    ["another user only", { includeUsers: ["bbbbbbbb-0000-4000-8000-000000000002"] }, subject(), "out"],
    ["guests only, for a member", { includeUsers: ["GuestsOrExternalUsers"] }, subject(), "out"],
    ["guests only, for a guest", { includeUsers: ["GuestsOrExternalUsers"] }, subject({ isGuest: true }), "in"],
    ["a group the user is in (transitively)", { includeGroups: [PARENT_GROUP] }, subject(), "in"],
    ["a group the user is not in", { includeGroups: ["9a000000-0000-4000-8000-0000000000ff"] }, subject(), "out"],
    [
      "a role the user holds, by template id",
      { includeRoles: [GLOBAL_ADMIN] },
      subject({ roleTemplateIds: new Set([GLOBAL_ADMIN]) }),
      "in",
    ],
    ["a role the user does not hold", { includeRoles: [GLOBAL_ADMIN] }, subject(), "out"],
    ["All, excluding the user", { includeUsers: ["All"], excludeUsers: [ME] }, subject(), "excluded"],
    ["All, excluding a group the user is in", { includeUsers: ["All"], excludeGroups: [GROUP] }, subject(), "excluded"],
    [
      "All, excluding a parent group (transitive membership)",
      { includeUsers: ["All"], excludeGroups: [PARENT_GROUP] },
      subject(),
      "excluded",
    ],
    [
      "All, excluding a role the user holds",
      { includeUsers: ["All"], excludeRoles: [GLOBAL_ADMIN] },
      subject({ roleTemplateIds: new Set([GLOBAL_ADMIN]) }),
      "excluded",
    ],
    ["All, excluding guests, for a member", { includeUsers: ["All"], excludeUsers: ["GuestsOrExternalUsers"] }, subject(), "in"],
    [
      "All, excluding guests, for a guest",
      { includeUsers: ["All"], excludeUsers: ["GuestsOrExternalUsers"] },
      subject({ isGuest: true }),
      "excluded",
    ],
    ["by id, excluded through a group: the exclusion wins", { includeUsers: [ME], excludeGroups: [GROUP] }, subject(), "excluded"],
    ["excluded but never included: out", { includeGroups: ["9a000000-0000-4000-8000-0000000000ff"], excludeUsers: [ME] }, subject(), "out"],
    ["empty users condition", {}, subject(), "out"],
  ])("%s", (_label, users, who, expected) => {
    expect(scopeOf(policy(users), who)).toBe(expected);
  });
});

describe("Conditional Access: what a policy demands", () => {
  it.each<[string, ConditionalAccessPolicy["grantControls"], boolean]>([
    ["mfa alone", { operator: "OR", builtInControls: ["mfa"] }, true],
    [
      "an authentication strength",
      { operator: "OR", builtInControls: [], authenticationStrength: { id: "00000000-0000-0000-0000-000000000004" } },
      true,
    ],
    ["mfa AND a compliant device", { operator: "AND", builtInControls: ["mfa", "compliantDevice"] }, true],
    ["mfa OR a compliant device: a device satisfies it", { operator: "OR", builtInControls: ["mfa", "compliantDevice"] }, false],
    ["mfa OR terms of use", { operator: "OR", builtInControls: ["mfa"], termsOfUse: ["tou"] }, false],
    ["block", { operator: "OR", builtInControls: ["block"] }, false],
    ["a compliant device only", { operator: "OR", builtInControls: ["compliantDevice"] }, false],
    ["no grant controls (session controls only)", null, false],
  ])("%s", (_label, grantControls, expected) => {
    expect(requiresMfa(policy({ includeUsers: ["All"] }, { grantControls }))).toBe(expected);
  });

  it.each<[string, NonNullable<ConditionalAccessPolicy["conditions"]>, boolean]>([
    ["all resources", { applications: { includeApplications: ["All"] } }, true],
    ["Dataverse by its app id", { applications: { includeApplications: [DATAVERSE_APP_ID] } }, true],
    ["all resources but Dataverse", { applications: { includeApplications: ["All"], excludeApplications: [DATAVERSE_APP_ID] } }, false],
    ["Office 365 only (Dataverse is not assumed in it)", { applications: { includeApplications: ["Office365"] } }, false],
    ["user actions only", { applications: { includeApplications: [] } }, false],
    [
      "all resources with an application filter it cannot evaluate",
      { applications: { includeApplications: ["All"], applicationFilter: { mode: "exclude", rule: "CustomSecurityAttribute.x -eq 'y'" } } },
      false,
    ],
    ["legacy clients only", { applications: { includeApplications: ["All"] }, clientAppTypes: ["exchangeActiveSync", "other"] }, false],
    ["modern clients", { applications: { includeApplications: ["All"] }, clientAppTypes: ["mobileAppsAndDesktopClients"] }, true],
    ["only on risky sign-ins", { applications: { includeApplications: ["All"] }, signInRiskLevels: ["high"] }, false],
  ])("reaches Dataverse: %s", (_label, conditions, expected) => {
    expect(reachesDataverse({ conditions })).toBe(expected);
  });
});

describe("Conditional Access: the coverage of one account", () => {
  it("names the policies that apply, those that exclude it, report-only ones as such, and skips disabled ones", () => {
    const policies = [
      policy({ includeUsers: ["All"], excludeGroups: [GROUP] }, { displayName: "Require MFA for all users" }),
      policy({ includeRoles: [GLOBAL_ADMIN] }, { displayName: "Admins", state: "enabledForReportingButNotEnforced" }),
      policy({ includeGroups: [PARENT_GROUP] }, { displayName: "Integration accounts", state: "enabledForReportingButNotEnforced" }),
      policy({ includeUsers: ["All"] }, { displayName: "Old", state: "disabled" }),
      policy({ includeUsers: ["All"] }, { displayName: "Block legacy", grantControls: { operator: "OR", builtInControls: ["block"] } }),
    ];
    expect(mfaCoverage(policies, subject(), false)).toEqual({
      requiring: [{ name: "Integration accounts", reportOnly: true }],
      excludedFrom: [{ name: "Require MFA for all users", reportOnly: false }],
      securityDefaults: false,
    });
  });
});
