import { toDataverseError } from "./errors";

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** Wait when Dataverse throttles without saying how long (Xrm.WebApi does not pass Retry-After on). */
  defaultRetryAfterSeconds?: number;
  /** Longest single wait; a longer Retry-After fails instead of freezing the caller. */
  maxWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told before each wait, so a UI or log can say what is happening. */
  onThrottled?: (seconds: number, attempt: number) => void;
}

/** Waits on a real timer; callers inject their own in tests. */
export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one Web API call and maps any failure through the one error mapper. Only throttling is
 * retried: Dataverse did not execute a throttled request, so repeating it is safe even for writes.
 */
export async function callDataverse<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (raw) {
      const error = toDataverseError(raw);
      if (error.kind !== "throttled" || attempt >= maxAttempts) throw error;
      const seconds = error.retryAfterSeconds ?? options.defaultRetryAfterSeconds ?? 2;
      if (seconds > (options.maxWaitSeconds ?? 60)) throw error;
      options.onThrottled?.(seconds, attempt);
      await sleep(seconds * 1000);
    }
  }
}
