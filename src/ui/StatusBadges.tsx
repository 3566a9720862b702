import * as React from "react";
import { Stack } from "@fluentui/react";
import type { ComplianceReport, OverallStatus } from "../core/report";
import { AccessMode, type UserSnapshot } from "../core/snapshot";
import { Badge } from "./Badge";
import type { StringKey, Strings } from "./strings";
import { TONE_OF_OVERALL } from "./tones";

const OVERALL_KEY: Record<OverallStatus, StringKey> = {
  compliant: "overall_compliant",
  "needs-attention": "overall_needsAttention",
  "non-compliant": "overall_nonCompliant",
  "not-service-account": "overall_notServiceAccount",
};

export function accessModeName(mode: number, strings: Strings): string {
  const key = `accessMode_${mode}`;
  return mode >= 0 && mode <= 5 ? strings.get(key as StringKey) : strings.get("accessMode_unknown", { value: mode });
}

export interface StatusBadgesProps {
  snapshot: UserSnapshot;
  report: ComplianceReport;
  strings: Strings;
}

/** Access mode, licence state and overall compliance, readable in one glance at any width. */
export const StatusBadges: React.FC<StatusBadgesProps> = ({ snapshot, report, strings }) => {
  const { user } = snapshot;
  const nonInteractive = user.accessMode === AccessMode.NonInteractive;
  const licence = snapshot.isOnPremises
    ? strings.get("licence_onPremises")
    : strings.get(user.isLicensed ? "licence_assigned" : "licence_none");
  const licenceTone = snapshot.isOnPremises ? "neutral" : nonInteractive && user.isLicensed ? "warning" : "neutral";
  return (
    <Stack horizontal wrap tokens={{ childrenGap: 8 }} aria-label={strings.get("panel_heading")}>
      <Badge label={strings.get("badge_accessMode")} value={accessModeName(user.accessMode, strings)} tone={nonInteractive ? "success" : "neutral"} />
      <Badge label={strings.get("badge_licence")} value={licence} tone={licenceTone} />
      {user.userLicenseType != null && (
        // No documented value list exists for userlicensetype: shown raw, never interpreted.
        <Badge label={strings.get("badge_licenceType")} value={String(user.userLicenseType)} tone="neutral" />
      )}
      <Badge label={strings.get("badge_compliance")} value={strings.get(OVERALL_KEY[report.status])} tone={TONE_OF_OVERALL[report.status]} />
    </Stack>
  );
};
