import { conversionSteps } from "../../src/core/conversion";
import { evaluate } from "../../src/core/evaluate";
import { DEFAULT_POLICY } from "../../src/core/policy";
import type { UserSnapshot } from "../../src/core/snapshot";
import { role, snapshot } from "../support/snapshots";

function states(input: UserSnapshot) {
  return conversionSteps(input, evaluate(input, DEFAULT_POLICY)).map((step) => `${step.id}:${step.state}`);
}

describe("conversionSteps", () => {
  it("starts a licensed interactive user at the switch", () => {
    expect(states(snapshot({ user: { accessMode: 0, isLicensed: true }, roles: [] }))).toEqual([
      "switch-mode:current",
      "assign-role:pending",
      "release-licence:pending",
      "confirm-mode:pending",
    ]);
  });

  it("moves to the role once the mode is switched", () => {
    expect(states(snapshot({ user: { isLicensed: true }, roles: [] }))).toEqual([
      "switch-mode:done",
      "assign-role:current",
      "release-licence:pending",
      "confirm-mode:pending",
    ]);
  });

  it("asks for the licence once mode and role are right", () => {
    expect(states(snapshot({ user: { isLicensed: true } }))).toEqual([
      "switch-mode:done",
      "assign-role:done",
      "release-licence:current",
      "confirm-mode:pending",
    ]);
  });

  it("is complete when a fresh read shows a non-interactive, unlicensed user with the role", () => {
    expect(states(snapshot()).every((s) => s.endsWith(":done"))).toBe(true);
  });

  it("does not count a role copy from another business unit", () => {
    expect(
      states(
        snapshot({ user: { isLicensed: false }, roles: [role("Integration Service Account", "10000000-0000-0000-0000-000000000002")] }),
      )[1],
    ).toBe("assign-role:current");
  });

  it("sends the admin back to the switch when the mode did not hold", () => {
    expect(states(snapshot({ user: { accessMode: 0, isLicensed: false } }))[0]).toBe("switch-mode:current");
  });
});
