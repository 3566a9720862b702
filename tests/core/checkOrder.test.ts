import { byUrgency } from "../../src/core/checkOrder";
import type { CheckStatus } from "../../src/core/report";

const checks = (...statuses: [string, CheckStatus][]) => statuses.map(([id, status]) => ({ id, status }));
const ids = (ordered: { id: string }[]) => ordered.map((check) => check.id);

describe("byUrgency", () => {
  it("puts failures first, then warnings, manual checks, passed ones and what does not apply", () => {
    const report = checks(["a", "pass"], ["b", "not-applicable"], ["c", "manual"], ["d", "warning"], ["e", "fail"]);
    expect(ids(byUrgency(report))).toEqual(["e", "d", "c", "a", "b"]);
  });

  it("keeps the report's order among checks of equal urgency", () => {
    const report = checks(
      ["p1", "pass"],
      ["f1", "fail"],
      ["p2", "pass"],
      ["f2", "fail"],
      ["p3", "pass"],
      ["f3", "fail"],
      ["w1", "warning"],
      ["p4", "pass"],
    );
    expect(ids(byUrgency(report))).toEqual(["f1", "f2", "f3", "w1", "p1", "p2", "p3", "p4"]);
  });

  it("returns the same checks in a new list, leaving the report as it was", () => {
    const report = checks(["a", "pass"], ["b", "fail"]);
    const ordered = byUrgency(report);
    expect(ordered).not.toBe(report);
    expect(ordered[0]).toBe(report[1]);
    expect(ids(report)).toEqual(["a", "b"]);
  });
});
