import { WorkflowCategory, type OwnedConnectionReference, type OwnedProcess, type UsagePlace } from "../core/usage";

export type { UsagePlace };

/** A model-driven record URL ("Open forms and views with a URL", https://learn.microsoft.com/power-apps/developer/model-driven-apps/open-forms-views-dialogs-reports-url). */
function recordUrl(place: UsagePlace, table: string, id: string): string | null {
  if (!place.clientUrl) return null;
  return `${place.clientUrl.replace(/\/+$/, "")}/main.aspx?pagetype=entityrecord&etn=${table}&id=${encodeURIComponent(id)}`;
}

/**
 * A cloud flow opens in Power Automate's maker portal, which needs the environment's id
 * (https://make.powerautomate.com/environments/{environment}/flows/{flow}/details); a classic workflow or
 * an action opens as its workflow record.
 */
export function processUrl(process: OwnedProcess, place: UsagePlace): string | null {
  if (process.category !== WorkflowCategory.CloudFlow) return recordUrl(place, "workflow", process.id);
  if (!place.environmentId) return null;
  return `https://make.powerautomate.com/environments/${encodeURIComponent(place.environmentId)}/flows/${encodeURIComponent(process.id)}/details`;
}

export function connectionReferenceUrl(reference: OwnedConnectionReference, place: UsagePlace): string | null {
  return recordUrl(place, "connectionreference", reference.id);
}
