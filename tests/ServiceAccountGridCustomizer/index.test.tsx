import { render } from "@testing-library/react";
import { ServiceAccountGridCustomizer } from "../../ServiceAccountGridCustomizer";
import type { IInputs } from "../../ServiceAccountGridCustomizer/generated/ManifestTypes";
import { COMPLIANCE_STATUS_VALUES } from "../../src/core/complianceStatus";
import { createMockContext, property } from "../../src/harness/browser/mockContext";
import type { GridCustomizer } from "../../src/ui/gridCustomizer";
import { readResx } from "../support/resx";

const texts = readResx(1033);

/** The context the Power Apps grid hands its customizer: the EventName it listens on, and fireEvent. */
function gridContext(eventName: string | null, fireEvent: jest.Mock) {
  return createMockContext<IInputs>({
    parameters: { EventName: property(eventName, "SingleLine.Text") },
    strings: (key) => texts.get(key),
    formatDateShort: (date) => date.toISOString().slice(0, 10),
    fireEvent,
  });
}

describe("ServiceAccountGridCustomizer control", () => {
  it("hands the grid its cell renderers on the event EventName names, and renders nothing itself", () => {
    const fireEvent = jest.fn();
    const control = new ServiceAccountGridCustomizer();
    control.init(gridContext("grid-event", fireEvent));
    expect(fireEvent).toHaveBeenCalledTimes(1);
    const [name, customizer] = fireEvent.mock.calls[0] as [string, GridCustomizer];
    expect(name).toBe("grid-event");
    const badge = customizer.cellRendererOverrides.OptionSet?.(
      { value: COMPLIANCE_STATUS_VALUES.compliant, formattedValue: "" },
      { colDefs: [{ name: "svcacct_compliancestatus", dataType: "OptionSet" }], columnIndex: 0, rowData: { __rec_id: "1" } },
    );
    expect(render(badge!).container.textContent).toContain(texts.get("overall_compliant"));
    expect(render(control.updateView()).container.innerHTML).toBe("");
  });

  it("fires nothing when the grid names no event", () => {
    const fireEvent = jest.fn();
    new ServiceAccountGridCustomizer().init(gridContext(null, fireEvent));
    expect(fireEvent).not.toHaveBeenCalled();
  });
});
