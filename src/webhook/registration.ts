import type { HttpDataverseClient } from "../dataverse-node/httpClient";
import { odataString } from "../dataverse/queries";
import { element, serializeXml } from "../solution/xml";
import { FILTERING_ATTRIBUTES } from "./executionContext";

/** serviceendpoint.authtype ("Register a webhook"). */
const AUTH_TYPE = { code: 4, header: 5 } as const;
/** Solution component types (componenttype choice). */
const SERVICE_ENDPOINT_COMPONENT = 95;
const STEP_COMPONENT = 92;
export const ENDPOINT_NAME = "Service Account Compliance webhook";

export interface RegistrationOptions {
  /** The public URL of POST /dataverse/events. */
  endpointUrl: string;
  secret: string;
  auth: "header" | "code";
  header: string;
  solutionUniqueName: string;
}

export interface RegistrationResult {
  endpoint: { id: string; action: "created" | "updated" };
  steps: { name: string; id: string; action: "created" | "updated" }[];
}

/**
 * The steps and the `sdkmessagefilter` each binds (its `primaryobjecttypecode`): Create and Update of
 * systemuser have a filter per table; Associate and Disassociate have one whose primary entity is
 * `none`, which is what the Plug-in Registration Tool binds (sdkmessagefilter table reference,
 * https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/sdkmessagefilter),
 * so they carry every relationship: a user's roles, a team's members and a team's roles. AddMembersTeam
 * and RemoveMembersTeam (the RequestName of AddMembersTeamRequest and RemoveMembersTeamRequest) are
 * filtered on team (team table reference: both are events).
 */
export const WEBHOOK_STEPS = [
  { message: "Create", name: "Service Account Compliance: Create of systemuser", table: "systemuser", attributes: null },
  { message: "Update", name: "Service Account Compliance: Update of systemuser", table: "systemuser", attributes: FILTERING_ATTRIBUTES },
  { message: "Associate", name: "Service Account Compliance: Associate", table: "none", attributes: null },
  { message: "Disassociate", name: "Service Account Compliance: Disassociate", table: "none", attributes: null },
  { message: "AddMembersTeam", name: "Service Account Compliance: AddMembersTeam", table: "team", attributes: null },
  { message: "RemoveMembersTeam", name: "Service Account Compliance: RemoveMembersTeam", table: "team", attributes: null },
] as const;

/** The endpoint's authvalue: `<settings><setting name value/></settings>` for a header, the key itself for `?code=`. */
function authValue(options: RegistrationOptions): string {
  if (options.auth === "code") return options.secret;
  const settings = element("settings", {}, [element("setting", { name: options.header, value: options.secret })]);
  return serializeXml({ declaration: null, root: settings }).trim();
}

async function upsert(
  client: HttpDataverseClient,
  table: string,
  filter: string,
  row: Record<string, unknown>,
): Promise<{ id: string; action: "created" | "updated" }> {
  const key = `${table}id`;
  const existing = (await client.retrieveMultiple(table, `?$select=${key}&$filter=${filter}`)).rows[0];
  if (existing) {
    await client.update(table, String(existing[key]), row);
    return { id: String(existing[key]), action: "updated" };
  }
  return { id: await client.create(table, row), action: "created" };
}

/**
 * Creates or updates, idempotently, the webhook endpoint (contract 8, JSON) and its asynchronous
 * post-operation steps (WEBHOOK_STEPS), and adds them to the solution. The secret goes to the
 * endpoint only: it is never written to a file or a log.
 */
export async function registerWebhook(client: HttpDataverseClient, options: RegistrationOptions): Promise<RegistrationResult> {
  const endpoint = await upsert(client, "serviceendpoint", `name eq ${odataString(ENDPOINT_NAME)}`, {
    name: ENDPOINT_NAME,
    description: "Keeps the compliance badge of users current (Service Account Compliance).",
    url: options.endpointUrl,
    contract: 8,
    connectionmode: 1,
    messageformat: 2,
    authtype: AUTH_TYPE[options.auth],
    authvalue: authValue(options),
  });

  const messages = await client.retrieveMultiple(
    "sdkmessage",
    `?$select=sdkmessageid,name&$filter=${WEBHOOK_STEPS.map((step) => `name eq '${step.message}'`).join(" or ")}`,
  );
  const messageId = (name: string) => {
    const found = messages.rows.find((row) => row.name === name);
    if (!found) throw new Error(`The org has no ${name} message.`);
    return String(found.sdkmessageid);
  };
  /**
   * The message's filter for the table, where plug-in steps may be registered ("Event framework":
   * iscustomprocessingstepallowed); an Associate or Disassociate without a `none` filter is bound to none at all.
   */
  const filterOf = async (step: (typeof WEBHOOK_STEPS)[number]) => {
    const filter = (
      await client.retrieveMultiple(
        "sdkmessagefilter",
        `?$select=sdkmessagefilterid&$filter=_sdkmessageid_value eq ${messageId(step.message)} and primaryobjecttypecode eq '${step.table}' and iscustomprocessingstepallowed eq true`,
      )
    ).rows[0];
    if (!filter && step.table !== "none")
      throw new Error(`The org has no ${step.message} message filter for ${step.table} that takes plug-in steps.`);
    return filter ? String(filter.sdkmessagefilterid) : null;
  };

  const steps = [];
  for (const step of WEBHOOK_STEPS) {
    const filterId = await filterOf(step);
    const result = await upsert(client, "sdkmessageprocessingstep", `name eq ${odataString(step.name)}`, {
      name: step.name,
      description: "Evaluates the user with the Service Account Compliance policy and stamps the badge.",
      stage: 40,
      mode: 1,
      rank: 1,
      supporteddeployment: 0,
      asyncautodelete: true,
      ...(step.attributes ? { filteringattributes: step.attributes.join(",") } : {}),
      ...(filterId ? { "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${filterId})` } : {}),
      "sdkmessageid@odata.bind": `/sdkmessages(${messageId(step.message)})`,
      "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${endpoint.id})`,
    });
    steps.push({ name: step.name, ...result });
  }

  for (const [id, type] of [
    [endpoint.id, SERVICE_ENDPOINT_COMPONENT],
    ...steps.map((step) => [step.id, STEP_COMPONENT] as const),
  ] as const) {
    await client.json("POST", "AddSolutionComponent", {
      ComponentId: id,
      ComponentType: type,
      SolutionUniqueName: options.solutionUniqueName,
      AddRequiredComponents: false,
    });
  }
  return { endpoint, steps };
}
