import { classifyAccount } from "../core/accountKind";
import type { EntraAppFacts, EntraFacts, UserRecord, UserSnapshot } from "../core/snapshot";
import { unreadable, type EntraReadout, type EntraSubjects } from "./entraReader";

/** Reads the Entra facts of users by object id and of application users by app id (Microsoft Graph, in batches); never throws for one subject's fault. */
export type EntraSource = (subjects: EntraSubjects) => Promise<EntraReadout>;

export const NOTHING_READ: EntraReadout = { users: new Map(), applications: new Map() };

/** Built-in users are not Entra identities Graph can tell about: no facts, no requests. */
function subjectOf(user: UserRecord): { user: string } | { application: string } | null {
  const kind = classifyAccount(user);
  if (kind === "user" && user.entraObjectId) return { user: user.entraObjectId.toLowerCase() };
  if (kind === "application" && user.applicationId) return { application: user.applicationId.toLowerCase() };
  return null;
}

/** The facts of these users, read in one go (the source batches them). */
export async function readEntraFor(source: EntraSource, users: UserRecord[]): Promise<EntraReadout> {
  const subjects: EntraSubjects = { users: [], applications: [] };
  for (const user of users) {
    const subject = subjectOf(user);
    if (subject && "user" in subject) subjects.users.push(subject.user);
    if (subject && "application" in subject) subjects.applications.push(subject.application);
  }
  return subjects.users.length || subjects.applications.length ? source(subjects) : NOTHING_READ;
}

/** One user's facts from what was read; an Entra user without an object id gets that said, in words. */
export function entraFactsOf(user: UserRecord, read: EntraReadout): { entra?: EntraFacts; entraApp?: EntraAppFacts } {
  const kind = classifyAccount(user);
  if (kind === "application") {
    const entraApp = user.applicationId ? read.applications.get(user.applicationId.toLowerCase()) : undefined;
    return entraApp ? { entraApp } : {};
  }
  if (kind !== "user") return {};
  const objectId = user.entraObjectId?.toLowerCase();
  const entra = objectId ? read.users.get(objectId) : unreadable("Dataverse has no Microsoft Entra object id for this user");
  return entra ? { entra } : {};
}

/** The snapshots with their Entra facts, for the audit. */
export async function withEntraFacts(snapshots: UserSnapshot[], source: EntraSource): Promise<UserSnapshot[]> {
  const read = await readEntraFor(
    source,
    snapshots.map((snapshot) => snapshot.user),
  );
  return snapshots.map((snapshot) => ({ ...snapshot, ...entraFactsOf(snapshot.user, read) }));
}
