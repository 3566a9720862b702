import { isFunctionalEmail } from "../../src/core/email";

/** An address of exactly `length` characters: a local part padded before "@contoso.com". */
const addressOfLength = (length: number) => `${"a".repeat(length - "@contoso.com".length)}@contoso.com`;

describe("a functional primary email", () => {
  it("is at most 254 characters, the longest address SMTP can carry (RFC 5321's path limit less its brackets)", () => {
    expect(isFunctionalEmail(addressOfLength(254))).toBe(true);
    expect(isFunctionalEmail(addressOfLength(255))).toBe(false);
  });

  it.each(["svc-erp@contoso.com", "svc.erp+crm@mail.contoso.co.uk"])("accepts %p", (address) => {
    expect(isFunctionalEmail(address)).toBe(true);
  });

  it.each([
    "",
    "svc-erp",
    "@contoso.com",
    "svc@contoso",
    "svc@contoso.",
    "svc@.com",
    "svc@@contoso.com",
    "svc erp@contoso.com",
    "svc@con toso.com",
  ])("refuses %p", (address) => {
    expect(isFunctionalEmail(address)).toBe(false);
  });
});
