import { activeCount, runsNothing, usageCounts, WorkflowCategory, type AccountUsage } from "../../src/core/usage";

const process = (category: number, on: boolean, id = `${category}-${String(on)}`) => ({ id, name: id, category, on });

describe("what runs as an account, counted", () => {
  const usage: AccountUsage = {
    processes: {
      rows: [
        process(WorkflowCategory.CloudFlow, true, "a"),
        process(WorkflowCategory.CloudFlow, true, "b"),
        process(WorkflowCategory.CloudFlow, false, "c"),
        process(WorkflowCategory.ClassicWorkflow, true),
        process(WorkflowCategory.Action, false),
      ],
    },
    steps: { rows: [{ id: "s", name: "step", on: true, handler: "Contoso.Plugin" }] },
    connectionReferences: { rows: [{ id: "r", name: "SQL", connector: "shared_sql", on: true }] },
  };

  it("tallies each kind, and what runs now", () => {
    const counts = usageCounts(usage);
    expect(counts).toEqual({
      cloudFlows: { total: 3, on: 2 },
      classicWorkflows: { total: 1, on: 1 },
      actions: { total: 1, on: 0 },
      steps: { total: 1, on: 1 },
      connectionReferences: { total: 1, on: 1 },
    });
    expect(activeCount(counts)).toBe(4);
    expect(runsNothing(counts)).toBe(false);
  });

  it("never counts a table the caller cannot read as zero", () => {
    const hidden: AccountUsage = { ...usage, steps: { hidden: true } };
    const counts = usageCounts(hidden);
    expect(counts.steps).toBeNull();
    expect(activeCount(counts)).toBeNull();
    expect(runsNothing(usageCounts({ processes: { rows: [] }, steps: { hidden: true }, connectionReferences: { rows: [] } }))).toBe(false);
    expect(runsNothing(usageCounts({ processes: { rows: [] }, steps: { rows: [] }, connectionReferences: { rows: [] } }))).toBe(true);
  });
});
