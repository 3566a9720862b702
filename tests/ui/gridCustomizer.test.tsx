import * as React from "react";
import { render } from "@testing-library/react";
import { COMPLIANCE_STATUS_VALUES } from "../../src/core/complianceStatus";
import { createGridCustomizer, type GetRendererParams } from "../../src/ui/gridCustomizer";
import { stringsFor } from "../support/resx";

const customizer = createGridCustomizer({ strings: stringsFor(1033), formatDate: (date) => date.toISOString().slice(0, 10) });
const COLUMNS = [
  { name: "fullname", dataType: "Text" },
  { name: "accessmode", dataType: "OptionSet" },
  { name: "islicensed", dataType: "TwoOptions" },
  { name: "svcacct_compliancestatus", dataType: "OptionSet" },
  { name: "businessunitid", dataType: "Lookup" },
  { name: "preferredaddresscode", dataType: "OptionSet" },
];

/** Calls the override the way the grid does: by the column's data type, with the column's index and the row. */
function cell(column: string, value: unknown, rowData: Record<string, unknown> = {}) {
  const index = COLUMNS.findIndex((candidate) => candidate.name === column);
  const renderer = customizer.cellRendererOverrides[COLUMNS[index].dataType as "OptionSet" | "TwoOptions"];
  const params: GetRendererParams = { colDefs: COLUMNS, columnIndex: index, rowData: { __rec_id: "1", ...rowData } };
  return renderer?.({ value, formattedValue: String(value) }, params);
}

const rendered = (element: React.ReactElement | null | undefined) => render(element!).container;

describe("the grid customizer", () => {
  it.each([
    ["compliant", "Compliant", "success"],
    ["needs-attention", "Needs attention", "warning"],
    ["non-compliant", "Non-compliant", "error"],
    ["not-service-account", "Not a service account", "neutral"],
  ] as const)("renders status %s as the panel's badge", (status, label, tone) => {
    const container = rendered(cell("svcacct_compliancestatus", COMPLIANCE_STATUS_VALUES[status]));
    expect(container.querySelector("strong")!.textContent).toBe(label);
    expect(container.querySelector("[data-tone]")!.getAttribute("data-tone")).toBe(tone);
  });

  it("describes the badge with the summary and the check date, for the pointer and for screen readers", () => {
    const container = rendered(
      cell("svcacct_compliancestatus", String(COMPLIANCE_STATUS_VALUES["non-compliant"]), {
        svcacct_compliancesummary: "It does not hold Integration Service Account.",
        svcacct_compliancecheckedon: "2026-11-28T10:00:00Z",
      }),
    );
    const host = container.querySelector("[data-grid-cell]")!;
    expect(host.getAttribute("title")).toBe("It does not hold Integration Service Account.\nChecked on 2026-11-28");
    expect(host.textContent).toContain("It does not hold Integration Service Account. Checked on 2026-11-28");
  });

  it("says a badge was not checked yet when the row has no date", () => {
    expect(rendered(cell("svcacct_compliancestatus", COMPLIANCE_STATUS_VALUES.compliant)).textContent).toContain("Not checked yet");
  });

  it("makes Non-interactive stand out among access modes", () => {
    expect(rendered(cell("accessmode", 4)).querySelector("[data-tone]")!.getAttribute("data-tone")).toBe("success");
    const readWrite = rendered(cell("accessmode", 0));
    expect(readWrite.textContent).toBe("Read-Write");
    expect(readWrite.querySelector("[data-tone]")!.getAttribute("data-tone")).toBe("neutral");
  });

  it("shows islicensed as Licensed or Unlicensed, a licence on a non-interactive user as a warning", () => {
    expect(rendered(cell("islicensed", false)).textContent).toBe("Unlicensed");
    const licensedService = rendered(cell("islicensed", true, { accessmode: 4 }));
    expect(licensedService.textContent).toBe("Licensed");
    expect(licensedService.querySelector("[data-tone]")!.getAttribute("data-tone")).toBe("warning");
    expect(
      rendered(cell("islicensed", "1", { accessmode: "0" }))
        .querySelector("[data-tone]")!
        .getAttribute("data-tone"),
    ).toBe("neutral");
  });

  it("leaves every other column, and values it does not know, to the grid", () => {
    expect(cell("fullname", "Integration ERP")).toBeUndefined();
    expect(cell("businessunitid", "Contoso")).toBeUndefined();
    expect(cell("preferredaddresscode", 1)).toBeUndefined();
    expect(cell("svcacct_compliancestatus", null)).toBeUndefined();
    expect(cell("svcacct_compliancestatus", 1)).toBeUndefined();
    expect(cell("islicensed", null)).toBeUndefined();
    expect(Object.keys(customizer.cellRendererOverrides).sort()).toEqual(["OptionSet", "TwoOptions"]);
  });
});
