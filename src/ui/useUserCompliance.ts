import * as React from "react";
import type { FieldAccess } from "../core/actions";
import { evaluate } from "../core/evaluate";
import { ROLE_NAME_SEPARATOR, watchedPrivileges, type CompliancePolicy } from "../core/policy";
import type { ComplianceReport } from "../core/report";
import type { UserSnapshot } from "../core/snapshot";
import type { FixRequest } from "../dataverse/fixService";
import { describeError, type PanelMessage } from "./errorMessages";
import type { PanelServices } from "../dataverse/userComplianceService";

export interface ComplianceState {
  /** loading: first read; ready: a snapshot is shown (possibly being re-read); failed: no snapshot. */
  phase: "loading" | "ready" | "failed";
  snapshot: UserSnapshot | null;
  refreshing: boolean;
  busy: FixRequest | null;
  /** Outcome of the last action, or why the last load failed. */
  message: (PanelMessage & { tone: "success" | "error" }) | null;
}

export interface ComplianceController {
  state: ComplianceState;
  /** The snapshot evaluated with the current policy (re-evaluated, not re-read, when the policy changes). */
  report: ComplianceReport | null;
  refresh: () => void;
  run: (request: FixRequest) => Promise<void>;
}

const INITIAL: ComplianceState = { phase: "loading", snapshot: null, refreshing: false, busy: null, message: null };

/**
 * Loads one user's snapshot once per record id and watched privileges (not per updateView), re-reads
 * it on refresh and after every fix, failed or not, so the panel never shows a state the server does not have.
 */
export function useUserCompliance(
  userId: string,
  services: PanelServices,
  policy: CompliancePolicy,
  fieldAccess: FieldAccess,
  onAccessModeChanged: (accessMode: number) => void,
): ComplianceController {
  const [state, setState] = React.useState<ComplianceState>(INITIAL);
  // The privileges to read grants for come from the policy: a new list is a new read, a new policy alone is not.
  const watchedKey = watchedPrivileges(policy).join(ROLE_NAME_SEPARATOR);
  const latestRead = React.useRef(0);
  const mounted = React.useRef(true);
  React.useEffect(() => () => void (mounted.current = false), []);

  const reload = React.useCallback(
    async (message: ComplianceState["message"]): Promise<UserSnapshot | null> => {
      const read = ++latestRead.current;
      setState((previous) => ({ ...previous, refreshing: previous.snapshot !== null, phase: previous.snapshot ? "ready" : "loading" }));
      try {
        const snapshot = await services.load(userId, watchedKey ? watchedKey.split(ROLE_NAME_SEPARATOR) : []);
        if (!mounted.current || read !== latestRead.current) return null;
        setState((previous) => ({ ...previous, phase: "ready", snapshot, refreshing: false, busy: null, message }));
        return snapshot;
      } catch (error) {
        if (!mounted.current || read !== latestRead.current) return null;
        // Keep no stale snapshot: an admin must not act on data the server could not confirm.
        setState((previous) => ({
          ...previous,
          phase: "failed",
          snapshot: null,
          refreshing: false,
          busy: null,
          message: { ...describeError(error), tone: "error" },
        }));
        return null;
      }
    },
    [services, userId, watchedKey],
  );

  React.useEffect(() => {
    setState(INITIAL);
    void reload(null);
  }, [reload]);

  const refresh = React.useCallback(() => void reload(null), [reload]);
  const report = React.useMemo(() => (state.snapshot ? evaluate(state.snapshot, policy) : null), [state.snapshot, policy]);

  // run reads the latest state through a ref, so its identity changes only with its inputs, not on every state change.
  const latest = React.useRef({ state, report });
  React.useLayoutEffect(() => {
    latest.current = { state, report };
  });

  const run = React.useCallback(
    async (request: FixRequest) => {
      const { state: current, report } = latest.current;
      const { snapshot } = current;
      if (!snapshot || !report || current.busy) return;
      setState((previous) => ({ ...previous, busy: request, message: null }));
      let message: NonNullable<ComplianceState["message"]>;
      try {
        const outcome = await services.apply(request, snapshot, report, fieldAccess);
        message = { key: outcome === "applied" ? "result_applied" : "result_unchanged", tone: "success" };
      } catch (error) {
        message = { ...describeError(error), tone: "error" };
      }
      // busy stays set until the re-read lands, so no button works on the pre-fix state meanwhile.
      const fresh = await reload(message);
      if (fresh && fresh.user.accessMode !== snapshot.user.accessMode) onAccessModeChanged(fresh.user.accessMode);
    },
    [services, fieldAccess, reload, onAccessModeChanged],
  );

  return { state, report, refresh, run };
}
