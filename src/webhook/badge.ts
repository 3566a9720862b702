import { byUrgency } from "../core/checkOrder";
import { COMPLIANCE_STATUS_VALUES } from "../core/complianceStatus";
import type { ComplianceReport, MessageParams } from "../core/report";
import { failingCheckIds } from "../core/report";

export { COMPLIANCE_STATUS_VALUES };

const SUMMARY_MAX = 2000;

export interface Badge {
  svcacct_compliancestatus: number;
  svcacct_compliancesummary: string;
}

/** Texts by message key (the control's English resx), with `{name}` placeholders. */
export type MessageTexts = (key: string, params?: MessageParams) => string;

/**
 * The badge a report earns: its status, and its failing checks in words (failures, then warnings, the
 * panel's order), within the column's length.
 */
export function badgeOf(report: ComplianceReport, texts: MessageTexts): Badge {
  const failing = failingCheckIds(report);
  const lines = byUrgency(report.checks)
    .filter((check) => failing.includes(check.id))
    .map((check) => texts(check.messageKey, check.params));
  const summary = lines.length
    ? lines.join(" ")
    : texts(report.status === "not-service-account" ? "overall_notServiceAccount" : "overall_compliant");
  return {
    svcacct_compliancestatus: COMPLIANCE_STATUS_VALUES[report.status],
    svcacct_compliancesummary: summary.length > SUMMARY_MAX ? `${summary.slice(0, SUMMARY_MAX - 1)}…` : summary,
  };
}

/** Only a changed badge is written: the service must not cause writes, and events, of its own. */
export function badgeChanged(current: Partial<Record<string, unknown>>, next: Badge): boolean {
  return (
    current.svcacct_compliancestatus !== next.svcacct_compliancestatus ||
    (current.svcacct_compliancesummary ?? null) !== next.svcacct_compliancesummary
  );
}
