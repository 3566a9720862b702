import { normalizeId, sameId } from "../../src/core/ids";

describe("record ids", () => {
  it("normalizes a GUID to lower case, without braces or outer blanks", () => {
    expect(normalizeId(" {2000000A-00AD-0000-0000-0000000000AD} ")).toBe("2000000a-00ad-0000-0000-0000000000ad");
  });

  it("compares GUIDs as values", () => {
    expect(sameId("{2000000A-00AD-0000-0000-0000000000AD}", "2000000a-00ad-0000-0000-0000000000ad")).toBe(true);
    expect(sameId(" 2000000a-00ad-0000-0000-0000000000ad\n", "2000000A-00AD-0000-0000-0000000000AD")).toBe(true);
    expect(sameId("2000000a-00ad-0000-0000-0000000000ad", "2000000a-00ad-0000-0000-0000000000ae")).toBe(false);
  });

  it("never matches a missing id, not even another missing one", () => {
    expect(sameId(null, null)).toBe(false);
    expect(sameId(undefined, "")).toBe(false);
    expect(sameId("2000000a-00ad-0000-0000-0000000000ad", null)).toBe(false);
  });
});
