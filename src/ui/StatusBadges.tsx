import * as React from "react";
import { Stack } from "@fluentui/react";
import type { ComplianceReport } from "../core/report";
import { AccessMode, type UserSnapshot } from "../core/snapshot";
import { Badge } from "./Badge";
import { accessModeBadge, complianceBadge, licenceBadge } from "./badgeValues";
import type { Strings } from "./strings";

export { accessModeName } from "./badgeValues";

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
    ? { value: strings.get("licence_onPremises"), tone: "neutral" as const }
    : licenceBadge(user.isLicensed, nonInteractive, strings);
  // Microsoft publishes no value list for userlicensetype: the code is a secondary detail, named as Dataverse's code, never interpreted.
  const licenceTypeCode =
    !snapshot.isOnPremises && user.userLicenseType != null
      ? strings.get("badge_licenceTypeCode", { code: user.userLicenseType })
      : undefined;
  return (
    <Stack horizontal wrap tokens={{ childrenGap: 8 }}>
      <Badge label={strings.get("badge_accessMode")} {...accessModeBadge(user.accessMode, strings)} />
      <Badge label={strings.get("badge_licence")} {...licence} detail={licenceTypeCode} />
      <Badge label={strings.get("badge_compliance")} {...complianceBadge(report.status, strings)} />
    </Stack>
  );
};
