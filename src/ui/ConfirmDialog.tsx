import * as React from "react";
import { DefaultButton, Dialog, DialogFooter, DialogType, PrimaryButton, Text } from "@fluentui/react";
import type { ActionText } from "./actionText";
import type { Strings } from "./strings";

export interface ConfirmDialogProps {
  text: ActionText | null;
  strings: Strings;
  /** False once confirmed: focus then goes to the action's outcome rather than back to the opener. */
  restoreFocus: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** After the closing animation, when focus can move without the dialog pulling it back. */
  onDismissed: () => void;
}

/**
 * Every fix is confirmed with its consequences spelled out. Focus starts on Cancel, so Enter alone
 * never changes a user; a cancelled dialog gives focus back to its opener.
 */
export const ConfirmDialog: React.FC<ConfirmDialogProps> = ({ text, strings, restoreFocus, onConfirm, onCancel, onDismissed }) => (
  <Dialog
    hidden={text === null}
    onDismiss={onCancel}
    dialogContentProps={{ type: DialogType.normal, title: text?.title, showCloseButton: false }}
    modalProps={{
      isBlocking: true,
      firstFocusableSelector: "svcacct-confirm-cancel",
      focusTrapZoneProps: { disableRestoreFocus: !restoreFocus },
      onDismissed,
    }}
  >
    {text?.consequences.map((paragraph) => (
      <Text key={paragraph} block styles={{ root: { marginBottom: 8 } }}>
        {paragraph}
      </Text>
    ))}
    <DialogFooter>
      <PrimaryButton text={text?.label ?? strings.get("confirm_ok")} onClick={onConfirm} />
      <DefaultButton className="svcacct-confirm-cancel" text={strings.get("action_cancel")} onClick={onCancel} />
    </DialogFooter>
  </Dialog>
);
