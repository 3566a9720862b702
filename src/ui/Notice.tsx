import * as React from "react";
import { Text, useTheme } from "@fluentui/react";
import { toneColors } from "./tones";

export interface NoticeProps {
  tone: "success" | "error" | "info";
  lines: string[];
}

/**
 * The outcome of the last action or load. Errors are alerts (announced at once); it takes focus
 * after an action so keyboard users land on the result, not on a button that just disappeared.
 */
export const Notice = React.forwardRef<HTMLDivElement, NoticeProps>(({ tone, lines }, ref) => {
  const colors = toneColors(useTheme(), tone);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role={tone === "error" ? "alert" : "status"}
      data-tone={tone}
      style={{ ...colors, padding: "8px 12px", borderRadius: 4 }}
    >
      {lines.map((line) => (
        <Text key={line} block>
          {line}
        </Text>
      ))}
    </div>
  );
});
Notice.displayName = "Notice";
