import type { Check, CheckStatus } from "./report";

/** What needs action first: failures, then warnings, then what only a person can check; passed last. */
const URGENCY: Record<CheckStatus, number> = { fail: 0, warning: 1, manual: 2, pass: 3, "not-applicable": 4 };

/**
 * The checks in the order an admin acts on them; checks of equal urgency keep the report's order, as
 * `Array.prototype.sort` is stable (ES2019), so no tie-break is needed.
 */
export function byUrgency<T extends Pick<Check, "status">>(checks: readonly T[]): T[] {
  return [...checks].sort((a, b) => URGENCY[a.status] - URGENCY[b.status]);
}
