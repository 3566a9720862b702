/**
 * The RemoteExecutionContext Dataverse posts ("Use webhooks…"): which users an event touches.
 * Parsing is defensive: any shape it does not expect is a PayloadError with the reason, never a crash.
 */
export class PayloadError extends Error {}

export const USER_ROLES_RELATIONSHIP = "systemuserroles_association";
/** The columns the Update step filters on: the ones the rules read. */
export const FILTERING_ATTRIBUTES = ["accessmode", "isdisabled", "internalemailaddress", "businessunitid", "islicensed"];

export type EventPlan =
  | {
      kind: "evaluate";
      message: string;
      correlationId: string;
      userIds: string[];
      roleIds: string[];
      /** When Dataverse performed the operation (epoch ms), if the context says. */
      operationCreatedOn?: number;
    }
  | { kind: "ignore"; message: string; correlationId: string; reason: string };

/** WCF JSON dates: "/Date(1506409448000)/" or "/Date(1506409448000-0700)/"; the number is UTC epoch ms. */
export function parseWcfDate(value: unknown): number | undefined {
  const match = typeof value === "string" ? /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function guid(value: unknown, what: string): string {
  const match = typeof value === "string" ? GUID.exec(value) : null;
  if (!match) throw new PayloadError(`${what} is not a GUID`);
  return match[1].toLowerCase();
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw new PayloadError(`${what} is missing or not text`);
  return value;
}

/** InputParameters and the like are arrays of {key, value}. */
function parameter(context: Json, key: string): unknown {
  const parameters = context.InputParameters;
  if (parameters === undefined || parameters === null) return undefined;
  if (!Array.isArray(parameters)) throw new PayloadError("InputParameters is not an array");
  const found = parameters.find((entry): entry is Json => isObject(entry) && entry.key === key);
  return found?.value;
}

/** An EntityReference or Entity: {LogicalName, Id}. */
function reference(value: unknown, what: string): { logicalName: string; id: string } {
  if (!isObject(value)) throw new PayloadError(`${what} is not an entity reference`);
  return { logicalName: text(value.LogicalName, `${what}.LogicalName`), id: guid(value.Id, `${what}.Id`) };
}

/** RelatedEntities: an array of references, or an object wrapping one. */
function references(value: unknown, what: string): { logicalName: string; id: string }[] {
  const list = Array.isArray(value) ? value : isObject(value) ? Object.values(value).find(Array.isArray) : undefined;
  if (!Array.isArray(list)) throw new PayloadError(`${what} is not a list of entity references`);
  return list.map((item, index) => reference(item, `${what}[${index}]`));
}

/**
 * Decides what to evaluate. `sizeExceeded` (x-ms-dynamics-msg-size-exceeded) means Dataverse
 * removed InputParameters: fall back to the primary entity, and re-read rather than trust anything.
 */
export function planEvent(body: unknown, sizeExceeded: boolean): EventPlan {
  if (!isObject(body)) throw new PayloadError("the body is not a JSON object");
  const message = text(body.MessageName, "MessageName");
  const correlationId = typeof body.CorrelationId === "string" ? body.CorrelationId : "";
  const primaryName = text(body.PrimaryEntityName, "PrimaryEntityName");
  const primaryId = guid(body.PrimaryEntityId, "PrimaryEntityId");
  const ignore = (reason: string): EventPlan => ({ kind: "ignore", message, correlationId, reason });
  const operationCreatedOn = parseWcfDate(body.OperationCreatedOn);
  const evaluate = (userIds: string[], roleIds: string[] = []): EventPlan => ({ kind: "evaluate", message, correlationId, userIds, roleIds, operationCreatedOn });

  if (message === "Update") {
    if (primaryName !== "systemuser") return ignore(`Update of ${primaryName}`);
    if (!sizeExceeded) {
      const target = parameter(body, "Target");
      if (target !== undefined && reference(target, "Target").id !== primaryId) throw new PayloadError("Target.Id differs from PrimaryEntityId");
    }
    return evaluate([primaryId]);
  }

  if (message === "Associate" || message === "Disassociate") {
    if (sizeExceeded) {
      // Without InputParameters the relationship is unknown: re-evaluating the user, or the role's holders, is always safe.
      if (primaryName === "systemuser") return evaluate([primaryId]);
      if (primaryName === "role") return evaluate([], [primaryId]);
      return ignore(`${message} of ${primaryName}`);
    }
    const relationship = parameter(body, "Relationship");
    if (!isObject(relationship)) throw new PayloadError("Relationship is missing");
    const schemaName = text(relationship.SchemaName, "Relationship.SchemaName");
    if (schemaName !== USER_ROLES_RELATIONSHIP) return ignore(`${message} of ${schemaName}`);
    const target = reference(parameter(body, "Target"), "Target");
    const related = references(parameter(body, "RelatedEntities"), "RelatedEntities");
    const all = [target, ...related];
    const userIds = all.filter((entry) => entry.logicalName === "systemuser").map((entry) => entry.id);
    if (userIds.length === 0) throw new PayloadError(`${schemaName} without a systemuser`);
    return evaluate([...new Set(userIds)]);
  }

  return ignore(`message ${message}`);
}
