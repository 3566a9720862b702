import { classifyAccount } from "../core/accountKind";
import type { EntraFacts, UserRecord, UserSnapshot } from "../core/snapshot";
import { unreadable } from "./entraReader";

/** Reads the Entra facts of users by object id (Microsoft Graph, in batches); never throws for a user's fault. */
export type EntraSource = (objectIds: string[]) => Promise<Map<string, EntraFacts>>;

const NO_OBJECT_ID = unreadable("Dataverse has no Microsoft Entra object id for this user");

/** Built-in and application users are not Entra users Graph can tell about: no facts, no requests. */
function isEntraUser(user: UserRecord): boolean {
  return classifyAccount(user) === "user";
}

/** The facts of these users, read in one go (the source batches them), keyed by lower-case object id. */
export async function readEntraFor(source: EntraSource, users: UserRecord[]): Promise<Map<string, EntraFacts>> {
  const objectIds = users.filter((user) => isEntraUser(user) && user.entraObjectId).map((user) => user.entraObjectId!.toLowerCase());
  return objectIds.length ? source(objectIds) : new Map();
}

/** One user's facts from what was read; a user without an object id gets that said, in words. */
export function entraFactsOf(user: UserRecord, facts: Map<string, EntraFacts>): EntraFacts | undefined {
  if (!isEntraUser(user)) return undefined;
  const objectId = user.entraObjectId?.toLowerCase();
  return objectId ? facts.get(objectId) : NO_OBJECT_ID;
}

/** The snapshots with their Entra facts, for the audit. */
export async function withEntraFacts(snapshots: UserSnapshot[], source: EntraSource): Promise<UserSnapshot[]> {
  const facts = await readEntraFor(
    source,
    snapshots.map((snapshot) => snapshot.user),
  );
  return snapshots.map((snapshot) => ({ ...snapshot, entra: entraFactsOf(snapshot.user, facts) }));
}
