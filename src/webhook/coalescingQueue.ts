/**
 * Gathers the users of events that arrive together into one batch, so a burst of events for the
 * same user costs one evaluation. A user whose batch has already started goes into the next one
 * (its data may have changed after the read). Beyond `maxPending` users it refuses, so the caller
 * can answer 503 instead of taking work it cannot do in time.
 */
export class OverloadedError extends Error {}

interface Waiter<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function waiter<T>(): Waiter<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((_resolve, _reject) => {
    resolve = _resolve;
    reject = _reject;
  });
  return { promise, resolve, reject };
}

export class CoalescingQueue<T> {
  private pending = new Map<string, Waiter<T>>();
  private timer: NodeJS.Timeout | null = null;
  private running = 0;
  private readonly active = new Set<Promise<void>>();

  constructor(
    private readonly process: (keys: string[]) => Promise<Map<string, T>>,
    private readonly options: { windowMs: number; maxPending: number },
  ) {}

  /** Resolves with each key's result once its batch is done. */
  submit(keys: string[]): Promise<T[]> {
    const fresh = keys.filter((key) => !this.pending.has(key));
    if (this.pending.size + this.running + fresh.length > this.options.maxPending) {
      return Promise.reject(new OverloadedError(`${this.pending.size + this.running} users are waiting already`));
    }
    for (const key of fresh) this.pending.set(key, waiter<T>());
    const results = Promise.all(keys.map((key) => this.pending.get(key)!.promise));
    this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    return results;
  }

  get size(): number {
    return this.pending.size + this.running;
  }

  /** Runs what is pending now and waits for every batch to finish (shutdown). */
  async drain(): Promise<void> {
    if (this.timer) this.flush();
    while (this.active.size) await Promise.allSettled([...this.active]);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    if (batch.size === 0) return;
    this.running += batch.size;
    const run = (async () => {
      try {
        const results = await this.process([...batch.keys()]);
        for (const [key, entry] of batch) {
          const result = results.get(key);
          if (result === undefined) entry.reject(new Error(`no result for ${key}`));
          else entry.resolve(result);
        }
      } catch (error) {
        for (const entry of batch.values()) entry.reject(error);
      } finally {
        this.running -= batch.size;
      }
    })();
    this.active.add(run);
    void run.finally(() => this.active.delete(run));
  }
}
