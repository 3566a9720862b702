/**
 * The RemoteExecutionContext Dataverse posts ("Use webhooks…"): which users an event touches.
 * Parsing is defensive and tolerant: optional parts may be missing; only a body that cannot be
 * Dataverse's is a PayloadError with the reason, never a crash.
 */
import { FIELDS_THE_RULES_READ } from "../core/snapshot";
import { TEAM_MEMBERSHIP_RELATIONSHIP, TEAM_ROLES_RELATIONSHIP, USER_ROLES_RELATIONSHIP } from "../dataverse/queries";
import { USER_FIELD_COLUMNS } from "../dataverse/snapshotRows";

export class PayloadError extends Error {}

/**
 * The columns the Update step filters on: the ones the rules read, except the id, which no update
 * changes. A business unit move is an Update of businessunitid ("Special update operation behavior":
 * owner fields such as a user's business unit raise their own Update).
 */
export const FILTERING_ATTRIBUTES = FIELDS_THE_RULES_READ.map((field) => USER_FIELD_COLUMNS[field]).filter(
  (column): column is string => column !== null && column !== "systemuserid",
);

export type EventPlan =
  | {
      kind: "evaluate";
      message: string;
      correlationId: string;
      userIds: string[];
      /** Roles whose holders are evaluated too. */
      roleIds: string[];
      /** Teams whose members are evaluated too (a role given to or taken from the team, members added). */
      teamIds: string[];
      /** The event is ours but does not say whom it touches: evaluate every service account. */
      everyServiceAccount: boolean;
      /** Why the plan is wider than the event's users, when it is. */
      reason?: string;
    }
  | { kind: "ignore"; message: string; correlationId: string; reason: string };

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;
/** What Dataverse puts in an Id it does not know, e.g. a Target given by alternate key (KeyAttributes). */
const EMPTY_GUID = "00000000-0000-0000-0000-000000000000";

type Json = Record<string, unknown>;
type Reference = { logicalName: string | undefined; id: string | undefined };

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A GUID, or undefined when absent or empty (all zeros); a malformed one means the body is not Dataverse's. */
function optionalGuid(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const match = typeof value === "string" ? GUID.exec(value) : null;
  if (!match) throw new PayloadError(`${what} is not a GUID`);
  const id = match[1].toLowerCase();
  return id === EMPTY_GUID ? undefined : id;
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw new PayloadError(`${what} is missing or not text`);
  return value;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** InputParameters and OutputParameters are arrays of {key, value}. */
function parameter(context: Json, list: "InputParameters" | "OutputParameters", key: string): unknown {
  const parameters = context[list];
  if (parameters === undefined || parameters === null) return undefined;
  if (!Array.isArray(parameters)) throw new PayloadError(`${list} is not an array`);
  const found = parameters.find((entry): entry is Json => isObject(entry) && entry.key === key);
  return found?.value;
}

/** An EntityReference or Entity: {LogicalName, Id}; either part may be missing (an alternate key has no Id). */
function reference(value: unknown, what: string): Reference | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new PayloadError(`${what} is not an entity reference`);
  return { logicalName: optionalText(value.LogicalName), id: optionalGuid(value.Id, `${what}.Id`) };
}

/** RelatedEntities: an array of references, or an object wrapping one. */
function references(value: unknown, what: string): Reference[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : isObject(value) ? Object.values(value).find(Array.isArray) : undefined;
  if (!Array.isArray(list)) throw new PayloadError(`${what} is not a list of entity references`);
  return list.map((item, index) => reference(item, `${what}[${index}]`)).filter((item): item is Reference => item !== undefined);
}

/** The relationships whose changes change what a user holds: direct roles, team membership, team roles. */
const WATCHED_RELATIONSHIPS = [USER_ROLES_RELATIONSHIP, TEAM_MEMBERSHIP_RELATIONSHIP, TEAM_ROLES_RELATIONSHIP];

/** An array of GUIDs (MemberIds); absent is none. */
function guidList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PayloadError(`${what} is not a list`);
  return [...new Set(value.map((item, index) => optionalGuid(item, `${what}[${index}]`)).filter((id): id is string => id !== undefined))];
}

const idsOf = (refs: Reference[], logicalName: string) => [
  ...new Set(refs.filter((ref) => ref.logicalName === logicalName && ref.id).map((ref) => ref.id!)),
];

/**
 * Decides what to evaluate. Only a body that cannot be Dataverse's (not an object, no MessageName, a
 * malformed GUID or parameter list) is a PayloadError: a 4xx is never retried, so an event that may be
 * ours is worked out from whatever it carries (Target, RelatedEntities, PrimaryEntityId), and when it
 * says nothing usable every service account is evaluated. `sizeExceeded`
 * (x-ms-dynamics-msg-size-exceeded) means Dataverse removed InputParameters.
 */
export function planEvent(body: unknown, sizeExceeded: boolean): EventPlan {
  if (!isObject(body)) throw new PayloadError("the body is not a JSON object");
  const message = text(body.MessageName, "MessageName");
  const correlationId = typeof body.CorrelationId === "string" ? body.CorrelationId : "";
  const primaryName = optionalText(body.PrimaryEntityName);
  const primaryId = optionalGuid(body.PrimaryEntityId, "PrimaryEntityId");
  const ignore = (reason: string): EventPlan => ({ kind: "ignore", message, correlationId, reason });
  const evaluate = (userIds: string[], roleIds: string[] = [], teamIds: string[] = []): EventPlan => ({
    kind: "evaluate",
    message,
    correlationId,
    userIds,
    roleIds,
    teamIds,
    everyServiceAccount: false,
  });
  const everyone = (reason: string): EventPlan => ({
    kind: "evaluate",
    message,
    correlationId,
    userIds: [],
    roleIds: [],
    teamIds: [],
    everyServiceAccount: true,
    reason,
  });
  const inputs = sizeExceeded ? {} : body;

  if (message === "Update" || message === "Create") {
    const target = reference(parameter(inputs, "InputParameters", "Target"), "Target");
    const table = primaryName ?? target?.logicalName;
    if (table !== undefined && table !== "systemuser") return ignore(`${message} of ${table}`);
    const created = message === "Create" ? optionalGuid(parameter(inputs, "OutputParameters", "id"), "OutputParameters id") : undefined;
    const ids = [...new Set([primaryId, target?.id, created].filter((id): id is string => id !== undefined))];
    return ids.length ? evaluate(ids) : everyone(`${message} of a systemuser the event does not identify`);
  }

  if (message === "Associate" || message === "Disassociate") {
    const relationship = parameter(inputs, "InputParameters", "Relationship");
    const schemaName = isObject(relationship) ? optionalText(relationship.SchemaName) : undefined;
    if (schemaName !== undefined && !WATCHED_RELATIONSHIPS.includes(schemaName)) return ignore(`${message} of ${schemaName}`);
    const target = reference(parameter(inputs, "InputParameters", "Target"), "Target");
    const all = [...(target ? [target] : []), ...references(parameter(inputs, "InputParameters", "RelatedEntities"), "RelatedEntities")];
    // PrimaryEntityName names the Target's table when Dataverse says it; it may be absent or `none`,
    // and idsOf keeps only rows of the table asked for, with an id.
    all.push({ logicalName: primaryName, id: primaryId });
    const userIds = idsOf(all, "systemuser");
    const roleIds = idsOf(all, "role");
    const teamIds = idsOf(all, "team");
    // Whoever the event names is evaluated. A Disassociate takes users out of a role's holders or a
    // team's members: only their own ids name them then.
    if (userIds.length) return evaluate(userIds);
    // A team's roles changed: its members, who stay members, hold more or less.
    if (teamIds.length && schemaName === TEAM_ROLES_RELATIONSHIP) return evaluate([], [], teamIds);
    if (message === "Associate" && teamIds.length && schemaName === TEAM_MEMBERSHIP_RELATIONSHIP) return evaluate([], [], teamIds);
    if (message === "Associate" && roleIds.length && schemaName !== TEAM_ROLES_RELATIONSHIP) return evaluate([], roleIds);
    return everyone(`${message} whose users the event does not identify`);
  }

  if (message === "AddMembersTeam" || message === "RemoveMembersTeam") {
    // AddMembersTeamRequest and RemoveMembersTeamRequest carry TeamId and MemberIds.
    const teamId =
      optionalGuid(parameter(inputs, "InputParameters", "TeamId"), "TeamId") ?? (primaryName === "team" ? primaryId : undefined);
    const memberIds = guidList(parameter(inputs, "InputParameters", "MemberIds"), "MemberIds");
    if (memberIds.length) return evaluate(memberIds);
    if (message === "AddMembersTeam" && teamId) return evaluate([], [], [teamId]);
    return everyone(`${message} whose users the event does not identify`);
  }

  return ignore(`message ${message}`);
}
