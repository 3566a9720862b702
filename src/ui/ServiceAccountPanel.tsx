import * as React from "react";
import { DefaultButton, Spinner, Stack, Text, ThemeProvider, type Theme } from "@fluentui/react";
import { gateAction, type FieldAccess } from "../core/actions";
import { conversionSteps, type ConversionStepId } from "../core/conversion";
import type { CompliancePolicy } from "../core/policy";
import type { ComplianceReport } from "../core/report";
import { AccessMode } from "../core/snapshot";
import type { FixRequest } from "../dataverse/fixService";
import { actionText, type ActionText } from "./actionText";
import { ActionButton } from "./ActionButton";
import { AccountUsage } from "./AccountUsage";
import { Checklist, type FixButton } from "./Checklist";
import { ConfirmDialog } from "./ConfirmDialog";
import { ConversionGuide } from "./ConversionGuide";
import { EntraVerdict } from "./EntraVerdict";
import { Notice } from "./Notice";
import type { PanelServices } from "../dataverse/userComplianceService";
import { StatusBadges } from "./StatusBadges";
import type { Strings } from "./strings";
import type { UsagePlace } from "./usageLinks";
import { useAccountUsage } from "./useAccountUsage";
import { useUserCompliance } from "./useUserCompliance";

export interface ServiceAccountPanelProps {
  /** The systemuser id, or null on a create form (nothing to check yet). */
  userId: string | null;
  services: PanelServices;
  strings: Strings;
  policy: CompliancePolicy;
  /** False when the control is disabled or the Access Mode field is not editable for this admin. */
  editable: boolean;
  /** False when field-level security hides the Access Mode column from this admin: nothing is read or shown. */
  readable: boolean;
  theme?: Theme;
  /** Tells the form the server's access mode after a switch, so the field agrees with Dataverse. */
  onAccessModeChanged: (accessMode: number) => void;
  /** Where the usage links lead; absent, none is built. */
  place?: UsagePlace;
}

/**
 * The compliance panel that replaces the Access Mode field on the User form. Memoized: the form calls
 * updateView often, and the entry hands over the same services, strings, policy and theme each time.
 */
export const ServiceAccountPanel = React.memo(function ServiceAccountPanel(props: ServiceAccountPanelProps): React.ReactElement {
  const content = !props.readable ? (
    <Text>{props.strings.get("status_fieldNotReadable")}</Text>
  ) : props.userId ? (
    <UserCompliancePanel {...props} userId={props.userId} />
  ) : (
    <Text>{props.strings.get("status_saveFirst")}</Text>
  );
  return props.theme ? <ThemeProvider theme={props.theme}>{content}</ThemeProvider> : content;
});

const UserCompliancePanel: React.FC<ServiceAccountPanelProps & { userId: string }> = ({
  userId,
  services,
  strings,
  policy,
  editable,
  onAccessModeChanged,
  place = NO_PLACE,
}) => {
  const fieldAccess: FieldAccess = React.useMemo(() => ({ editable }), [editable]);
  const { state, report, refresh, run } = useUserCompliance(userId, services, policy, fieldAccess, onAccessModeChanged);
  // Read once the checklist is shown, so the load keeps its request budget; only for a service
  // account, the only kind the section is shown for.
  const usage = useAccountUsage(userId, services, state.phase === "ready" && report?.isServiceAccount === true);
  const [pending, setPending] = React.useState<{ request: FixRequest; text: ActionText } | null>(null);
  const [guideOpen, setGuideOpen] = React.useState(false);
  const noticeRef = React.useRef<HTMLDivElement>(null);
  // A confirmed action moves focus out of the closing dialog to the outcome area at once (so the
  // dialog does not hand it back to an opener that may be gone), then onto the outcome itself.
  const outcomeAreaRef = React.useRef<HTMLDivElement>(null);
  const [restoreFocus, setRestoreFocus] = React.useState(true);
  const [focusRequests, setFocusRequests] = React.useState(0);
  React.useEffect(() => {
    if (focusRequests > 0) outcomeAreaRef.current?.focus();
  }, [focusRequests]);

  const { snapshot, message } = state;
  const noticeLines = message
    ? [
        strings.get(message.key, message.params),
        ...(message.serverMessage && message.tone === "error" ? [strings.get("error_serverSaid", { message: message.serverMessage })] : []),
        ...(message.tone === "error" && snapshot ? [strings.get("result_reread")] : []),
      ]
    : [];
  const notice = message ? <Notice ref={noticeRef} tone={message.tone} lines={noticeLines} /> : null;

  if (state.phase === "loading") return <Spinner label={strings.get("status_loading")} />;
  if (state.phase === "failed" || !snapshot || !report) {
    return (
      <Stack tokens={{ childrenGap: 8 }}>
        <Text>{strings.get("error_loadFailed")}</Text>
        {notice}
        <Stack horizontal>
          <DefaultButton text={strings.get("action_refresh")} onClick={refresh} />
        </Stack>
      </Stack>
    );
  }

  const button = (request: FixRequest): FixButton => ({
    request,
    label: actionText(request, snapshot, policy.serviceRoleName, strings, usage).label,
    gate: gateAction(request.action, snapshot, report, fieldAccess),
  });
  const ask = (request: FixRequest) => {
    setRestoreFocus(true);
    setPending({ request, text: actionText(request, snapshot, policy.serviceRoleName, strings, usage) });
  };
  const confirm = () => {
    if (!pending) return;
    setPending(null);
    setRestoreFocus(false);
    setFocusRequests((count) => count + 1);
    const request = pending.request;
    void (async () => {
      await run(request);
      noticeRef.current?.focus();
    })();
  };
  const busy = state.busy !== null || state.refreshing;
  const steps = conversionSteps(snapshot, report);
  const regularUser = report.accountKind === "user";
  const converted = steps.every((step) => step.state === "done");
  const showGuide = regularUser && !converted && (report.isServiceAccount || guideOpen);
  // An ordinary interactive user: the checklist is what converting would take, shown on request.
  const preview = regularUser && !report.isServiceAccount;
  const backToInteractive =
    regularUser && snapshot.user.accessMode === AccessMode.NonInteractive ? button({ action: "switch-to-interactive" }) : null;

  return (
    <Stack tokens={{ childrenGap: 12 }} styles={{ root: { maxWidth: "100%" } }} aria-busy={busy}>
      <StatusBadges snapshot={snapshot} report={report} strings={strings} />
      {state.refreshing && <Spinner label={strings.get("status_refreshing")} />}
      <div ref={outcomeAreaRef} tabIndex={-1}>
        {notice}
      </div>
      <Stack horizontal wrap tokens={{ childrenGap: 8 }}>
        <DefaultButton text={strings.get("action_refresh")} onClick={refresh} disabled={busy} />
        {regularUser && !report.isServiceAccount && (
          <DefaultButton
            text={strings.get(guideOpen ? "action_hideGuide" : "action_makeServiceAccount")}
            aria-expanded={guideOpen}
            onClick={() => setGuideOpen((open) => !open)}
          />
        )}
        {backToInteractive && (
          <ActionButton
            label={backToInteractive.label}
            gate={backToInteractive.gate}
            busy={busy}
            strings={strings}
            onClick={() => ask(backToInteractive.request)}
          />
        )}
      </Stack>
      {showGuide && (
        <ConversionGuide
          steps={steps}
          strings={strings}
          busy={busy}
          serviceRoleName={policy.serviceRoleName}
          buttonFor={(step) => guideButton(step, report, button)}
          onFix={(fix) => ask(fix.request)}
          onCheckAgain={refresh}
        />
      )}
      {(regularUser || report.accountKind === "application") && report.isServiceAccount && (
        <EntraVerdict verdict={snapshot.stampedEntra} strings={strings} />
      )}
      {(!preview || guideOpen) && (
        <Checklist
          checks={report.checks}
          preview={preview}
          strings={strings}
          busy={busy}
          fixesFor={(check) => check.fixes.map((fix) => button(fix))}
          onFix={ask}
        />
      )}
      {report.isServiceAccount && <AccountUsage usage={usage} place={place} strings={strings} />}
      <ConfirmDialog
        text={pending?.text ?? null}
        strings={strings}
        restoreFocus={restoreFocus}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      />
    </Stack>
  );
};

const NO_PLACE: UsagePlace = { clientUrl: null, environmentId: null };

/** The guide's buttons are the report's own fixes, so the guide and the checklist run the same request. */
function guideButton(step: ConversionStepId, report: ComplianceReport, button: (request: FixRequest) => FixButton): FixButton | null {
  const action = step === "switch-mode" ? "switch-to-non-interactive" : step === "assign-role" ? "assign-service-role" : null;
  const fix = action && report.checks.flatMap((check) => check.fixes).find((candidate) => candidate.action === action);
  return fix ? button(fix) : null;
}
