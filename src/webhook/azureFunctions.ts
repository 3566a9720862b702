import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { EventLog, EventProcessor } from "./eventHandler";

/** As the HTTP service's body limit: Dataverse strips payloads over 256 KB itself. */
const BODY_LIMIT = 1024 * 1024;

/** The query as the HTTP service sees it: a repeated name is a list (and so never the secret). */
function queryOf(request: HttpRequest): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const name of new Set(request.query.keys())) {
    const values = request.query.getAll(name);
    query[name] = values.length === 1 ? values[0] : values;
  }
  return query;
}

/**
 * The body as text, read chunk by chunk and given up as soon as it passes the limit (null): a body
 * that declares no length (chunked) is never buffered whole either.
 */
async function textWithin(request: HttpRequest, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString("utf8");
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

/** Structured entries in the invocation's log, with the request and correlation ids. */
function logOf(context: InvocationContext, ids: { requestId: string; correlationId?: string }): EventLog {
  return {
    info: (fields, message) => context.info(message, { ...ids, ...fields }),
    warn: (fields, message) => context.warn(message, { ...ids, ...fields }),
    error: (fields, message) => context.error(message, { ...ids, ...fields }),
  };
}

/**
 * POST /dataverse/events as an HTTP-triggered function (Node.js v4 programming model) over the same
 * EventProcessor as the HTTP service. The function is anonymous to the Functions host: the processor
 * checks Dataverse's secret itself, as it does in the service.
 */
export function eventsFunction(processor: EventProcessor) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const headers = Object.fromEntries(request.headers.entries());
    const log = logOf(context, {
      requestId: headers["x-request-id"] || context.invocationId,
      correlationId: headers["x-ms-correlation-request-id"],
    });
    const query = queryOf(request);
    // Secret and declared size first, from the headers and the query: with HTTP streams on
    // (functionsEntry.ts) no body byte has been read yet.
    if (!processor.authenticates(headers, query)) {
      log.warn({}, "unauthenticated call refused");
      return { status: 401, jsonBody: { error: "unauthorized" }, headers: { connection: "close" } };
    }
    const tooLarge: HttpResponseInit = { status: 413, jsonBody: { error: "Request body is too large" }, headers: { connection: "close" } };
    if (Number(headers["content-length"]) > BODY_LIMIT) return tooLarge;
    const text = await textWithin(request, BODY_LIMIT);
    if (text === null) return tooLarge;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      log.warn({}, "malformed event refused");
      return { status: 400, jsonBody: { error: "the body is not JSON" } };
    }
    try {
      const answer = await processor.handle({ headers, query, body, log });
      return { status: answer.status, jsonBody: answer.body };
    } catch (error) {
      log.error({ reason: error instanceof Error ? error.message : String(error) }, "failed");
      return { status: 503, jsonBody: { error: "The service could not process the event; Dataverse may retry." } };
    }
  };
}

export function healthFunction(processor: EventProcessor) {
  return (): HttpResponseInit => {
    const answer = processor.health();
    return { status: answer.status, jsonBody: answer.body };
  };
}

/** The heal on a timer trigger: fails the invocation (and shows in its log) when a badge could not be written. */
export function healFunction(processor: EventProcessor) {
  return async (_timer: unknown, context: InvocationContext): Promise<void> => {
    const result = await processor.reconcile();
    context.info("heal done", { evaluated: result.evaluated, stamped: result.stamped, failed: result.failures.length });
    if (result.failures.length) throw new Error(`${result.failures.length} badges could not be written: ${result.failures[0].message}`);
  };
}
