import { Strings } from "../../src/ui/strings";

describe("Strings", () => {
  const texts: Record<string, string> = { check_recentUse_pass: "Last successful sign-in on {date}." };
  const lookup = (key: string) => texts[key] ?? key;

  it("writes dates with the host's formatter (the form's formatDateShort)", () => {
    const strings = new Strings(lookup, (iso) => `[${iso.slice(0, 10)}]`);
    expect(strings.get("check_recentUse_pass", { date: { date: "2026-11-30T08:00:00Z" } })).toBe(
      "Last successful sign-in on [2026-11-30].",
    );
  });

  it("falls back on the reader's locale, and shows a date it cannot read as written", () => {
    const strings = new Strings(lookup);
    const local = new Date("2026-11-30T08:00:00Z").toLocaleDateString(undefined, { dateStyle: "medium" });
    expect(strings.get("check_recentUse_pass", { date: { date: "2026-11-30T08:00:00Z" } })).toBe(`Last successful sign-in on ${local}.`);
    expect(strings.get("check_recentUse_pass", { date: { date: "not a date" } })).toBe("Last successful sign-in on not a date.");
  });
});
