import * as React from "react";
import { DefaultButton, Link, Stack, Text } from "@fluentui/react";
import type { ConversionStep, ConversionStepId, ConversionStepState } from "../core/conversion";
import type { FixButton } from "./Checklist";
import { ActionButton } from "./ActionButton";
import { M365_ACTIVE_USERS_URL } from "./links";
import type { StringKey, Strings } from "./strings";

const STEP_TEXT: Record<ConversionStepId, StringKey> = {
  "switch-mode": "guide_step_switchMode",
  "assign-role": "guide_step_assignRole",
  "release-licence": "guide_step_releaseLicence",
  "confirm-mode": "guide_step_confirmMode",
};

const STATE_TEXT: Record<ConversionStepState, StringKey> = {
  done: "step_done",
  current: "step_current",
  pending: "step_pending",
};

export interface ConversionGuideProps {
  steps: ConversionStep[];
  strings: Strings;
  busy: boolean;
  serviceRoleName: string;
  /** The fix that completes a step the product can do itself. */
  buttonFor: (step: ConversionStepId) => FixButton | null;
  onFix: (button: FixButton) => void;
  onCheckAgain: () => void;
}

/** "Make this a service account", in the vendors' order, one step at a time. */
export const ConversionGuide: React.FC<ConversionGuideProps> = ({
  steps,
  strings,
  busy,
  serviceRoleName,
  buttonFor,
  onFix,
  onCheckAgain,
}) => (
  <Stack tokens={{ childrenGap: 6 }} role="group" aria-label={strings.get("guide_heading")}>
    <Text as="h2" variant="mediumPlus" styles={{ root: { margin: 0 } }}>
      {strings.get("guide_heading")}
    </Text>
    <Text>{strings.get("guide_intro")}</Text>
    <ol style={{ margin: 0, paddingLeft: 20 }}>
      {steps.map((step) => {
        const button = step.state === "current" ? buttonFor(step.id) : null;
        return (
          <li
            key={step.id}
            data-step={step.id}
            data-state={step.state}
            aria-current={step.state === "current" ? "step" : undefined}
            style={{ padding: "4px 0" }}
          >
            <Text styles={{ root: { fontWeight: step.state === "current" ? 600 : 400 } }}>
              {strings.get(STEP_TEXT[step.id], { role: serviceRoleName })} ({strings.get(STATE_TEXT[step.state])})
            </Text>
            {button && (
              <ActionButton label={button.label} gate={button.gate} busy={busy} primary strings={strings} onClick={() => onFix(button)} />
            )}
            {step.state === "current" && step.id === "release-licence" && (
              <Stack horizontal wrap verticalAlign="center" tokens={{ childrenGap: 8 }}>
                <Link href={M365_ACTIVE_USERS_URL} target="_blank" rel="noopener noreferrer">
                  {strings.get("action_openM365")}
                </Link>
                <DefaultButton text={strings.get("action_checkAgain")} disabled={busy} onClick={onCheckAgain} />
              </Stack>
            )}
          </li>
        );
      })}
    </ol>
  </Stack>
);
