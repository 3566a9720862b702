import type { FastifyReply, FastifyRequest } from "fastify";
/**
 * Fault injection per route, for tests and the harness: a status with Dataverse's error body
 * (429 with Retry-After, 5xx, 401, …), a dropped connection, or added latency.
 */
export interface Fault {
  /** HTTP methods to match, e.g. "PATCH" or "PATCH|POST|DELETE"; any when absent. */
  method?: string;
  /** Regular expression tested against the path after /api/data/v9.2/; any when absent. */
  path?: string;
  status?: number;
  code?: string;
  message?: string;
  /** Seconds, sent as Retry-After (429). */
  retryAfter?: number;
  /** Destroy the connection instead of answering: a network failure. */
  network?: boolean;
  latencyMs?: number;
  /** How many matching requests it affects; 1 when absent. */
  times?: number;
}

export class FaultPlan {
  private faults: (Fault & { remaining: number })[] = [];

  add(fault: Fault): void {
    if (fault.path !== undefined) new RegExp(fault.path); // reject a bad pattern now, not per request
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map(({ remaining, ...fault }) => ({ ...fault, times: remaining }));
  }

  /** The first fault matching this request, used up by one. */
  take(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(
      (fault) =>
        (!fault.method || fault.method.toUpperCase().split("|").includes(method.toUpperCase())) &&
        (!fault.path || new RegExp(fault.path).test(path)),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (--fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }
}

/**
 * The part of a fault every service plays the same way: its latency first, then, for a network
 * fault, the connection dropped without an answer (true: nothing more to send).
 */
export async function delayOrDrop(fault: Fault, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (!fault.network) return false;
  reply.hijack();
  request.raw.socket.destroy();
  return true;
}
