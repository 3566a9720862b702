import { claimsOf } from "./bearerTokens";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { delayOrDrop, type Fault } from "./faults";
import type { Tenant, TenantEnvironment } from "./tenant";

/** Where the emulator serves the admin API: `<origin>/powerplatform` stands for https://api.bap.microsoft.com. */
export const ADMIN_BASE_PATH = "/powerplatform";
/** "List environments" (Learn, power-platform/admin/list-environments): every environment of the tenant, as an admin. */
export const ENVIRONMENTS_PATH = "/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments";
export const ADMIN_API_VERSION = "2020-10-01";

/**
 * The audiences a token for the admin API carries: the Power Apps Service ("Authentication (legacy)"
 * asks for https://service.powerapps.com//.default) or api.bap.microsoft.com itself (the resource the
 * PnP CLI's Power Platform commands request).
 */
const AUDIENCES = new Set(["https://service.powerapps.com", "https://api.bap.microsoft.com"]);

/** Who calls: a user (a delegated token, one with `scp`) or an application (an app-only token). */
type AdminCaller = { user: string } | { app: string; servicePrincipal: string };

/** The caller a request's token names, or the 401 a token the admin API cannot take gets (unsigned: the claims only are read). */
function callerOf(request: FastifyRequest, tenant: Tenant, now = Date.now()): AdminCaller | { code: string; message: string } {
  const authorization = request.headers.authorization;
  // No token is the emulator's loopback convention: the tenant's default admin.
  if (!authorization) return { user: tenant.defaultCallerObjectId };
  const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(authorization)?.[1];
  const claims = token ? claimsOf(token) : null;
  if (!claims) return { code: "InvalidAuthenticationToken", message: "The access token is invalid." };
  const audience = typeof claims.aud === "string" ? claims.aud.replace(/\/+$/, "") : "";
  if (!AUDIENCES.has(audience))
    return {
      code: "InvalidAuthenticationTokenAudience",
      message: `The access token has been obtained for wrong audience or resource '${String(claims.aud)}'.`,
    };
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= now)
    return { code: "ExpiredAuthenticationToken", message: "The access token expiry UTC time is earlier than current UTC time." };
  const oid = typeof claims.oid === "string" ? claims.oid : "";
  // A delegated token carries the user's scopes in `scp`, an app-only token none ("Access token claims reference").
  if (typeof claims.scp === "string") return { user: oid };
  const app = typeof claims.appid === "string" ? claims.appid : typeof claims.azp === "string" ? claims.azp : "";
  return { app, servicePrincipal: oid };
}

const json = (reply: FastifyReply) => reply.header("content-type", "application/json; charset=utf-8");

/** An environment as "List environments" shows it; `linkedEnvironmentMetadata` only where there is a Dataverse. */
function environmentResource(environment: TenantEnvironment, tenant: Tenant, origin: string): Record<string, unknown> {
  const { name, displayName, organizationId, instancePath } = environment;
  return {
    id: `${ENVIRONMENTS_PATH}/${name}`,
    type: "Microsoft.BusinessAppPlatform/scopes/environments",
    location: "unitedstates",
    name,
    properties: {
      tenantId: tenant.id,
      azureRegion: "westus",
      displayName,
      description: "",
      createdTime: "2024-01-15T09:00:00.0000000Z",
      createdBy: environment.isDefault
        ? { id: "SYSTEM", displayName: "SYSTEM", type: "NotSpecified" }
        : { id: tenant.defaultCallerObjectId, type: "User", tenantId: tenant.id },
      provisioningState: "Succeeded",
      creationType: environment.isDefault ? "DefaultTenant" : environment.sku === "Developer" ? "Developer" : "User",
      environmentSku: environment.sku,
      isDefault: environment.isDefault,
      clientUris: {
        admin: `https://admin.powerplatform.microsoft.com/environments/environment/${name}/hub`,
        maker: `https://make.powerapps.com/environments/${name}/home`,
      },
      // An environment without Dataverse has no linked metadata (microsoft/terraform-provider-power-platform's recorded answer).
      ...(instancePath
        ? {
            databaseType: "CommonDataService",
            linkedEnvironmentMetadata: {
              resourceId: organizationId,
              friendlyName: displayName,
              uniqueName: `unq${organizationId.replace(/-/g, "").slice(0, 29)}`,
              domainName: `org${organizationId.slice(0, 8)}`,
              version: "9.2.24101.00000",
              instanceUrl: `${origin}${instancePath}/`,
              instanceApiUrl: `${origin}${instancePath}`,
              baseLanguage: 1033,
              instanceState: "Ready",
              createdTime: "2024-01-15T09:00:10.000Z",
              backgroundOperationsState: "Enabled",
              platformSku: "Standard",
            },
          }
        : { databaseType: "" }),
      states: { management: { id: "Ready" }, runtime: { id: "Enabled" } },
      updateCadence: { id: "Frequent" },
      retentionPeriod: "P7D",
      connectedGroups: [],
    },
  };
}

/**
 * The Power Platform admin API's "List environments" under ADMIN_BASE_PATH (docs/tenant-emulator.md):
 * a Power Platform or Global administrator, or a registered management application, sees every
 * environment; another user only those they administer (Get-AdminPowerAppEnvironment); an application
 * that is not registered is refused 403. Pages follow `nextLink`. /_emulator/faults under the base
 * path injects faults, e.g. 429 with Retry-After.
 */
export function registerAdminApi(
  app: FastifyInstance,
  tenant: Tenant,
  isEnvironmentAdmin: (environment: TenantEnvironment, objectId: string) => boolean,
): void {
  void app.register(
    (scope, _options, done) => {
      const served = new WeakMap<FastifyRequest, Tenant["requests"][number]>();
      scope.addHook("onRequest", async (request, reply) => {
        if (request.url.startsWith(`${ADMIN_BASE_PATH}/_emulator/`)) return;
        const record = { method: request.method, url: request.url.slice(ADMIN_BASE_PATH.length) };
        tenant.requests.push(record);
        served.set(request, record);
        const fault = tenant.faults.take(request.method, request.url.slice(ADMIN_BASE_PATH.length).split("?")[0]);
        if (!fault) return;
        if (await delayOrDrop(fault, request, reply)) return;
        if (!fault.status) return;
        if (fault.retryAfter !== undefined) void reply.header("Retry-After", String(fault.retryAfter));
        return json(reply)
          .code(fault.status)
          .send({
            error: {
              code: fault.code ?? (fault.status === 429 ? "TooManyRequests" : "InjectedFault"),
              message: fault.message ?? `Injected fault ${fault.status}`,
            },
          });
      });

      scope.get<{ Querystring: Record<string, string | undefined> }>(ENVIRONMENTS_PATH, (request, reply) => {
        const caller = callerOf(request, tenant);
        if ("code" in caller)
          return json(reply)
            .code(401)
            .header("WWW-Authenticate", 'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"')
            .send({ error: caller });
        served.get(request)!.caller = "user" in caller ? caller.user : caller.app;
        const version = request.query["api-version"];
        if (!version)
          return json(reply)
            .code(400)
            .send({
              error: {
                code: "MissingApiVersionParameter",
                message: "The api-version query parameter (?api-version=) is required for all requests.",
              },
            });
        if (version !== ADMIN_API_VERSION)
          return json(reply)
            .code(400)
            .send({
              error: {
                code: "InvalidApiVersionParameter",
                message: `The api-version '${version}' is invalid. The supported versions are '${ADMIN_API_VERSION}'.`,
              },
            });
        const origin = `${request.protocol}://${request.host}`;
        if ("app" in caller && !tenant.managementApps.has(caller.app))
          // As MicrosoftDocs/power-platform#1260 shows BAP refusing an application it does not know.
          return json(reply)
            .code(403)
            .send({
              error: {
                code: "Forbidden",
                message: `The service principal with id '${caller.servicePrincipal}' for application ${caller.app} does not have permission to access the path '${origin}${request.url}' in tenant ${tenant.id}.`,
              },
            });
        const visible =
          "app" in caller || tenant.admins.has(caller.user)
            ? tenant.environments
            : tenant.environments.filter((environment) => isEnvironmentAdmin(environment, caller.user));
        const skip = Number(request.query.$skiptoken ?? 0);
        if (!Number.isInteger(skip) || skip < 0)
          return json(reply)
            .code(400)
            .send({ error: { code: "InvalidSkipToken", message: `The skip token '${request.query.$skiptoken}' is invalid.` } });
        const page = visible.slice(skip, skip + tenant.pageSize);
        const next = new URLSearchParams(request.query as Record<string, string>);
        next.set("$skiptoken", String(skip + tenant.pageSize));
        return json(reply).send({
          value: page.map((environment) => environmentResource(environment, tenant, origin)),
          ...(skip + tenant.pageSize < visible.length
            ? { nextLink: `${origin}${ADMIN_BASE_PATH}${ENVIRONMENTS_PATH}?${next.toString()}` }
            : {}),
        });
      });

      scope.get("/_emulator/faults", (_request, reply) => reply.send(tenant.faults.list()));
      scope.post<{ Body: Fault }>("/_emulator/faults", (request, reply) => {
        tenant.faults.add(request.body);
        return reply.code(201).send(tenant.faults.list());
      });
      scope.delete("/_emulator/faults", (_request, reply) => {
        tenant.faults.clear();
        return reply.send([]);
      });
      done();
    },
    { prefix: ADMIN_BASE_PATH },
  );
}
