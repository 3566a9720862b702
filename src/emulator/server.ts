import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { callerOfToken } from "./bearerTokens";
import { DataverseFault, notFound } from "./dataverseErrors";
import { DataverseService, type CollectionQuery } from "./dataverseService";
import { delayOrDrop, FaultPlan, type Fault } from "./faults";
import { collectionTarget, entityBySetName, SYSTEMUSER, TEAM, TEAM_MEMBERS } from "./metadata";
import { parsePrefer } from "./odataQuery";
import { OrgStore, type OrgData } from "./store";
import { importSolution } from "./solutionImport";
import { WebhookDispatcher } from "./webhookDispatcher";
import { entraTenantOf, registerGraphEmulator, type GraphEmulator } from "./graphEmulator";
import { describeShape, documentedRowFor, isDocumentedResource, shapeOf, type RequestShape } from "./requestShapes";

export const API_PATH = "/api/data/v9.2/";
/** The solution-aware tables whose drafts RetrieveUnpublishedMultiple reads (each table reference lists the message). */
export const UNPUBLISHED_TABLES = ["appmodule", "sitemap", "systemform", "savedquery", "savedqueryvisualization", "webresource"];
/** Which user a request acts as; absent means the organization's default caller (an admin). */
export const CALLER_HEADER = "x-svcacct-emulator-caller";

export interface EmulatorOptions {
  /** Builds a fresh organization: at start and on POST /_emulator/reset. */
  seed: () => OrgData;
  /** The user requests act as when they do not say (CALLER_HEADER). */
  defaultCallerId: string;
  /** Pause between an import's progress steps, so progress can be watched (ms; default 250). */
  importStepMs?: number;
  /**
   * Where the org is served: the root (default) or a prefix such as `/env/<name>`, so that several
   * orgs of a tenant share one server, each at its own instance URL (tenant.ts).
   */
  basePath?: string;
  /** The tenant's Microsoft Graph when another org already serves it; otherwise this org serves its own at /graph/v1.0/. */
  graph?: GraphEmulator;
}

export interface Emulator {
  readonly store: OrgStore;
  readonly faults: FaultPlan;
  /** Every Web API request served, for tests and benchmarks that count requests; `caller` when a bearer token named one. */
  readonly requests: { method: string; path: string; caller?: string }[];
  /** Webhook deliveries of the registered steps. */
  readonly webhooks: WebhookDispatcher;
  /** Every distinct request shape sent since start, documented or not (kept across resets), by description. */
  readonly shapes: Map<string, RequestShape>;
  /** Microsoft Graph for the org's tenant, under /graph/v1.0/. */
  readonly graph: GraphEmulator;
  reset(): void;
}

// Entity keys like systemusers(<guid>) as one path segment; find-my-way needs the parentheses as \x28 \x29.
const KEY = ":key(^[A-Za-z_]+\\x28[0-9A-Za-z{}-]*\\x29$)";
const NAV_KEY = ":navKey(^[A-Za-z_]+\\x28[0-9A-Za-z{}-]*\\x29$)";

function parseKey(key: string): { name: string; id: string } {
  const match = /^([A-Za-z_]+)\(\{?([0-9A-Za-z-]*)\}?\)$/.exec(key);
  if (!match) throw new DataverseFault(400, "0x80060888", `Malformed key '${key}'.`);
  return { name: match[1], id: match[2] };
}

/**
 * Dataverse takes a GET's URL up to 32 KB (32,768 characters; longer queries go in a $batch body, "Use
 * FetchXml to query data", https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/retrieve-data).
 * Node's HTTP server stops at 16 KB of headers by default, so an emulator's server takes these options
 * to accept what Dataverse accepts; the emulator then refuses longer URLs itself.
 */
export const MAX_URL_LENGTH = 32_768;
export const EMULATOR_SERVER_OPTIONS = { bodyLimit: 64 * 1024 * 1024, http: { maxHeaderSize: 64 * 1024 } } as const;

/**
 * Serves the Dataverse Web API subset the product uses under /api/data/v9.2/, plus /_emulator/
 * controls (reset, fault injection) for tests and the harness.
 */
export function registerEmulator(app: FastifyInstance, options: EmulatorOptions): Emulator {
  // Seeded on first use, so a tenant of many orgs builds only those its callers reach.
  let seeded: OrgStore | undefined;
  const state = {
    get store() {
      return (seeded ??= new OrgStore(options.seed()));
    },
  };
  const faults = new FaultPlan();
  const requests: Emulator["requests"] = [];
  const shapes: Emulator["shapes"] = new Map();
  const webhooks = new WebhookDispatcher(() => state.store);
  const graph = options.graph ?? registerGraphEmulator(app, () => entraTenantOf(options.seed()));
  const emulator: Emulator = {
    get store() {
      return state.store;
    },
    faults,
    requests,
    webhooks,
    shapes,
    graph,
    reset() {
      seeded = undefined;
      // A shared Graph belongs to the org that serves it.
      if (!options.graph) graph.reset();
      webhooks.jobs.length = 0;
      faults.clear();
      requests.length = 0;
    },
  };

  const basePath = options.basePath ?? "";
  const apiPath = `${basePath}${API_PATH}`;
  const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}${apiPath}`;
  /** The absolute @odata.nextLink: the same path and query with the next $skiptoken. */
  const nextLinkFor = (request: FastifyRequest, path: string) => (skiptoken: string) => {
    const query = new URLSearchParams(request.query as Record<string, string>);
    query.set("$skiptoken", skiptoken);
    return `${baseUrl(request)}${path}?${query.toString()}`;
  };
  /** Callers named by the bearer tokens of requests in flight (bearerTokens.ts). */
  const tokenCallers = new WeakMap<FastifyRequest, string>();
  const callerOf = (request: FastifyRequest) => {
    const byToken = tokenCallers.get(request);
    if (byToken) return byToken;
    const header = request.headers[CALLER_HEADER];
    return typeof header === "string" && header ? header : options.defaultCallerId;
  };
  const service = (request: FastifyRequest) => new DataverseService(state.store, callerOf(request), baseUrl(request));
  const organizationUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}${basePath}`;

  // Under a prefix the org's hooks and error handler are its own (Fastify encapsulation), so orgs side by side never mix.
  if (basePath)
    void app.register(
      (scope, _options, done) => {
        mount(scope);
        done();
      },
      { prefix: basePath },
    );
  else mount(app);
  return emulator;

  function mount(app: FastifyInstance): void {
    app.addHook("onRequest", async (request, reply) => {
      if (!request.url.startsWith(apiPath)) return;
      const path = request.url.slice(apiPath.length);
      if (request.url.length > MAX_URL_LENGTH)
        // Refused before Dataverse reads it, by the web server in front: no Dataverse error code.
        return reply.code(414).type("text/plain").send(`URI Too Long: more than ${MAX_URL_LENGTH} characters.`);
      const authorization = request.headers.authorization;
      if (authorization) {
        const verdict = callerOfToken(authorization, organizationUrl(request), state.store);
        if (!("callerId" in verdict)) {
          requests.push({ method: request.method, path });
          return reply
            .code(verdict.status)
            .headers(verdict.headers)
            .header("content-type", "application/json; odata.metadata=minimal")
            .send({ error: { code: verdict.code, message: verdict.message } });
        }
        tokenCallers.set(request, verdict.callerId);
      } else if (!state.store.get(SYSTEMUSER.logicalName, callerOf(request))) {
        // Without a token the caller is still someone: one who is no user of this org is refused as a token of theirs would be.
        requests.push({ method: request.method, path });
        return reply
          .code(403)
          .header("content-type", "application/json; odata.metadata=minimal")
          .send({ error: { code: "0x80072560", message: "The user is not a member of the organization." } });
      }
      requests.push({ method: request.method, path, ...(authorization ? { caller: tokenCallers.get(request) } : {}) });
      // Only what Dataverse documents is served (requestShapes.ts); an unknown resource still gets the routes' 404.
      const shape = shapeOf(request.method, path, request.headers);
      shapes.set(describeShape(shape), shape);
      if (!documentedRowFor(shape) && isDocumentedResource(shape.path))
        return reply
          .code(400)
          .header("content-type", "application/json; odata.metadata=minimal")
          .send({
            error: {
              code: "0x80060888",
              message: `The emulator accepts only request shapes Dataverse documents, and ${describeShape(shape)} is not one of them (src/emulator/requestShapes.ts).`,
            },
          });
      const fault = faults.take(request.method, path.split("?")[0]);
      if (!fault) return;
      if (await delayOrDrop(fault, request, reply)) return;
      if (fault.status) {
        if (fault.retryAfter !== undefined) void reply.header("Retry-After", String(fault.retryAfter));
        return reply
          .code(fault.status)
          .header("content-type", "application/json; odata.metadata=minimal")
          .send({ error: { code: fault.code ?? defaultCode(fault.status), message: fault.message ?? defaultMessage(fault.status) } });
      }
    });

    app.setErrorHandler((error, request, reply) => {
      if (error instanceof DataverseFault) {
        // Dataverse answers in the caller's language (usersettings.uilanguageid).
        return reply
          .code(error.status)
          .headers(error.headers)
          .send(error.body(state.store.languageOf(callerOf(request))));
      }
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      request.log.error(error);
      return reply.code(status).send({ error: { code: status >= 500 ? "0x80040216" : "0x80060888", message: (error as Error).message } });
    });

    const odataHeaders = (reply: FastifyReply, request: FastifyRequest) => {
      // A browser may keep every answer but must ask again before reusing it (see docs/emulator.md, "Caching and row versions").
      void reply
        .header("OData-Version", "4.0")
        .header("content-type", "application/json; odata.metadata=minimal")
        .header("cache-control", "no-cache");
      const preferences = parsePrefer(request.headers.prefer);
      const applied = [
        ...(preferences.maxPageSize ? [`odata.maxpagesize=${preferences.maxPageSize}`] : []),
        ...(preferences.annotations.length
          ? [`odata.include-annotations="${/include-annotations="?([^",]*)/.exec(String(request.headers.prefer))?.[1] ?? "*"}"`]
          : []),
      ];
      if (applied.length) void reply.header("Preference-Applied", applied.join(","));
      return preferences;
    };

    app.get(`${API_PATH}WhoAmI()`, async (request, reply) => {
      odataHeaders(reply, request);
      return service(request).whoAmI(baseUrl(request));
    });

    app.get(`${API_PATH}RetrieveOrganizationResources()`, async (request, reply) => {
      odataHeaders(reply, request);
      return service(request).organizationResources(baseUrl(request));
    });

    app.get<{ Params: { key: string } }>(`${API_PATH}${KEY}/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`, async (request, reply) => {
      odataHeaders(reply, request);
      const { name, id } = parseKey(request.params.key);
      if (name !== SYSTEMUSER.setName) throw notFound(name, id);
      return service(request).userPrivileges(id, baseUrl(request));
    });

    app.post<{ Body: Record<string, unknown> }>(`${API_PATH}ImportSolution`, async (request, reply) => {
      odataHeaders(reply, request);
      const body = request.body ?? {};
      const callerId = callerOf(request);
      const privileges = state.store.privilegesOf(callerId);
      if (!privileges.has("prvImportCustomization"))
        throw new DataverseFault(403, "0x80040220", `Principal user (Id=${callerId}, type=8) is missing prvImportCustomization privilege.`);
      const importJobId = typeof body.ImportJobId === "string" ? body.ImportJobId.replace(/[{}]/g, "").toLowerCase() : "";
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(importJobId))
        throw new DataverseFault(400, "0x80060888", "ImportJobId must be a GUID.");
      if (typeof body.CustomizationFile !== "string" || !body.CustomizationFile)
        throw new DataverseFault(400, "0x80060888", "CustomizationFile is required (the solution zip, base64).");
      const store = state.store;
      const step = options.importStepMs ?? 250;
      await importSolution(
        store,
        { zip: Buffer.from(body.CustomizationFile, "base64"), importJobId, callerPrivileges: privileges },
        async (progress) => {
          store.update("importjob", importJobId, { progress });
          await new Promise((resolve) => setTimeout(resolve, step));
        },
      );
      return reply.code(204).send();
    });

    app.post<{ Body: Record<string, unknown> }>(`${API_PATH}PublishXml`, async (request, reply) => {
      odataHeaders(reply, request);
      service(request).publishXml(request.body ?? {});
      return reply.code(204).send();
    });

    app.post(`${API_PATH}PublishAllXml`, async (request, reply) => {
      odataHeaders(reply, request);
      service(request).publishAllXml();
      return reply.code(204).send();
    });

    app.post<{ Body: Record<string, unknown> }>(`${API_PATH}AddSolutionComponent`, async (request, reply) => {
      odataHeaders(reply, request);
      return service(request).addSolutionComponent(request.body ?? {});
    });

    app.post<{ Params: { entitySet: string } }>(`${API_PATH}:entitySet`, async (request, reply) => {
      const preferences = odataHeaders(reply, request);
      const dataverse = service(request);
      const entity = dataverse.entitySet(request.params.entitySet);
      const body = request.body;
      if (typeof body !== "object" || body === null || Array.isArray(body))
        throw new DataverseFault(400, "0x80060888", "The request body must be a JSON object.");
      const id = dataverse.create(entity, body as Record<string, unknown>);
      if (entity.logicalName === SYSTEMUSER.logicalName) {
        const row = state.store.get(entity.logicalName, id) ?? {};
        const given = Object.keys(SYSTEMUSER.columns).filter(
          (column) => column in row && column !== "versionnumber" && column !== "modifiedon",
        );
        webhooks.dispatch(
          {
            messageName: "Create",
            primaryEntityName: entity.logicalName,
            primaryEntityId: id,
            callerId: callerOf(request),
            changed: Object.fromEntries(given.map((column) => [column, row[column]])),
          },
          organizationUrl(request),
        );
      }
      void reply.header("OData-EntityId", `${baseUrl(request)}${entity.setName}(${id})`);
      if (!preferences.returnRepresentation) return reply.code(204).send();
      return reply.code(201).send(dataverse.retrieve(entity, id, {}, preferences));
    });

    app.get<{ Params: { entitySet: string }; Querystring: CollectionQuery }>(`${API_PATH}:entitySet`, async (request, reply) => {
      const preferences = odataHeaders(reply, request);
      const dataverse = service(request);
      const entity = dataverse.entitySet(request.params.entitySet);
      const pageUrl = nextLinkFor(request, entity.setName);
      return {
        "@odata.context": `${baseUrl(request)}$metadata#${entity.setName}`,
        ...dataverse.retrieveMultiple(entity, request.query, preferences, pageUrl),
      };
    });

    // RetrieveUnpublishedMultiple, bound to the set of a solution-aware table: its rows as they are
    // before a publish ("Create, manage, and publish model-driven apps using code": "Retrieve unpublished apps").
    app.get<{ Params: { entitySet: string }; Querystring: CollectionQuery }>(
      `${API_PATH}:entitySet/Microsoft.Dynamics.CRM.RetrieveUnpublishedMultiple()`,
      async (request, reply) => {
        const preferences = odataHeaders(reply, request);
        const dataverse = service(request);
        const entity = dataverse.entitySet(request.params.entitySet);
        if (!UNPUBLISHED_TABLES.includes(entity.logicalName))
          throw new DataverseFault(
            400,
            "0x80060888",
            `RetrieveUnpublishedMultiple is not bound to '${entity.setName}' here: it serves ${UNPUBLISHED_TABLES.join(", ")}.`,
          );
        const pageUrl = nextLinkFor(request, `${entity.setName}/Microsoft.Dynamics.CRM.RetrieveUnpublishedMultiple()`);
        return {
          "@odata.context": `${baseUrl(request)}$metadata#${entity.setName}`,
          ...dataverse.retrieveMultiple(entity, request.query, preferences, pageUrl, undefined, true),
        };
      },
    );

    // A row's collection-valued navigation property, e.g. roles(<id>)/systemuserroles_association (the
    // users holding a role) or teams(<id>)/teammembership_association (its members): "Filtered collections".
    app.get<{ Params: { key: string; nav: string }; Querystring: CollectionQuery }>(`${API_PATH}${KEY}/:nav`, async (request, reply) => {
      const preferences = odataHeaders(reply, request);
      const dataverse = service(request);
      const { name, id } = parseKey(request.params.key);
      const entity = dataverse.entitySet(name);
      const navigation = request.params.nav;
      const target = collectionTarget(entity, navigation);
      if (!target)
        throw new DataverseFault(
          400,
          "0x80060888",
          `Could not find a property named '${navigation}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`,
        );
      if (!state.store.get(entity.logicalName, id)) throw notFound(entity.logicalName, id);
      const related = new Set(state.store.relatedIds(navigation, entity.logicalName, id));
      const pageUrl = nextLinkFor(request, `${name}(${id})/${navigation}`);
      const body = dataverse.retrieveMultiple(target, request.query, preferences, pageUrl, (row) =>
        related.has(String(row[target.primaryKey]).toLowerCase()),
      );
      return { "@odata.context": `${baseUrl(request)}$metadata#${target.setName}`, ...body };
    });

    app.get<{ Params: { key: string }; Querystring: CollectionQuery }>(`${API_PATH}${KEY}`, async (request, reply) => {
      const preferences = odataHeaders(reply, request);
      const dataverse = service(request);
      const { name, id } = parseKey(request.params.key);
      const entity = dataverse.entitySet(name);
      const body = dataverse.retrieve(entity, id, request.query, preferences);
      // The row version is the ETag of a single-record read, expansions or not: a matching
      // If-None-Match gets 304 ("Perform conditional operations using the Web API").
      const etag = body["@odata.etag"] as string;
      void reply.header("ETag", etag);
      if (ifNoneMatchHolds(request.headers["if-none-match"], etag)) return reply.code(304).send();
      return { "@odata.context": `${baseUrl(request)}$metadata#${entity.setName}/$entity`, ...body };
    });

    app.patch<{ Params: { key: string } }>(`${API_PATH}${KEY}`, async (request, reply) => {
      const preferences = odataHeaders(reply, request);
      const dataverse = service(request);
      const { name, id } = parseKey(request.params.key);
      const entity = dataverse.entitySet(name);
      const body = request.body;
      if (typeof body !== "object" || body === null || Array.isArray(body))
        throw new DataverseFault(400, "0x80060888", "The request body must be a JSON object.");
      const ifMatch = request.headers["if-match"];
      const changed = dataverse.update(entity, id, body as Record<string, unknown>, typeof ifMatch === "string" ? ifMatch : undefined);
      const row = state.store.get(entity.logicalName, id) ?? {};
      if (changed.length)
        webhooks.dispatch(
          {
            messageName: "Update",
            primaryEntityName: entity.logicalName,
            primaryEntityId: id,
            callerId: callerOf(request),
            changed: Object.fromEntries(changed.map((column) => [column, row[column]])),
          },
          organizationUrl(request),
        );
      void reply.header("OData-EntityId", `${baseUrl(request)}${entity.setName}(${id})`);
      if (!preferences.returnRepresentation) return reply.code(204).send();
      return reply.code(200).send(dataverse.retrieve(entity, id, {}, preferences));
    });

    /** Where a $ref association starts: the row of `<set>(<id>)`, which must exist. */
    const refSubject = (key: string) => {
      const { name, id } = parseKey(key);
      const entity = entityBySetName(name);
      if (!entity) throw new DataverseFault(404, "0x80060888", `Resource not found for the segment '${name}'.`);
      if (!state.store.get(entity.logicalName, id)) throw notFound(entity.logicalName, id);
      return { entity, id: id.toLowerCase() };
    };

    app.post<{ Params: { key: string; nav: string } }>(`${API_PATH}${KEY}/:nav/$ref`, async (request, reply) => {
      const { entity, id } = refSubject(request.params.key);
      const navigation = request.params.nav;
      const target = collectionTarget(entity, navigation);
      const reference = (request.body as { "@odata.id"?: unknown } | null)?.["@odata.id"];
      const relatedId =
        target && typeof reference === "string"
          ? new RegExp(`${target.setName}\\(\\{?([0-9A-Za-z-]+)\\}?\\)$`).exec(reference)?.[1]
          : undefined;
      if (!target || !relatedId)
        throw new DataverseFault(
          400,
          "0x80060888",
          `The @odata.id of the row to associate through '${navigation}' is required, e.g. {"@odata.id":"<org>/api/data/v9.2/${target?.setName ?? "<set>"}(<id>)"}.`,
        );
      service(request).associate(entity.logicalName, id, navigation, relatedId.toLowerCase());
      webhooks.dispatch(
        {
          messageName: "Associate",
          primaryEntityName: entity.logicalName,
          primaryEntityId: id,
          callerId: callerOf(request),
          relationship: navigation,
          related: [{ logicalName: target.logicalName, id: relatedId.toLowerCase() }],
        },
        organizationUrl(request),
      );
      return reply.code(204).send();
    });

    app.delete<{ Params: { key: string; navKey: string } }>(`${API_PATH}${KEY}/${NAV_KEY}/$ref`, async (request, reply) => {
      const { entity, id } = refSubject(request.params.key);
      const related = parseKey(request.params.navKey);
      const target = collectionTarget(entity, related.name);
      if (!target)
        throw new DataverseFault(
          400,
          "0x80060888",
          `'${related.name}' is not a collection-valued navigation property of ${entity.logicalName}.`,
        );
      service(request).disassociate(entity.logicalName, id, related.name, related.id.toLowerCase());
      webhooks.dispatch(
        {
          messageName: "Disassociate",
          primaryEntityName: entity.logicalName,
          primaryEntityId: id,
          callerId: callerOf(request),
          relationship: related.name,
          related: [{ logicalName: target.logicalName, id: related.id.toLowerCase() }],
        },
        organizationUrl(request),
      );
      return reply.code(204).send();
    });

    // AddMembersTeam and RemoveMembersTeam, bound to a team: Members are systemusers keyed by ownerid
    // ("Use Web API actions"). Each is an event of its own name (team table reference).
    app.post<{ Params: { key: string; action: string }; Body: Record<string, unknown> }>(
      `${API_PATH}${KEY}/:action`,
      async (request, reply) => {
        odataHeaders(reply, request);
        const { entity, id } = refSubject(request.params.key);
        const action = /^Microsoft\.Dynamics\.CRM\.(AddMembersTeam|RemoveMembersTeam)$/.exec(request.params.action)?.[1];
        if (!action || entity.logicalName !== TEAM.logicalName)
          throw new DataverseFault(404, "0x80060888", `Resource not found for the segment '${request.params.action}'.`);
        const members = request.body?.Members;
        const memberIds = Array.isArray(members)
          ? members.map((member: unknown) => {
              const { "@odata.type": type, ownerid } = (member ?? {}) as Record<string, unknown>;
              if (type !== "Microsoft.Dynamics.CRM.systemuser" || typeof ownerid !== "string")
                throw new DataverseFault(
                  400,
                  "0x80060888",
                  'Each member is {"@odata.type":"Microsoft.Dynamics.CRM.systemuser","ownerid":"<id>"}.',
                );
              return ownerid.replace(/[{}]/g, "").toLowerCase();
            })
          : null;
        if (!memberIds?.length) throw new DataverseFault(400, "0x80060888", "Members is required: the users to add or remove.");
        if (action === "AddMembersTeam") service(request).addTeamMembers(id, memberIds);
        else service(request).removeTeamMembers(id, memberIds);
        webhooks.dispatch(
          {
            messageName: action as "AddMembersTeam" | "RemoveMembersTeam",
            primaryEntityName: TEAM.logicalName,
            primaryEntityId: id,
            callerId: callerOf(request),
            memberIds,
          },
          organizationUrl(request),
        );
        return reply.code(204).send();
      },
    );

    // A Microsoft Entra group member signs in: Dataverse adds (or, when they left the group, removes)
    // them to the group team at run time ("Manage group teams"). Which message it raises is not
    // documented; the emulator's stated choice is Associate or Disassociate of teammembership_association.
    app.post<{ Params: { teamId: string }; Body: { userId?: string; member?: boolean } }>(
      "/_emulator/group-teams/:teamId/sign-in",
      async (request, reply) => {
        const team = state.store.get("team", request.params.teamId);
        const userId = String(request.body?.userId ?? "").toLowerCase();
        if (!team || (team.teamtype !== 2 && team.teamtype !== 3) || !state.store.get("systemuser", userId))
          return reply.code(400).send({ error: "a group team's id in the path and a user's id as userId" });
        const joins = request.body?.member !== false;
        if (joins) state.store.link(TEAM_MEMBERS, userId, String(team.teamid));
        else state.store.unlink(TEAM_MEMBERS, userId, String(team.teamid));
        webhooks.dispatch(
          {
            messageName: joins ? "Associate" : "Disassociate",
            primaryEntityName: TEAM.logicalName,
            primaryEntityId: String(team.teamid),
            callerId: userId,
            relationship: TEAM_MEMBERS,
            related: [{ logicalName: SYSTEMUSER.logicalName, id: userId }],
          },
          organizationUrl(request),
        );
        return reply.send({ member: joins });
      },
    );

    app.post("/_emulator/reset", (_request, reply) => {
      emulator.reset();
      return reply.send({ reset: true });
    });
    app.get("/_emulator/faults", (_request, reply) => reply.send(faults.list()));
    app.post<{ Body: Fault }>("/_emulator/faults", (request, reply) => {
      faults.add(request.body);
      return reply.code(201).send(faults.list());
    });
    app.delete("/_emulator/faults", (_request, reply) => {
      faults.clear();
      return reply.send([]);
    });
  }
}

/** `If-None-Match: null` (the documented way to bypass caches) never matches; `*` or a listed ETag does. */
function ifNoneMatchHolds(header: string | string[] | undefined, etag: string): boolean {
  const values = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((value) => value.trim());
  return values.some((value) => value === "*" || value === etag);
}

function defaultCode(status: number): string {
  if (status === 429) return "0x80072322";
  if (status === 403) return "0x80040220";
  if (status === 404) return "0x80040217";
  if (status === 412) return "0x80060882";
  return status >= 500 ? "0x80040216" : "0x80060888";
}

function defaultMessage(status: number): string {
  if (status === 429) return "Number of requests exceeded the limit of 6000 over time window of 300 seconds.";
  if (status === 401) return "";
  if (status === 412) return "The version of the existing record doesn't match the RowVersion property provided.";
  if (status === 503) return "Service Unavailable";
  return `Injected fault ${status}`;
}
