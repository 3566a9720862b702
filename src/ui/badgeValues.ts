import type { OverallStatus } from "../core/report";
import { AccessMode } from "../core/snapshot";
import type { StringKey, Strings } from "./strings";
import { TONE_OF_OVERALL, type Tone } from "./tones";

/** One badge's text and tone; the panel and the grid customizer compute them here, so they agree. */
export interface BadgeValue {
  value: string;
  tone: Tone;
}

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

/** Non-interactive stands out: it is what a service account must be. */
export function accessModeBadge(mode: number, strings: Strings): BadgeValue {
  return { value: accessModeName(mode, strings), tone: mode === AccessMode.NonInteractive ? "success" : "neutral" };
}

/** Licensed or Unlicensed (`islicensed`); a licence on a non-interactive user is a warning (it should be released). */
export function licenceBadge(isLicensed: boolean, nonInteractive: boolean, strings: Strings): BadgeValue {
  return {
    value: strings.get(isLicensed ? "licence_licensed" : "licence_unlicensed"),
    tone: nonInteractive && isLicensed ? "warning" : "neutral",
  };
}

export function complianceBadge(status: OverallStatus, strings: Strings): BadgeValue {
  return { value: strings.get(OVERALL_KEY[status]), tone: TONE_OF_OVERALL[status] };
}
