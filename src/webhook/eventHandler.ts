import type { DataverseClient } from "../dataverse/client";
import { IDS_PER_QUERY } from "../dataverse-node/serverQueries";
import type { EntraSource } from "../graph/entraSnapshots";
import { isAuthentic } from "./auth";
import type { MessageTexts } from "./badge";
import { mapWithLimit } from "../core/mapWithLimit";
import { BadgeStamper } from "./badgeStamper";
import { CoalescingQueue, OverloadedError } from "./coalescingQueue";
import type { WebhookConfig } from "./config";
import { PayloadError, planEvent, type EventPlan } from "./executionContext";
import { stampServiceAccounts } from "./stampServiceAccounts";

export interface WebhookDependencies {
  client: DataverseClient;
  /** The users holding a role (for an association that names only the role). */
  roleHolders: (roleId: string) => Promise<string[]>;
  /** The members of a team (its roles changed, or members were added without being named). */
  teamMembers: (teamId: string) => Promise<string[]>;
  texts: MessageTexts;
  /** Microsoft Graph, when configured: the Entra checks are decided and stamped too. */
  entra?: EntraSource;
}

/** Structured logging, as pino's `log.info(fields, message)`; each host adapts its own. */
export interface EventLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** A call as any host receives it: headers with lower-case names, the query, and the JSON body parsed. */
export interface IncomingEvent {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  body: unknown;
  log: EventLog;
}

export interface EventAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** What one evaluation (of a user, or of every service account) did. */
export interface Evaluation {
  evaluated: number;
  stamped: number;
  failures: Error[];
}

export interface EventProcessor {
  /** Whether a call carries Dataverse's secret, from its headers and query alone: decided before any body byte is read. */
  authenticates(headers: IncomingEvent["headers"], query: IncomingEvent["query"]): boolean;
  handle(event: IncomingEvent): Promise<EventAnswer>;
  health(): EventAnswer;
  /** The heal: evaluates every service account now (shared with any heal already waiting). */
  reconcile(): Promise<Evaluation>;
  /** Refuses new events and finishes the work taken. */
  close(): Promise<void>;
}

/** The queue's key for "every service account", next to user ids. */
const EVERY_SERVICE_ACCOUNT = "every-service-account";

class TimeoutError extends Error {}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => (timer = setTimeout(() => reject(new TimeoutError(`not done within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * What the webhook does with a call, whatever hosts it (the HTTP service, an Azure Function):
 * authenticates it, works out which users it touches, evaluates them and stamps their badges. Every
 * authenticated event of ours leads to an evaluation that starts after it was received: a user's
 * events share one (see CoalescingQueue), never skip one. It answers 2xx only for work done, 503 for
 * work it could not do (Dataverse retries 502/503/504 once), 4xx only for calls that cannot be
 * Dataverse's.
 */
export function createEventProcessor(config: WebhookConfig, dependencies: WebhookDependencies, log?: EventLog): EventProcessor {
  const stamper = new BadgeStamper(
    dependencies.client,
    config.policy,
    dependencies.texts,
    config.concurrency,
    undefined,
    dependencies.entra,
  );
  const queue = new CoalescingQueue<Evaluation>(
    async (keys) => {
      const users = keys.filter((key) => key !== EVERY_SERVICE_ACCOUNT);
      const stamped = users.length ? await stamper.stampUsers(users) : [];
      const outcomes = new Map(stamped.map((outcome, index) => [users[index], outcome]));
      return Promise.all(
        keys.map(async (key): Promise<Evaluation> => {
          if (key === EVERY_SERVICE_ACCOUNT) {
            const summary = await stampServiceAccounts(dependencies.client, config.policy, stamper);
            return { evaluated: summary.evaluated, stamped: summary.stamped, failures: summary.failures.map((failure) => failure.error) };
          }
          const outcome = outcomes.get(key);
          if (outcome instanceof Error) return { evaluated: 1, stamped: 0, failures: [outcome] };
          return { evaluated: 1, stamped: outcome === "stamped" ? 1 : 0, failures: [] };
        }),
      );
    },
    {
      windowMs: config.coalesceWindowMs,
      maxPending: config.maxPendingUsers,
      concurrency: config.concurrency,
      // The users whose windows end together are read together.
      batchSize: IDS_PER_QUERY,
    },
  );
  let closing = false;

  const reconcile = async (): Promise<Evaluation> => (await queue.submit([EVERY_SERVICE_ACCOUNT]))[0];
  const schedule =
    config.reconcileEveryMs === null
      ? undefined
      : setInterval(() => {
          void reconcile().then(
            (result) =>
              log?.info({ evaluated: result.evaluated, stamped: result.stamped, failed: result.failures.length }, "scheduled heal done"),
            (error: unknown) => log?.error({ reason: error instanceof Error ? error.message : String(error) }, "scheduled heal failed"),
          );
        }, config.reconcileEveryMs);
  schedule?.unref();

  const authenticates = (headers: IncomingEvent["headers"], query: IncomingEvent["query"]) => isAuthentic(config.auth, headers, query);

  const handle = async ({ headers, query, body, log: requestLog }: IncomingEvent): Promise<EventAnswer> => {
    if (closing) return { status: 503, body: { error: "stopping" } };
    if (!authenticates(headers, query)) {
      requestLog.warn({}, "unauthenticated call refused");
      return { status: 401, body: { error: "unauthorized" } };
    }
    let plan: EventPlan;
    try {
      plan = planEvent(body, headers["x-ms-dynamics-msg-size-exceeded"] !== undefined);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      requestLog.warn({ reason: error.message }, "malformed event refused");
      return { status: 400, body: { error: error.message } };
    }
    if (plan.kind === "ignore") {
      requestLog.info({ message: plan.message, reason: plan.reason }, "event ignored");
      return { status: 200, body: { ignored: plan.reason } };
    }
    // An event naming more ids than any Dataverse event does is answered with the heal's paged reads,
    // never with thousands of reads at once.
    if (plan.userIds.length + plan.roleIds.length + plan.teamIds.length > config.limits.maxIdsPerEvent)
      plan = {
        ...plan,
        userIds: [],
        roleIds: [],
        teamIds: [],
        everyServiceAccount: true,
        reason: `more than ${config.limits.maxIdsPerEvent} ids named`,
      };
    try {
      if (plan.reason) requestLog.info({ message: plan.message, reason: plan.reason }, "evaluating every service account");
      const lookups = [
        ...plan.roleIds.map((roleId) => () => dependencies.roleHolders(roleId)),
        ...plan.teamIds.map((teamId) => () => dependencies.teamMembers(teamId)),
      ];
      const named = await mapWithLimit(lookups, config.concurrency, (lookup) => lookup());
      const keys = [
        ...new Set([
          ...plan.userIds,
          ...named.flat().map((id) => id.toLowerCase()),
          ...(plan.everyServiceAccount ? [EVERY_SERVICE_ACCOUNT] : []),
        ]),
      ];
      const results = await within(queue.submit(keys), config.timeoutMs);
      const evaluated = results.reduce((sum, result) => sum + result.evaluated, 0);
      const stamped = results.reduce((sum, result) => sum + result.stamped, 0);
      const failures = results.flatMap((result) => result.failures);
      if (failures.length) {
        requestLog.error({ message: plan.message, users: evaluated, reason: failures[0].message }, "evaluation failed");
        return { status: 503, body: { error: `Could not evaluate ${failures.length} of ${evaluated} users; Dataverse may retry.` } };
      }
      requestLog.info({ message: plan.message, users: evaluated, stamped }, "event processed");
      return { status: 200, body: { evaluated, stamped } };
    } catch (error) {
      const reason =
        error instanceof OverloadedError ? `overloaded: ${error.message}` : error instanceof Error ? error.message : String(error);
      requestLog.error({ message: plan.message, reason }, "event not processed");
      return { status: 503, body: { error: "The service cannot process the event now; Dataverse may retry." } };
    }
  };

  return {
    authenticates,
    handle,
    health: () =>
      closing ? { status: 503, body: { status: "stopping" } } : { status: 200, body: { status: "ready", pendingUsers: queue.size } },
    reconcile,
    close: async () => {
      closing = true;
      if (schedule) clearInterval(schedule);
      await queue.drain();
    },
  };
}
