import * as React from "react";
import { useTheme } from "@fluentui/react";
import { toneColors, type Tone } from "./tones";

export interface BadgeProps {
  /** What the value is ("Access mode"); left out where a column header already says it. */
  label?: string;
  value: string;
  tone: Tone;
  /** A secondary detail in smaller type after the value. */
  detail?: string;
}

/** A labelled status pill: "Access mode: Non-interactive". The panel and the grid customizer share it. */
export const Badge: React.FC<BadgeProps> = ({ label, value, tone, detail }) => {
  const theme = useTheme();
  const colors = toneColors(theme, tone);
  return (
    <span
      data-tone={tone}
      style={{
        ...colors,
        fontFamily: theme.fonts.small.fontFamily,
        display: "inline-flex",
        gap: 4,
        borderRadius: 12,
        padding: "2px 10px",
        fontSize: 12,
        lineHeight: "20px",
        whiteSpace: "nowrap",
      }}
    >
      {label !== undefined && <span>{label}:</span>}
      <strong>{value}</strong>
      {detail !== undefined && <span style={{ opacity: 0.85 }}>{detail}</span>}
    </span>
  );
};
