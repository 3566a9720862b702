import { formatMessage } from "../../src/core/messages";

describe("formatMessage", () => {
  const texts: Record<string, string> = {
    grant_team: "{role} (through the team {team})",
    grant_privilege: "{privilege} from {grant}",
  };
  const lookup = (key: string) => texts[key] ?? key;

  it("fills placeholders, and leaves an unknown one as written so it shows", () => {
    expect(formatMessage("{name} holds {count} roles{missing}", { name: "ERP", count: 2 })).toBe("ERP holds 2 roles{missing}");
    expect(formatMessage("no {params}")).toBe("no {params}");
  });

  it("words a list of parts with the same texts, parts inside parts included, joined by commas", () => {
    const team = { key: "grant_team" as const, params: { role: "System Customizer", team: "Legacy Admins" } };
    expect(formatMessage("Holds {roles}.", { roles: [team, { ...team, params: { role: "Reader", team: "Partners" } }] }, lookup)).toBe(
      "Holds System Customizer (through the team Legacy Admins), Reader (through the team Partners).",
    );
    expect(
      formatMessage(
        "{privileges}",
        { privileges: [{ key: "grant_privilege", params: { privilege: "prvAssignRole", grant: [team] } }] },
        lookup,
      ),
    ).toBe("prvAssignRole from System Customizer (through the team Legacy Admins)");
    // Without texts a part shows its key: visible, never silently empty.
    expect(formatMessage("{roles}", { roles: [team] })).toBe("grant_team");
  });

  it("writes a date as its UTC day by default, with the reader's formatter when given one, and anything else as it is", () => {
    const date = { date: "2026-11-30T23:30:00Z" };
    expect(formatMessage("Signed in on {date}.", { date })).toBe("Signed in on 2026-11-30.");
    expect(formatMessage("Signed in on {date}.", { date }, undefined, (iso) => `<${iso}>`)).toBe("Signed in on <2026-11-30T23:30:00Z>.");
    const parts = [{ key: "check_recentUse_pass" as const, params: { date } }];
    expect(
      formatMessage(
        "{list}",
        { list: parts },
        () => "on {date}",
        (iso) => iso.slice(0, 4),
      ),
    ).toBe("on 2026");
    // A stamped verdict read back from a column may carry anything: shown, never thrown on.
    expect(formatMessage("on {date}", { date: { date: 5 } } as never)).toBe("on 5");
  });
});
