import { COMPLIANCE_STATUS_VALUES, overallStatusOf } from "../../src/core/complianceStatus";

describe("the compliance status choice", () => {
  it("has the values solution/Entities/SystemUser/Entity.xml defines, in the publisher's range 413500000-413509999", () => {
    expect(COMPLIANCE_STATUS_VALUES).toEqual({
      compliant: 413500000,
      "needs-attention": 413500001,
      "non-compliant": 413500002,
      "not-service-account": 413500003,
    });
  });

  it.each([
    [413500000, "compliant"],
    [413500001, "needs-attention"],
    [413500002, "non-compliant"],
    [413500003, "not-service-account"],
    // The Web API's formatted and string forms of a choice are text.
    ["413500002", "non-compliant"],
    [" 413500001 ", "needs-attention"],
  ])("reads %j as %s", (value, status) => expect(overallStatusOf(value)).toBe(status));

  it.each([413499999, 413500004, 0, "", "  ", "compliant", null, undefined, true, {}, [413500002]])(
    "reads %j as no status the solution defines",
    (value) => expect(overallStatusOf(value)).toBeNull(),
  );
});
