import type { ComplianceReport } from "./report";
import { AccessMode, type UserSnapshot } from "./snapshot";

/**
 * The vendors' setup order for turning a user into a service account: switch the mode, give the
 * service role, release the licence in Microsoft 365, then re-read to confirm the mode held.
 */
export type ConversionStepId = "switch-mode" | "assign-role" | "release-licence" | "confirm-mode";
export type ConversionStepState = "done" | "current" | "pending";

export interface ConversionStep {
  id: ConversionStepId;
  state: ConversionStepState;
}

export function conversionSteps(snapshot: UserSnapshot, report: ComplianceReport): ConversionStep[] {
  const nonInteractive = snapshot.user.accessMode === AccessMode.NonInteractive;
  const roleAssigned = report.checks.some((check) => check.id === "service-role" && check.status === "pass");
  // Every snapshot is a fresh read, so an unlicensed non-interactive user is the confirmation itself.
  const released = nonInteractive && !snapshot.user.isLicensed;
  const done: Record<ConversionStepId, boolean> = {
    "switch-mode": nonInteractive,
    "assign-role": roleAssigned,
    "release-licence": released,
    "confirm-mode": released,
  };
  let currentTaken = false;
  return (Object.keys(done) as ConversionStepId[]).map((id) => {
    if (done[id]) return { id, state: "done" };
    const state = currentTaken ? "pending" : "current";
    currentTaken = true;
    return { id, state };
  });
}
