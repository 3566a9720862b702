import * as React from "react";
import { ActionButton as FluentActionButton, getId, Link, Spinner, Stack, Text } from "@fluentui/react";
import { runsNothing, usageCounts, WorkflowCategory, type AccountUsage as Usage, type Tally, type UsageList } from "../core/usage";
import type { StringKey, Strings } from "./strings";
import { connectionReferenceUrl, processUrl, type UsagePlace } from "./usageLinks";

export interface AccountUsageProps {
  usage: Usage | null;
  place: UsagePlace;
  strings: Strings;
}

/** One line of counts in words; a table the admin may not read says so, never zero. */
export function usageLine(usage: Usage, strings: Strings): string[] {
  const counts = usageCounts(usage);
  if (runsNothing(counts)) return [strings.get("usage_nothing")];
  const parts: string[] = [];
  const add = (tally: Tally | null, key: StringKey) => {
    if (tally && tally.total > 0) parts.push(strings.get(key, { total: tally.total, on: tally.on }));
  };
  add(counts.cloudFlows, "usage_cloudFlows");
  add(counts.classicWorkflows, "usage_classicWorkflows");
  add(counts.actions, "usage_actions");
  add(counts.steps, "usage_steps");
  add(counts.connectionReferences, "usage_connectionReferences");
  const unseen = (list: UsageList<unknown>, kind: StringKey) => {
    if ("hidden" in list) parts.push(strings.get("usage_hidden", { what: strings.get(kind) }));
    if ("problem" in list) parts.push(strings.get("usage_failed", { what: strings.get(kind), reason: list.problem }));
  };
  unseen(usage.processes, "usage_kind_processes");
  unseen(usage.steps, "usage_kind_steps");
  unseen(usage.connectionReferences, "usage_kind_connectionReferences");
  return parts;
}

/**
 * "Runs as this account": read after the checklist, one line of counts that unfolds into every
 * flow, workflow, step and connection reference with a link to open it (or why there is none).
 */
export const AccountUsage: React.FC<AccountUsageProps> = ({ usage, place, strings }) => {
  const [open, setOpen] = React.useState(false);
  const [listId] = React.useState(() => getId("svcacct-usage"));
  const link = (url: string | null, name: string, noLink: StringKey) =>
    url ? (
      <Link href={url} target="_blank" rel="noopener noreferrer">
        {name}
      </Link>
    ) : (
      <>
        {name} <Text variant="small">({strings.get(noLink)})</Text>
      </>
    );
  const state = (on: boolean) => strings.get(on ? "usage_state_on" : "usage_state_off");
  return (
    <Stack tokens={{ childrenGap: 4 }} data-testid="account-usage">
      <Text as="h2" variant="mediumPlus" styles={{ root: { margin: 0 } }}>
        {strings.get("usage_heading")}
      </Text>
      {usage === null ? (
        <Spinner label={strings.get("usage_loading")} labelPosition="right" />
      ) : (
        <>
          <Text data-usage-summary="">{usageLine(usage, strings).join(" · ")}</Text>
          {listed(usage) && (
            <FluentActionButton
              iconProps={{ iconName: open ? "ChevronDown" : "ChevronRight" }}
              aria-expanded={open}
              aria-controls={open ? listId : undefined}
              onClick={() => setOpen((value) => !value)}
              styles={{ root: { paddingLeft: 0, height: 32 } }}
            >
              {strings.get(open ? "usage_hide" : "usage_show")}
            </FluentActionButton>
          )}
          {open && listed(usage) && (
            <ul id={listId} style={{ margin: 0, paddingLeft: 20 }} aria-label={strings.get("usage_heading")}>
              {"rows" in usage.processes &&
                usage.processes.rows.map((process) => (
                  <li key={process.id} data-usage="process">
                    {link(processUrl(process, place), process.name, "usage_noLink_flow")} · {strings.get(categoryKey(process.category))} ·{" "}
                    {state(process.on)}
                  </li>
                ))}
              {"rows" in usage.steps &&
                usage.steps.rows.map((step) => (
                  <li key={step.id} data-usage="step">
                    {step.name} <Text variant="small">({strings.get("usage_noLink_step")})</Text> · {state(step.on)}
                  </li>
                ))}
              {"rows" in usage.connectionReferences &&
                usage.connectionReferences.rows.map((reference) => (
                  <li key={reference.id} data-usage="connection-reference">
                    {link(connectionReferenceUrl(reference, place), reference.name, "usage_noLink_record")} ·{" "}
                    {strings.get("usage_kind_connectionReference")} · {state(reference.on)}
                  </li>
                ))}
            </ul>
          )}
        </>
      )}
    </Stack>
  );
};

/** Whether there is anything to unfold into: rows in a list the admin may read. */
function listed(usage: Usage): boolean {
  return [usage.processes, usage.steps, usage.connectionReferences].some((list) => "rows" in list && list.rows.length > 0);
}

function categoryKey(category: number): StringKey {
  if (category === WorkflowCategory.CloudFlow) return "usage_kind_cloudFlow";
  if (category === WorkflowCategory.Action) return "usage_kind_action";
  return "usage_kind_classicWorkflow";
}
