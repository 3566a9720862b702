import { randomUUID } from "crypto";
import Fastify, { LogController, type FastifyInstance } from "fastify";
import type { DataverseClient } from "../dataverse/client";
import { isAuthentic } from "./auth";
import type { MessageTexts } from "./badge";
import { BadgeStamper, type StampOutcome } from "./badgeStamper";
import { CoalescingQueue, OverloadedError } from "./coalescingQueue";
import type { WebhookConfig } from "./config";
import { PayloadError, planEvent } from "./executionContext";

export interface WebhookDependencies {
  client: DataverseClient;
  /** The users holding a role (for an association whose payload Dataverse stripped). */
  roleHolders: (roleId: string) => Promise<string[]>;
  texts: MessageTexts;
  /** Structured JSON logs (to stdout, or to `logStream`); off in tests. */
  logger?: boolean;
  logStream?: NodeJS.WritableStream;
  /** How long events are gathered into one batch. */
  windowMs?: number;
}

export interface WebhookService {
  app: FastifyInstance;
  /** Stops accepting, finishes in-flight work. */
  close: () => Promise<void>;
}

const BODY_LIMIT = 1024 * 1024; // Dataverse sends at most 256 KB before stripping the payload

class TimeoutError extends Error {}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => (timer = setTimeout(() => reject(new TimeoutError(`not done within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The webhook Dataverse calls on user and role changes: authenticates the call, works out which
 * users it touches, evaluates them (bursts coalesced) and stamps their badges. It answers 2xx only
 * for work done, 503 for work it could not do (Dataverse retries once), 4xx for calls it refuses.
 */
export function createWebhookService(config: WebhookConfig, dependencies: WebhookDependencies): WebhookService {
  const secretHeader = config.auth.kind === "header" ? config.auth.header : "x-svcacct-key";
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    genReqId: (request) => {
      const header = request.headers["x-ms-correlation-request-id"];
      return typeof header === "string" && header ? header : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: "correlationId" }),
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
  const stamper = new BadgeStamper(dependencies.client, config.policy, dependencies.texts, config.concurrency);
  // When each user's last successful evaluation started: an event for an operation Dataverse
  // performed before that (less a margin for clock skew) is already reflected in it.
  const evaluatedSince = new Map<string, number>();
  const queue = new CoalescingQueue<StampOutcome | Error>(
    async (ids) => {
      const started = Date.now();
      const outcomes = await stamper.stamp(ids);
      for (const [id, outcome] of outcomes) if (!(outcome instanceof Error)) evaluatedSince.set(id, Math.max(evaluatedSince.get(id) ?? 0, started));
      return outcomes;
    },
    { windowMs: dependencies.windowMs ?? 25, maxPending: config.maxPendingUsers },
  );
  const alreadyCovered = (userId: string, operationCreatedOn: number | undefined) =>
    operationCreatedOn !== undefined && (evaluatedSince.get(userId) ?? -Infinity) > operationCreatedOn + config.clockSkewMs;
  let closing = false;

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

  app.get("/health", (_request, reply) =>
    closing ? reply.code(503).send({ status: "stopping" }) : reply.send({ status: "ready", pendingUsers: queue.size }),
  );

  app.post("/dataverse/events", async (request, reply) => {
    if (closing) return reply.code(503).send({ error: "stopping" });
    if (!isAuthentic(config.auth, request.headers, request.query as Record<string, unknown>)) {
      request.log.warn("unauthenticated call refused");
      return reply.code(401).send({ error: "unauthorized" });
    }
    let plan;
    try {
      plan = planEvent(request.body, request.headers["x-ms-dynamics-msg-size-exceeded"] !== undefined);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      request.log.warn({ reason: error.message }, "malformed event refused");
      return reply.code(400).send({ error: error.message });
    }
    if (plan.kind === "ignore") {
      request.log.info({ message: plan.message, reason: plan.reason }, "event ignored");
      return reply.send({ ignored: plan.reason });
    }
    try {
      const holders = await Promise.all(plan.roleIds.map((roleId) => dependencies.roleHolders(roleId)));
      const userIds = [...new Set([...plan.userIds, ...holders.flat()])];
      const toEvaluate = userIds.filter((id) => !alreadyCovered(id, plan.operationCreatedOn));
      const outcomes = await within(queue.submit(toEvaluate), config.timeoutMs);
      const failures = outcomes.filter((outcome): outcome is Error => outcome instanceof Error);
      if (failures.length) {
        request.log.error({ message: plan.message, users: userIds.length, reason: failures[0].message }, "evaluation failed");
        return reply.code(503).send({ error: `Could not evaluate ${failures.length} of ${userIds.length} users; Dataverse may retry.` });
      }
      const stamped = outcomes.filter((outcome) => outcome === "stamped").length;
      request.log.info({ message: plan.message, users: userIds.length, stamped }, "event processed");
      return reply.send({ evaluated: userIds.length, stamped });
    } catch (error) {
      const reason = error instanceof OverloadedError ? `overloaded: ${error.message}` : error instanceof Error ? error.message : String(error);
      request.log.error({ message: plan.message, reason }, "event not processed");
      return reply.code(503).send({ error: "The service cannot process the event now; Dataverse may retry." });
    }
  });

  return {
    app,
    close: async () => {
      closing = true;
      // Stop accepting; a connection kept alive after its last answer is closed as soon as it is idle.
      const closed = app.close();
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await closed;
      } finally {
        clearInterval(sweep);
      }
      await queue.drain();
    },
  };
}
