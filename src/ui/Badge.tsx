import * as React from "react";
import { useTheme } from "@fluentui/react";
import { toneColors, type Tone } from "./tones";

export interface BadgeProps {
  label: string;
  value: string;
  tone: Tone;
}

/** A labelled status pill: "Access mode: Non-interactive". */
export const Badge: React.FC<BadgeProps> = ({ label, value, tone }) => {
  const theme = useTheme();
  const colors = toneColors(theme, tone);
  return (
    <span
      data-tone={tone}
      style={{ ...colors, fontFamily: theme.fonts.small.fontFamily, display: "inline-flex", gap: 4, borderRadius: 12, padding: "2px 10px", fontSize: 12, lineHeight: "20px", whiteSpace: "nowrap" }}
    >
      <span>{label}:</span>
      <strong>{value}</strong>
    </span>
  );
};
