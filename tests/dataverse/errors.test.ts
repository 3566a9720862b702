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

  it("is a DataverseError by name, with the status, code and wait it was given", () => {
    const error = toDataverseError({ status: 429, error: { code: "0x80072322", message: "slow down" }, retryAfter: 4 });
    expect(error).toBeInstanceOf(DataverseError);
    expect({
      name: error.name,
      kind: error.kind,
      message: error.message,
      status: error.status,
      code: error.code,
      retryAfterSeconds: error.retryAfterSeconds,
    }).toEqual({
      name: "DataverseError",
      kind: "throttled",
      message: "slow down",
      status: 429,
      code: "0x80072322",
      retryAfterSeconds: 4,
    });
  });

  it("takes the first number given, as text or a number, and never blank text as 0", () => {
    expect(toDataverseError({ retryAfterSeconds: "", retryAfter: "7", message: "x" }).retryAfterSeconds).toBe(7);
    expect(toDataverseError({ retryAfterSeconds: "  ", retryAfter: 3, message: "x" }).retryAfterSeconds).toBe(3);
    expect(toDataverseError({ retryAfterSeconds: "soon", message: "x" }).retryAfterSeconds).toBeUndefined();
    expect(toDataverseError({ status: "503", message: "x" })).toMatchObject({ kind: "server", status: 503 });
    expect(toDataverseError({ status: "", message: "x" }).status).toBeUndefined();
  });

  it("takes the body's message, else the error's own, and never an empty one", () => {
    expect(toDataverseError({ status: 400, error: { message: "" }, message: "the outer words" }).message).toBe("the outer words");
    expect(toDataverseError({ status: 400, error: { message: "the body's words" }, message: "the outer words" }).message).toBe(
      "the body's words",
    );
  });

  it.each([
    ["no code at all (0)", { errorCode: 0, message: "x" }, undefined],
    ["a code with text after it", { error: { code: "0x80040220 denied", message: "x" } }, undefined],
    ["a code with text before it", { error: { code: "code 0x80040220", message: "x" } }, undefined],
    ["a code in capitals", { error: { code: "0X8004021A", message: "x" } }, "0x8004021a"],
    ["a small number", { errorCode: 5, message: "x" }, "0x00000005"],
  ])("reads %s as code %s", (_name, raw, code) => {
    expect(toDataverseError(raw).code).toBe(code);
  });

  it("calls a failure a network one by its words only when Dataverse gave neither a status nor a code", () => {
    expect(toDataverseError({ message: "network error" }).kind).toBe("network");
    expect(toDataverseError({ status: 400, message: "network error" }).kind).toBe("unknown");
    expect(toDataverseError({ error: { code: "0x80040216", message: "network error" } }).kind).toBe("unknown");
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
