import * as React from "react";
import { DefaultButton, Dialog, DialogFooter, DialogType, PrimaryButton, Text } from "@fluentui/react";
import type { ActionText } from "./actionText";
import type { Strings } from "./strings";

export interface ConfirmDialogProps {
  text: ActionText | null;
  strings: Strings;
  /**
   * False once confirmed: the dialog then neither pulls focus back into itself while it fades out
   * nor returns it to the opener, so focus can go to the action's outcome.
   */
  restoreFocus: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Every fix is confirmed with its consequences spelled out. Focus starts on Cancel, so Enter alone
 * never changes a user; a cancelled dialog gives focus back to its opener.
 */
export const ConfirmDialog: React.FC<ConfirmDialogProps> = ({ text, strings, restoreFocus, onConfirm, onCancel }) => (
  <Dialog
    hidden={text === null}
    onDismiss={onCancel}
    dialogContentProps={{ type: DialogType.normal, title: text?.title, showCloseButton: false }}
    modalProps={{
      isBlocking: true,
      firstFocusableSelector: "svcacct-confirm-cancel",
      disableRestoreFocus: !restoreFocus,
      forceFocusInsideTrap: restoreFocus,
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
