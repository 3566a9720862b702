import { isAuthentic } from "../../src/webhook/auth";

describe("isAuthentic", () => {
  const header = { kind: "header" as const, header: "x-svcacct-key", secret: "correct horse battery staple" };
  const code = { kind: "code" as const, secret: "correct horse battery staple" };

  it("accepts the named header with the secret", () => {
    expect(isAuthentic(header, { "x-svcacct-key": "correct horse battery staple" }, {})).toBe(true);
  });

  it.each([
    ["a wrong secret", { "x-svcacct-key": "correct horse battery stapl" }, {}],
    ["a one-character prefix of the secret", { "x-svcacct-key": "c" }, {}],
    ["the secret with a suffix", { "x-svcacct-key": "correct horse battery staple!" }, {}],
    ["the secret in another case", { "x-svcacct-key": "Correct horse battery staple" }, {}],
    ["no secret but the size-exceeded header", { "x-ms-dynamics-msg-size-exceeded": "" }, {}],
    ["no header", {}, {}],
    ["an empty header", { "x-svcacct-key": "" }, {}],
    ["the secret in the query instead", {}, { code: "correct horse battery staple" }],
    ["a repeated header", { "x-svcacct-key": ["correct horse battery staple", "x"] }, {}],
  ])("refuses %s", (_name, headers, query) => {
    expect(isAuthentic(header, headers, query)).toBe(false);
  });

  it("accepts ?code= in WebhookKey mode and nothing else", () => {
    expect(isAuthentic(code, {}, { code: "correct horse battery staple" })).toBe(true);
    expect(isAuthentic(code, { "x-svcacct-key": "correct horse battery staple" }, {})).toBe(false);
    expect(isAuthentic(code, {}, { code: ["correct horse battery staple"] })).toBe(false);
  });

  it("accepts the next secret beside the current one during a rotation, and nothing else", () => {
    const rotating = { ...header, nextSecret: "a brand new secret for the rotation" };
    expect(isAuthentic(rotating, { "x-svcacct-key": "correct horse battery staple" }, {})).toBe(true);
    expect(isAuthentic(rotating, { "x-svcacct-key": "a brand new secret for the rotation" }, {})).toBe(true);
    expect(isAuthentic(rotating, { "x-svcacct-key": "a brand new secret for the rotatio" }, {})).toBe(false);
    expect(isAuthentic(header, { "x-svcacct-key": "a brand new secret for the rotation" }, {})).toBe(false);
  });
});
