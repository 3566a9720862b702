import type { Theme } from "@fluentui/react";
import type { CheckStatus, OverallStatus } from "../core/report";

/** How a status reads at a glance; text always accompanies colour. */
export type Tone = "success" | "warning" | "error" | "neutral" | "info";

export const TONE_OF_CHECK: Record<CheckStatus, Tone> = {
  pass: "success",
  fail: "error",
  warning: "warning",
  manual: "info",
  "not-applicable": "neutral",
};

export const TONE_OF_OVERALL: Record<OverallStatus, Tone> = {
  compliant: "success",
  "needs-attention": "warning",
  "non-compliant": "error",
  "not-service-account": "neutral",
};

export function toneColors(theme: Theme, tone: Tone): { background: string; color: string } {
  const { semanticColors: s, palette: p } = theme;
  switch (tone) {
    case "success":
      return { background: s.successBackground, color: s.messageText };
    case "warning":
      return { background: s.warningBackground, color: s.messageText };
    case "error":
      return { background: s.errorBackground, color: s.messageText };
    case "info":
      return { background: p.themeLighter, color: s.messageText };
    case "neutral":
      return { background: p.neutralLighter, color: s.bodyText };
  }
}
