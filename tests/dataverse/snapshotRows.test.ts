import type { StampedEntraCheck } from "../../src/core/snapshot";
import {
  ENTRA_VERDICT_MAX,
  entraVerdictText,
  roleFromRow,
  teamFromRow,
  stampedEntraFromRow,
  userFromRow,
} from "../../src/dataverse/snapshotRows";

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

describe("userFromRow", () => {
  it("maps every column the snapshot reads, with the business unit's formatted name", () => {
    expect(
      userFromRow({
        "@odata.etag": 'W/"1001"',
        systemuserid: "5e000000-0000-4000-8000-000000000003",
        fullname: "Sync Service",
        domainname: "sync@contoso.com",
        accessmode: 4,
        isdisabled: false,
        islicensed: true,
        internalemailaddress: "sync@contoso.com",
        emailrouteraccessapproval: 1,
        _businessunitid_value: "10000000-0000-0000-0000-000000000001",
        [`_businessunitid_value${FORMATTED}`]: "Contoso",
        applicationid: null,
        userlicensetype: 6,
        azureactivedirectoryobjectid: "aa000000-0000-4000-8000-000000000003",
      }),
    ).toEqual({
      systemUserId: "5e000000-0000-4000-8000-000000000003",
      fullName: "Sync Service",
      domainName: "sync@contoso.com",
      accessMode: 4,
      isDisabled: false,
      isLicensed: true,
      primaryEmail: "sync@contoso.com",
      emailApproval: 1,
      businessUnitId: "10000000-0000-0000-0000-000000000001",
      businessUnitName: "Contoso",
      applicationId: null,
      userLicenseType: 6,
      etag: 'W/"1001"',
      entraObjectId: "aa000000-0000-4000-8000-000000000003",
    });
  });

  it("reads missing, empty and mistyped columns as empty, never as a made-up value", () => {
    expect(
      userFromRow({
        fullname: "",
        internalemailaddress: "",
        applicationid: "",
        accessmode: "4",
        isdisabled: "true",
        islicensed: 1,
        emailrouteraccessapproval: Number.NaN,
      }),
    ).toEqual({
      systemUserId: "",
      fullName: "",
      domainName: "",
      accessMode: 0,
      isDisabled: false,
      isLicensed: false,
      primaryEmail: null,
      emailApproval: null,
      businessUnitId: "",
      businessUnitName: undefined,
      applicationId: null,
      userLicenseType: null,
      etag: null,
      entraObjectId: null,
    });
  });
});

describe("roleFromRow", () => {
  it("maps a role with its business unit, root role, template, source and privileges", () => {
    expect(
      roleFromRow(
        {
          roleid: "0c000003-0000-4000-8000-000000000001",
          name: "Administrateur système",
          _businessunitid_value: "10000000-0000-0000-0000-000000000001",
          [`_businessunitid_value${FORMATTED}`]: "Contoso",
          _parentrootroleid_value: "0c000003-0000-4000-8000-000000000000",
          _roletemplateid_value: "627090ff-40a3-4053-8790-584edc5be201",
        },
        { kind: "direct" },
        ["prvAssignRole"],
      ),
    ).toEqual({
      roleId: "0c000003-0000-4000-8000-000000000001",
      name: "Administrateur système",
      businessUnitId: "10000000-0000-0000-0000-000000000001",
      businessUnitName: "Contoso",
      parentRootRoleId: "0c000003-0000-4000-8000-000000000000",
      templateId: "627090ff-40a3-4053-8790-584edc5be201",
      source: { kind: "direct" },
      privileges: ["prvAssignRole"],
    });
  });

  it("reads a row without columns as empty, and privileges not read as absent", () => {
    expect(roleFromRow({}, { kind: "unattributed" })).toEqual({
      roleId: "",
      name: "",
      businessUnitId: "",
      businessUnitName: undefined,
      parentRootRoleId: undefined,
      templateId: null,
      source: { kind: "unattributed" },
    });
  });
});

describe("teamFromRow", () => {
  it("maps a team with its type, group and default flag", () => {
    expect(
      teamFromRow({
        teamid: "7e000000-0000-4000-8000-000000000001",
        name: "Dataverse Admins",
        teamtype: 2,
        azureactivedirectoryobjectid: "9a000000-0000-4000-8000-000000000001",
        isdefault: false,
      }),
    ).toEqual({
      teamId: "7e000000-0000-4000-8000-000000000001",
      name: "Dataverse Admins",
      teamType: 2,
      entraGroupId: "9a000000-0000-4000-8000-000000000001",
      isDefault: false,
    });
    expect(teamFromRow({ isdefault: true })).toEqual({ teamId: "", name: "", teamType: 0, entraGroupId: null, isDefault: true });
  });
});

describe("stampedEntraFromRow", () => {
  const on = "2026-11-29T08:00:00Z";
  const check: StampedEntraCheck = { id: "password-expiry", status: "pass", messageKey: "check_passwordExpiry_neverByUser", params: {} };

  it("reads the stamped checks and when they were decided", () => {
    expect(stampedEntraFromRow({ svcacct_entraverdict: entraVerdictText([check]), svcacct_entraverdicton: on })).toEqual({
      decidedOn: on,
      checks: [check],
    });
  });

  it("writes the checks as the JSON it reads back", () => {
    expect(entraVerdictText([check])).toBe(
      '{"checks":[{"id":"password-expiry","status":"pass","messageKey":"check_passwordExpiry_neverByUser","params":{}}]}',
    );
  });

  it("drops entries that are not checks, and keeps the rest", () => {
    const json = JSON.stringify({ checks: [null, 5, "x", { id: 1, messageKey: "k" }, { id: "a" }, { messageKey: "k" }, check] });
    expect(stampedEntraFromRow({ svcacct_entraverdict: json, svcacct_entraverdicton: on })).toEqual({ decidedOn: on, checks: [check] });
  });

  it.each<[string, Record<string, unknown>]>([
    ["no verdict", { svcacct_entraverdicton: on }],
    ["an empty verdict", { svcacct_entraverdict: "", svcacct_entraverdicton: on }],
    ["no time", { svcacct_entraverdict: entraVerdictText([check]) }],
    ["a verdict that is not JSON", { svcacct_entraverdict: "{checks", svcacct_entraverdicton: on }],
    ["a verdict without a list of checks", { svcacct_entraverdict: '{"checks":{}}', svcacct_entraverdicton: on }],
    ["a verdict that is null", { svcacct_entraverdict: "null", svcacct_entraverdicton: on }],
  ])("reads %s as no verdict", (_name, row) => {
    expect(stampedEntraFromRow(row)).toBeNull();
  });
});

describe("entraVerdictText", () => {
  it("fits the verdict column, cutting long text parameters rather than losing the write", () => {
    const roles = Array.from({ length: 150 }, (_, index) => `Directory Role Number ${index}`).join(", ");
    const checks = [
      { id: "m365-admin-role" as const, status: "fail" as const, messageKey: "check_m365AdminRole_fail", params: { roles } },
      { id: "password-expiry" as const, status: "pass" as const, messageKey: "check_passwordExpiry_neverByUser" },
    ];
    const text = entraVerdictText(checks);
    expect(text.length).toBeLessThanOrEqual(ENTRA_VERDICT_MAX);
    const parsed = JSON.parse(text) as { checks: { params?: { roles: string } }[] };
    expect(parsed.checks[0].params!.roles).toMatch(/^Directory Role Number 0, .*…$/);
    // A verdict that fits is written as it is.
    expect(entraVerdictText(checks.slice(1))).toBe(JSON.stringify({ checks: checks.slice(1) }));
  });
});
