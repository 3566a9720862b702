import type { OverallStatus } from "./report";

/** svcacct_compliancestatus values (the solution's option value prefix 41350), as Entity.xml defines them. */
export const COMPLIANCE_STATUS_VALUES: Record<OverallStatus, number> = {
  compliant: 413500000,
  "needs-attention": 413500001,
  "non-compliant": 413500002,
  "not-service-account": 413500003,
};

/** The overall status a stamped choice value stands for; null for a value the solution does not define. */
export function overallStatusOf(value: unknown): OverallStatus | null {
  // Text as the Web API may give it; blank text becomes 0, which no status has.
  const number = typeof value === "string" ? Number(value) : value;
  const entry = Object.entries(COMPLIANCE_STATUS_VALUES).find(([, candidate]) => candidate === number);
  return entry ? (entry[0] as OverallStatus) : null;
}
