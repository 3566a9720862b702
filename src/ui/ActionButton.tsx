import * as React from "react";
import { DefaultButton, PrimaryButton, Stack, Text } from "@fluentui/react";
import type { ActionGate } from "../core/actions";
import type { Strings } from "./strings";

export interface ActionButtonProps {
  label: string;
  gate: ActionGate;
  busy: boolean;
  primary?: boolean;
  strings: Strings;
  onClick: () => void;
}

let nextReasonId = 0;

/** A fix button that, when disabled, says why next to it (and to screen readers). */
export const ActionButton: React.FC<ActionButtonProps> = ({ label, gate, busy, primary, strings, onClick }) => {
  const [reasonId] = React.useState(() => `svcacct-reason-${++nextReasonId}`);
  const Button = primary ? PrimaryButton : DefaultButton;
  const reason = gate.enabled ? null : strings.get(gate.reasonKey, gate.params);
  return (
    <Stack tokens={{ childrenGap: 2 }} horizontalAlign="start">
      <Button text={label} disabled={!gate.enabled || busy} onClick={onClick} aria-describedby={reason ? reasonId : undefined} />
      {reason && (
        <Text id={reasonId} variant="small">
          {reason}
        </Text>
      )}
    </Stack>
  );
};
