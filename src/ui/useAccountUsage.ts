import * as React from "react";
import type { AccountUsage } from "../core/usage";
import type { PanelServices } from "../dataverse/userComplianceService";

/**
 * What runs as the user, read once the panel has loaded (`ready`), apart from the load and its
 * request budget; null while it is read. A read that fails as a whole is shown as that failure.
 */
export function useAccountUsage(userId: string, services: PanelServices, ready: boolean): AccountUsage | null {
  // Kept with the user it is about, so another user's form never shows it while its own is read.
  const [read, setRead] = React.useState<{ userId: string; usage: AccountUsage } | null>(null);
  React.useEffect(() => {
    if (!ready) return undefined;
    let live = true;
    void (async () => {
      let usage: AccountUsage;
      try {
        usage = await services.usage(userId);
      } catch (error) {
        const problem = { problem: error instanceof Error ? error.message : String(error) };
        usage = { processes: problem, steps: problem, connectionReferences: problem };
      }
      if (live) setRead({ userId, usage });
    })();
    return () => {
      live = false;
    };
  }, [userId, services, ready]);
  return read?.userId === userId ? read.usage : null;
}
