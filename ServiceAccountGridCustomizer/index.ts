import * as React from "react";
import type { IInputs, IOutputs } from "./generated/ManifestTypes";
import { createGridCustomizer } from "../src/ui/gridCustomizer";
import { Strings } from "../src/ui/strings";

/** `context.factory.fireEvent` is how a customizer hands itself to the grid; the PCF typings leave it out. */
interface FactoryWithEvents {
  fireEvent?: (eventName: string, payload: unknown) => void;
}

/**
 * Thin PCF entry of the Power Apps grid customizer: at init it gives the grid its cell renderers on
 * the event the grid names in EventName ("Customize the editable grid control",
 * https://learn.microsoft.com/power-apps/developer/component-framework/customize-editable-grid-control).
 * It renders nothing itself.
 */
export class ServiceAccountGridCustomizer implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  public init(context: ComponentFramework.Context<IInputs>): void {
    const eventName = context.parameters.EventName?.raw;
    if (!eventName) return;
    const customizer = createGridCustomizer({
      strings: new Strings((key) => context.resources.getString(key)),
      formatDate: (date) => context.formatting.formatDateShort(date),
    });
    (context.factory as unknown as FactoryWithEvents).fireEvent?.(eventName, customizer);
  }

  public updateView(): React.ReactElement {
    return React.createElement(React.Fragment);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Nothing to release: the grid owns the cells.
  }
}
