import { DataverseError, toDataverseError } from "../../src/dataverse/errors";

describe("toDataverseError", () => {
  it.each([
    [
      "an Xrm privilege error (unsigned code)",
      { errorCode: 2147746336, message: "Principal user is missing prvWriteUser" },
      "forbidden",
      "0x80040220",
    ],
    ["an Xrm privilege error (signed code)", { errorCode: -2147220960, message: "denied" }, "forbidden", "0x80040220"],
    ["the access mode admin error", { errorCode: 0x80048d2f, message: "need admin" }, "access-mode-admin", "0x80048d2f"],
    [
      "a Web API 404 body",
      { status: 404, error: { code: "0x80040217", message: "systemuser With Id = x Does Not Exist" } },
      "not-found",
      "0x80040217",
    ],
    ["a concurrency error", { status: 412, error: { code: "0x80060882", message: "version mismatch" } }, "conflict", "0x80060882"],
    ["a throttled Xrm call", { errorCode: 0x80072322, message: "Number of requests exceeded" }, "throttled", "0x80072322"],
    ["a duplicate association", { errorCode: 0x80040237, message: "Cannot insert duplicate key." }, "duplicate", "0x80040237"],
  ])("classifies %s by its code", (_name, raw, kind, code) => {
    const error = toDataverseError(raw);
    expect(error).toBeInstanceOf(DataverseError);
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
  });

  it.each([
    [401, "unauthorized"],
    [403, "forbidden"],
    [404, "not-found"],
    [412, "conflict"],
    [429, "throttled"],
    [500, "server"],
    [503, "server"],
  ])("classifies HTTP %i without a code as %s", (status, kind) => {
    expect(toDataverseError({ status, message: "x" }).kind).toBe(kind);
  });

  it("reads Retry-After in seconds", () => {
    expect(toDataverseError({ status: 429, retryAfter: "7", message: "slow down" }).retryAfterSeconds).toBe(7);
  });

  it("never classifies by message text, which Dataverse localizes", () => {
    const english = toDataverseError({
      status: 400,
      error: { code: "0x80040216", message: "Your organization has reached its maximum number of non-interactive users." },
    });
    const french = toDataverseError({
      errorCode: 0x80040216,
      message: "Votre organisation a atteint le nombre maximal d'utilisateurs non interactifs.",
    });
    expect([english.kind, french.kind]).toEqual(["unknown", "unknown"]);
    expect(french.message).toContain("non interactifs");
  });

  it("gives an Xrm error no HTTP status, even if a host adds fields the platform does not have", () => {
    expect(toDataverseError({ errorCode: 0x80040217, message: "gone", httpStatusCode: 404 })).toMatchObject({
      kind: "not-found",
      status: undefined,
    });
  });

  it.each([
    ["a fetch TypeError", new TypeError("Failed to fetch")],
    ["status 0", { status: 0, message: "" }],
    ["a connection refusal", new Error("connect ECONNREFUSED 127.0.0.1:8181")],
  ])("calls %s a network failure", (_name, raw) => {
    expect(toDataverseError(raw).kind).toBe("network");
  });

  it("keeps anything else as unknown with its message", () => {
    const error = toDataverseError("boom");
    expect(error.kind).toBe("unknown");
    expect(error.message).toBe("boom");
  });

  it("passes a mapped error through", () => {
    const mapped = new DataverseError("conflict", "changed");
    expect(toDataverseError(mapped)).toBe(mapped);
  });
});
