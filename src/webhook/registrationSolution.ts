import type { HttpDataverseClient } from "../dataverse-node/httpClient";
import { odataString } from "../dataverse/queries";

/** The unmanaged solution that carries the webhook registration when the product's own solution is managed. */
export const WEBHOOK_SOLUTION = "ServiceAccountComplianceWebhook";

export interface RegistrationSolution {
  uniqueName: string;
  /** Why the registration does not go into the solution asked for, in words; absent when it does. */
  note?: string;
}

async function solutionNamed(client: HttpDataverseClient, uniqueName: string) {
  const query = `?$select=solutionid,uniquename,ismanaged,_publisherid_value&$filter=uniquename eq ${odataString(uniqueName)}`;
  return (await client.retrieveMultiple("solution", query)).rows[0];
}

/**
 * Where the webhook endpoint and steps are added. AddSolutionComponent adds to an unmanaged solution
 * only ("AddSolutionComponent Action"), and a managed solution's components cannot be changed in the
 * org. So for a managed `ServiceAccountCompliance` the registration goes into a small unmanaged
 * solution of its own, created once with the same publisher, which an admin can export or delete
 * apart from the product. Rerunning finds it and adds nothing twice.
 */
export async function registrationSolutionFor(client: HttpDataverseClient, uniqueName: string): Promise<RegistrationSolution> {
  const target = await solutionNamed(client, uniqueName);
  if (!target) throw new Error(`The org has no solution ${uniqueName}: import it first (svcacct deploy).`);
  if (target.ismanaged !== true) return { uniqueName };
  const note = `${uniqueName} is managed, so the webhook registration is added to the unmanaged solution ${WEBHOOK_SOLUTION}`;
  const own = await solutionNamed(client, WEBHOOK_SOLUTION);
  if (own) {
    if (own.ismanaged === true)
      throw new Error(`${WEBHOOK_SOLUTION} is installed as a managed solution: the webhook registration cannot be added to it.`);
    return { uniqueName: WEBHOOK_SOLUTION, note: `${note}.` };
  }
  await client.create("solution", {
    uniquename: WEBHOOK_SOLUTION,
    friendlyname: "Service Account Compliance webhook",
    version: "1.0.0.0",
    description: "The webhook endpoint and steps of Service Account Compliance, registered in this org.",
    "publisherid@odata.bind": `/publishers(${String(target._publisherid_value)})`,
  });
  return { uniqueName: WEBHOOK_SOLUTION, note: `${note} (created now).` };
}
