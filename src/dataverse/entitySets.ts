/**
 * Web API entity set names of the tables the product touches. Dataverse does not always add an "s"
 * (EntitySetName in each table's metadata), so they are listed, not derived.
 */
export const ENTITY_SETS: Record<string, string> = {
  systemuser: "systemusers",
  role: "roles",
  businessunit: "businessunits",
  serviceendpoint: "serviceendpoints",
  sdkmessage: "sdkmessages",
  sdkmessagefilter: "sdkmessagefilters",
  sdkmessageprocessingstep: "sdkmessageprocessingsteps",
  solution: "solutions",
  importjob: "importjobs",
  systemuserroles: "systemuserrolescollection",
  team: "teams",
  privilege: "privileges",
  workflow: "workflows",
  connectionreference: "connectionreferences",
  audit: "audits",
};

export function entitySetOf(entityLogicalName: string): string {
  const set = ENTITY_SETS[entityLogicalName];
  if (!set) throw new Error(`No entity set known for table ${entityLogicalName}`);
  return set;
}
