import { compileFilter, ODataQueryError } from "../../src/emulator/odataFilter";
import { SYSTEMUSER } from "../../src/emulator/metadata";
import type { Row } from "../../src/emulator/store";

const ids = ["5e000000-0000-4000-8000-00000000000a", "5e000000-0000-4000-8000-00000000000b", "5e000000-0000-4000-8000-00000000000c"];
const rows: Row[] = [
  { systemuserid: ids[0], fullname: "Ada", accessmode: 4, internalemailaddress: null },
  { systemuserid: ids[1], fullname: "Bob", accessmode: 0, internalemailaddress: "bob@contoso.com" },
  { systemuserid: ids[2], fullname: "Cy", accessmode: 4, internalemailaddress: "CY@contoso.com" },
];
const matching = (filter: string) => rows.filter(compileFilter(filter, SYSTEMUSER)).map((row) => row.fullname);

describe("$filter in the emulator", () => {
  it("matches a run of ids joined by or, whatever their case, as each comparison would", () => {
    const upper = ids.map((id) => id.toUpperCase());
    expect(
      matching(`systemuserid eq ${upper[0]} or systemuserid eq ${ids[2]} or systemuserid eq 5e000000-0000-4000-8000-0000000000ff`),
    ).toEqual(["Ada", "Cy"]);
  });

  it("keeps a mixed run of or apart from a run on one column", () => {
    expect(matching(`systemuserid eq ${ids[0]} or accessmode eq 0 or systemuserid eq ${ids[0]}`)).toEqual(["Ada", "Bob"]);
  });

  it("compares strings without case, and null only with eq and ne", () => {
    expect(matching("internalemailaddress eq 'cy@CONTOSO.com'")).toEqual(["Cy"]);
    expect(
      matching("internalemailaddress eq null or internalemailaddress eq 'bob@contoso.com' or internalemailaddress eq 'nobody'"),
    ).toEqual(["Ada", "Bob"]);
    expect(matching("internalemailaddress ne null and accessmode ge 4")).toEqual(["Cy"]);
    expect(matching("internalemailaddress gt 'a'")).toEqual(["Bob", "Cy"]);
  });

  it("evaluates not, parentheses and string functions", () => {
    expect(matching("not (accessmode eq 4) or startswith(fullname, 'c')")).toEqual(["Bob", "Cy"]);
    expect(matching("contains(internalemailaddress, 'CONTOSO') and endswith(fullname, 'b')")).toEqual(["Bob"]);
  });

  it("names an unknown property", () => {
    expect(() => compileFilter("nosuchcolumn eq 1", SYSTEMUSER)).toThrow(ODataQueryError);
    expect(() => compileFilter("nosuchcolumn eq 1", SYSTEMUSER)).toThrow("nosuchcolumn");
  });
});
