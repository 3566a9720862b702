import type { AppCredential, AppRegistration, EntraFact } from "../core/snapshot";
import { text } from "../dataverse/snapshotRows";
import { allRows, problemOf } from "./graphBatches";
import { PERMISSION } from "./entraRequests";
import type { GraphClient, GraphResponse } from "./graphClient";

/** The four answers about one application id: its app registration, owners, federated credentials and service principal. */
export interface AppResponses {
  application?: GraphResponse;
  owners?: GraphResponse;
  federated?: GraphResponse;
  servicePrincipal?: GraphResponse;
}

/**
 * Client secrets (`passwordCredentials`) and the certificates an app signs in with (`keyCredentials`
 * whose usage is Verify; Sign keys sign tokens, they are not sign-in credentials), as the
 * application resource type documents them.
 */
function credentialsOf(body: Record<string, unknown>): AppCredential[] {
  const rows = (value: unknown) => (Array.isArray(value) ? (value as Record<string, unknown>[]) : []);
  const secrets = rows(body.passwordCredentials).map((row) => ({
    type: "secret" as const,
    name: text(row.displayName),
    startsOn: text(row.startDateTime),
    endsOn: text(row.endDateTime),
  }));
  const certificates = rows(body.keyCredentials)
    .filter((row) => typeof row.usage !== "string" || row.usage.toLowerCase() === "verify")
    .map((row) => ({
      type: "certificate" as const,
      name: text(row.displayName),
      startsOn: text(row.startDateTime),
      endsOn: text(row.endDateTime),
    }));
  return [...secrets, ...certificates];
}

/**
 * What stands behind an application user's application id: a managed identity (a service principal
 * of type ManagedIdentity, no app registration), an app registered in another tenant (a service
 * principal here, no app registration), or this tenant's app registration with its credentials and
 * owners. Each fault is said in words, with Graph's code.
 */
export async function appRegistrationOf(client: GraphClient, appId: string, answers: AppResponses): Promise<EntraFact<AppRegistration>> {
  const what = "the app registration";
  const { application, servicePrincipal } = answers;
  if (servicePrincipal?.status === 200 && servicePrincipal.body?.servicePrincipalType === "ManagedIdentity")
    return { value: { kind: "managed-identity" } };
  if (application?.status === 404) {
    if (servicePrincipal?.status === 200) return { value: { kind: "other-tenant" } };
    return {
      problem: problemOf(
        servicePrincipal?.status === 404 ? application : servicePrincipal,
        PERMISSION.applications,
        what,
        `Microsoft Entra ID has no app registration or service principal with the application id ${appId}: the application user cannot sign in (was the app deleted?)`,
      ),
    };
  }
  if (application?.status !== 200 || !application.body) return { problem: problemOf(application, PERMISSION.applications, what) };
  const owners = await allRows(client, answers.owners);
  if (!("rows" in owners))
    return { problem: owners.error ?? problemOf(owners.failed, PERMISSION.applications, "the app registration's owners") };
  const federated = await allRows(client, answers.federated);
  if (!("rows" in federated))
    return {
      problem: federated.error ?? problemOf(federated.failed, PERMISSION.applications, "the app registration's federated credentials"),
    };
  return {
    value: {
      kind: "registered",
      credentials: credentialsOf(application.body),
      federatedCredentialCount: federated.rows.length,
      ownerCount: owners.rows.length,
    },
  };
}
