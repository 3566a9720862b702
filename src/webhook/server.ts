import { randomUUID } from "crypto";
import Fastify, { LogController, type FastifyInstance } from "fastify";
import { DEFAULT_WEBHOOK_HEADER, type WebhookConfig } from "./config";
import { createEventProcessor, type EventProcessor, type WebhookDependencies } from "./eventHandler";

export type { WebhookDependencies } from "./eventHandler";

export interface WebhookServiceOptions {
  /** Structured JSON logs (to stdout, or to `logStream`); off in tests. */
  logger?: boolean;
  logStream?: NodeJS.WritableStream;
}

export interface WebhookService {
  app: FastifyInstance;
  processor: EventProcessor;
  /** Stops accepting, finishes in-flight work. */
  close: () => Promise<void>;
}

const BODY_LIMIT = 1024 * 1024; // Dataverse sends at most 256 KB before stripping the payload
export const EVENTS_PATH = "/dataverse/events";

/** A header's single value, if it has one. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" && value ? value : undefined;
}

/**
 * The webhook as an HTTP service: POST /dataverse/events (see createEventProcessor) and GET /health.
 * Logs carry the request id from `x-request-id` (or a new one) and Dataverse's `x-ms-correlation-request-id`.
 */
export function createWebhookService(config: WebhookConfig, dependencies: WebhookDependencies & WebhookServiceOptions): WebhookService {
  const secretHeader = config.auth.kind === "header" ? config.auth.header : DEFAULT_WEBHOOK_HEADER;
  const { limits } = config;
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    // Fastify's defaults wait for a request forever (requestTimeout 0, "must be set to a non-zero value
    // to protect against potential Denial-of-Service attacks", fastify.dev Server reference): a client
    // that trickles its headers or body is cut, and Node checks every second rather than every 30 s.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: 1_000 },
    genReqId: (request) => headerValue(request.headers, "x-request-id") ?? randomUUID(),
    logController: new LogController({ requestIdLogLabel: "requestId" }),
    childLoggerFactory: (logger, bindings, options, request) =>
      logger.child({ ...bindings, correlationId: headerValue(request.headers, "x-ms-correlation-request-id") }, options),
    logger: dependencies.logger
      ? {
          level: "info",
          ...(dependencies.logStream ? { stream: dependencies.logStream } : {}),
          redact: { paths: ["req.headers.authorization", `req.headers["${secretHeader}"]`], censor: "[redacted]" },
          serializers: {
            // The path only: a WebhookKey secret travels in the query string.
            req: (request: { method: string; url: string }) => ({ method: request.method, path: request.url.split("?")[0] }),
          },
        }
      : false,
  });
  // Beyond the cap Node closes a new connection as soon as it is accepted, before reading anything from it.
  app.server.maxConnections = limits.maxConnections;
  const processor = createEventProcessor(config, dependencies, dependencies.logger ? app.log : undefined);

  // Decided from the headers and the query before a body byte is read: an unauthenticated caller never
  // gets its megabyte buffered, and its connection is closed rather than drained.
  app.addHook("onRequest", async (request, reply) => {
    if (request.routeOptions.url !== EVENTS_PATH || processor.authenticates(request.headers, request.query as Record<string, unknown>))
      return;
    request.log.warn({}, "unauthenticated call refused");
    await reply.code(401).header("connection", "close").send({ error: "unauthorized" });
  });

  // Fastify's own 404 logs the URL with its query string, where a `?code=` secret travels.
  app.setNotFoundHandler((request, reply) => {
    request.log.warn({ path: request.url.split("?")[0] }, "no such route");
    return reply.code(404).header("connection", "close").send({ error: "not found" });
  });

  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const reason = error instanceof Error ? error.message : String(error);
    if (status < 500) {
      request.log.warn({ reason }, "refused");
      return reply.code(status).send({ error: reason });
    }
    request.log.error({ reason }, "failed");
    return reply.code(503).send({ error: "The service could not process the event; Dataverse may retry." });
  });

  app.get("/health", (_request, reply) => {
    const answer = processor.health();
    return reply.code(answer.status).send(answer.body);
  });

  app.post(EVENTS_PATH, async (request, reply) => {
    const answer = await processor.handle({
      headers: request.headers,
      query: request.query as Record<string, unknown>,
      body: request.body,
      log: request.log,
    });
    return reply.code(answer.status).send(answer.body);
  });

  return {
    app,
    processor,
    close: async () => {
      // Stop accepting; a connection kept alive after its last answer is closed as soon as it is idle.
      const stopped = processor.close();
      const closed = app.close();
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await closed;
      } finally {
        clearInterval(sweep);
      }
      await stopped;
    },
  };
}
