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
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
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
  const processor = createEventProcessor(config, dependencies, dependencies.logger ? app.log : undefined);

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

  app.post("/dataverse/events", async (request, reply) => {
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
