import * as React from "react";
import { ActionButton as FluentActionButton, getId, Link, Stack, Text } from "@fluentui/react";
import { byUrgency } from "../core/checkOrder";
import type { ActionGate } from "../core/actions";
import type { Check, CheckId, CheckStatus } from "../core/report";
import type { FixRequest } from "../dataverse/fixService";
import { ActionButton } from "./ActionButton";
import { Badge } from "./Badge";
import { GrantGuidance } from "./GrantGuidance";
import { M365_ACTIVE_USERS_URL } from "./links";
import type { StringKey, Strings } from "./strings";
import { TONE_OF_CHECK } from "./tones";

const TITLE: Record<CheckId, StringKey> = {
  "account-type": "checkTitle_accountType",
  "online-environment": "checkTitle_onlineEnvironment",
  "not-own-account": "checkTitle_notOwnAccount",
  "account-enabled": "checkTitle_accountEnabled",
  "primary-email": "checkTitle_primaryEmail",
  "access-mode": "checkTitle_accessMode",
  "service-role": "checkTitle_serviceRole",
  "forbidden-roles": "checkTitle_forbiddenRoles",
  "forbidden-privileges": "checkTitle_forbiddenPrivileges",
  "sensitive-privileges": "checkTitle_sensitivePrivileges",
  "licence-released": "checkTitle_licenceReleased",
  "non-interactive-capacity": "checkTitle_nonInteractiveCapacity",
  "password-expiry": "checkTitle_passwordExpiry",
  "m365-admin-role": "checkTitle_m365AdminRole",
  "credential-age": "checkTitle_credentialAge",
  "interactive-sign-in": "checkTitle_interactiveSignIn",
  "recent-use": "checkTitle_recentUse",
  "mfa-policy": "checkTitle_mfaPolicy",
  "app-credentials": "checkTitle_appCredentials",
  "app-owner": "checkTitle_appOwner",
};

export const STATUS_KEY: Record<CheckStatus, StringKey> = {
  pass: "checkStatus_pass",
  fail: "checkStatus_fail",
  warning: "checkStatus_warning",
  manual: "checkStatus_manual",
  "not-applicable": "checkStatus_notApplicable",
};

export interface FixButton {
  request: FixRequest;
  label: string;
  gate: ActionGate;
}

export interface ChecklistProps {
  checks: Check[];
  /**
   * The checks of a user who is not a service account, shown as what converting would take:
   * unmet checks read "to do", not "failed".
   */
  preview: boolean;
  strings: Strings;
  busy: boolean;
  /** The buttons for one check's fixes, gated and labelled by the panel. */
  fixesFor: (check: Check) => FixButton[];
  onFix: (request: FixRequest) => void;
}

const unmet = (status: CheckStatus) => status === "fail" || status === "warning";

/**
 * The compliance checklist: what needs action first (failed, then warnings, then manual checks),
 * each with its status, a one-line reason and, where possible, a fix; the passed checks folded into
 * one line that expands on request.
 */
export const Checklist: React.FC<ChecklistProps> = ({ checks, preview, strings, busy, fixesFor, onFix }) => {
  const [passedOpen, setPassedOpen] = React.useState(false);
  const [listId] = React.useState(() => getId("svcacct-passed-checks"));
  const ordered = byUrgency(checks);
  const passed = ordered.filter((check) => check.status === "pass");
  const rest = ordered.filter((check) => check.status !== "pass");
  const row = (check: Check) => (
    <li
      key={check.id}
      data-check={check.id}
      data-status={check.status}
      style={{ padding: "6px 0", borderBottom: "1px solid rgba(0,0,0,0.08)" }}
    >
      <Stack horizontal wrap verticalAlign="center" tokens={{ childrenGap: 8 }}>
        {preview && unmet(check.status) ? (
          <Badge label={strings.get(TITLE[check.id])} value={strings.get("checkStatus_toDo")} tone="info" />
        ) : (
          <Badge label={strings.get(TITLE[check.id])} value={strings.get(STATUS_KEY[check.status])} tone={TONE_OF_CHECK[check.status]} />
        )}
        <Text styles={{ root: { flex: "1 1 220px", minWidth: 0, overflowWrap: "anywhere" } }}>
          {strings.get(check.messageKey, check.params)}
          {check.id === "licence-released" && check.status === "warning" && (
            <>
              {" "}
              <Link href={M365_ACTIVE_USERS_URL} target="_blank" rel="noopener noreferrer" underline>
                {strings.get("action_openM365")}
              </Link>
            </>
          )}
        </Text>
      </Stack>
      {!preview && <GrantGuidance check={check} strings={strings} />}
      {fixesFor(check).map((button) => (
        <Stack
          key={`${button.request.action}-${button.request.roleId ?? button.request.teamId ?? ""}`}
          styles={{ root: { paddingTop: 4 } }}
        >
          <ActionButton label={button.label} gate={button.gate} busy={busy} strings={strings} onClick={() => onFix(button.request)} />
        </Stack>
      ))}
    </li>
  );
  return (
    <Stack tokens={{ childrenGap: 4 }}>
      <Text as="h2" variant="mediumPlus" styles={{ root: { margin: 0 } }}>
        {strings.get(preview ? "checklist_previewHeading" : "checklist_heading")}
      </Text>
      {rest.length > 0 && (
        <ul style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label={strings.get("checklist_heading")}>
          {rest.map(row)}
        </ul>
      )}
      {passed.length > 0 && (
        <>
          <FluentActionButton
            iconProps={{ iconName: passedOpen ? "ChevronDown" : "ChevronRight" }}
            aria-expanded={passedOpen}
            aria-controls={passedOpen ? listId : undefined}
            data-passed-toggle=""
            onClick={() => setPassedOpen((open) => !open)}
            styles={{ root: { paddingLeft: 0, height: 32 } }}
          >
            {passed.length === 1 ? strings.get("checklist_passedOne") : strings.get("checklist_passedMany", { count: passed.length })}
          </FluentActionButton>
          {passedOpen && (
            <ul id={listId} style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label={strings.get("checkStatus_pass")}>
              {passed.map(row)}
            </ul>
          )}
        </>
      )}
    </Stack>
  );
};
