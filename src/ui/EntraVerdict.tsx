import * as React from "react";
import { Text } from "@fluentui/react";
import type { StampedEntraVerdict } from "../core/snapshot";
import type { Strings } from "./strings";

export interface EntraVerdictProps {
  verdict: StampedEntraVerdict | null | undefined;
  strings: Strings;
}

/**
 * Where the Entra checks come from: the form cannot call Microsoft Graph, so it shows the verdict the
 * server (webhook or svcacct stamp) last wrote on the user, with its time, or says to check by hand.
 */
export const EntraVerdict: React.FC<EntraVerdictProps> = ({ verdict, strings }) => {
  const decidedOn = verdict ? new Date(verdict.decidedOn) : null;
  const text =
    decidedOn && !Number.isNaN(decidedOn.getTime())
      ? strings.get("entra_verdictOn", { time: decidedOn.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) })
      : strings.get("entra_noVerdict");
  return (
    <Text variant="small" data-testid="entra-verdict">
      {text}
    </Text>
  );
};
