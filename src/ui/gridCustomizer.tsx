import * as React from "react";
import { overallStatusOf } from "../core/complianceStatus";
import { AccessMode } from "../core/snapshot";
import { Badge } from "./Badge";
import { accessModeBadge, complianceBadge, licenceBadge, type BadgeValue } from "./badgeValues";
import type { Strings } from "./strings";

/*
 * The Power Apps grid control's customizer contract, as "Customize the editable grid control"
 * (https://learn.microsoft.com/power-apps/developer/component-framework/customize-editable-grid-control)
 * and its template (PowerApps-Samples, component-framework/resources/GridCustomizerControlTemplate,
 * PAGridCustomizer/types.ts) define it: only the members this customizer reads are declared.
 * A renderer override is keyed by the column's data type and returns a React element, or nothing
 * to leave the cell to the grid's own renderer.
 */

/** The cell as the grid passes it to a renderer override. */
export interface CellRendererProps {
  readonly value: unknown;
  readonly formattedValue?: string;
  readonly columnDataType?: string;
}

export interface ColumnDefinition {
  /** The column's logical name. */
  readonly name: string;
  readonly dataType: string;
}

/** The row's values by column name; the contract declares only its id (`__rec_id`). */
export type RowData = Readonly<Record<string, unknown>>;

export interface GetRendererParams {
  readonly colDefs: ColumnDefinition[];
  readonly columnIndex: number;
  readonly rowData?: RowData;
}

export type CellRenderer = (props: CellRendererProps, params: GetRendererParams) => React.ReactElement | null | undefined;

/** `PAOneGridCustomizer`: what the customizer hands the grid through `context.factory.fireEvent`. */
export interface GridCustomizer {
  cellRendererOverrides: Partial<Record<"OptionSet" | "TwoOptions", CellRenderer>>;
}

export const COMPLIANCE_COLUMNS = {
  status: "svcacct_compliancestatus",
  summary: "svcacct_compliancesummary",
  checkedOn: "svcacct_compliancecheckedon",
  accessMode: "accessmode",
  isLicensed: "islicensed",
} as const;

export interface GridCustomizerOptions {
  strings: Strings;
  /** The platform's date formatting in the user's settings (`context.formatting.formatDateShort`). */
  formatDate: (date: Date) => string;
}

/** A column value as a number: the grid passes choice values as numbers or numeric strings. */
function numberOf(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function booleanOf(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === "1" || value === "true") return true;
  if (value === 0 || value === "0" || value === "false") return false;
  return null;
}

function dateOf(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === "string" || typeof value === "number") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

const visuallyHidden: React.CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  border: 0,
  whiteSpace: "nowrap",
};

/**
 * The compliance badge with its summary and check date: shown on hover (title) and read with the
 * cell by screen readers (a visually hidden description: the grid, not the badge, takes focus).
 */
const ComplianceCell: React.FC<{ value: BadgeValue; description: string[] }> = ({ value, description }) => (
  <span data-grid-cell={COMPLIANCE_COLUMNS.status} title={description.join("\n")} style={{ position: "relative" }}>
    <Badge {...value} />
    <span style={visuallyHidden}>{description.join(" ")}</span>
  </span>
);

/** The renderer overrides: the three columns this product owns; every other column stays the grid's. */
export function createGridCustomizer({ strings, formatDate }: GridCustomizerOptions): GridCustomizer {
  const columnOf = (params: GetRendererParams) => params.colDefs[params.columnIndex]?.name;
  return {
    cellRendererOverrides: {
      OptionSet: (props, params) => {
        const column = columnOf(params);
        if (column === COMPLIANCE_COLUMNS.status) {
          const status = overallStatusOf(props.value);
          if (!status) return undefined;
          const checkedOn = dateOf(params.rowData?.[COMPLIANCE_COLUMNS.checkedOn]);
          const summary = params.rowData?.[COMPLIANCE_COLUMNS.summary];
          const description = [
            ...(typeof summary === "string" && summary.trim() ? [summary.trim()] : []),
            checkedOn ? strings.get("grid_checkedOn", { date: formatDate(checkedOn) }) : strings.get("grid_notChecked"),
          ];
          return <ComplianceCell value={complianceBadge(status, strings)} description={description} />;
        }
        if (column === COMPLIANCE_COLUMNS.accessMode) {
          const mode = numberOf(props.value);
          return mode === null ? undefined : (
            <span data-grid-cell={column}>
              <Badge {...accessModeBadge(mode, strings)} />
            </span>
          );
        }
        return undefined;
      },
      TwoOptions: (props, params) => {
        const column = columnOf(params);
        if (column !== COMPLIANCE_COLUMNS.isLicensed) return undefined;
        const licensed = booleanOf(props.value);
        if (licensed === null) return undefined;
        const nonInteractive = numberOf(params.rowData?.[COMPLIANCE_COLUMNS.accessMode]) === AccessMode.NonInteractive;
        return (
          <span data-grid-cell={column}>
            <Badge {...licenceBadge(licensed, nonInteractive, strings)} />
          </span>
        );
      },
    },
  };
}
