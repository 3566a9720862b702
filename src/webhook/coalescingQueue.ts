/**
 * Shares work per key without skipping any: a key's events wait a short window and share one run
 * that starts after every one of them was received; events that arrive while the key's run is going
 * share exactly one follow-up run, started when that run ends. At most `concurrency` runs go at once;
 * beyond `maxPending` keys it refuses, so the caller can answer 503 instead of taking work it cannot
 * do in time.
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
  // A run can fail after its submitter stopped waiting (a timeout): that is not an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** One key's state: the run in progress, and the next run the events since then wait for. */
interface KeyState<T> {
  running: boolean;
  next: (Waiter<T> & { windowOver: boolean }) | null;
}

export class CoalescingQueue<T> {
  private readonly keys = new Map<string, KeyState<T>>();
  /** Keys whose window is over, waiting for a run slot, oldest first. */
  private readonly due: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly active = new Set<Promise<void>>();
  private runs = 0;
  /** Keys with a next run (in their window, or due). */
  private waiting = 0;

  constructor(
    private readonly process: (key: string) => Promise<T>,
    private readonly options: { windowMs: number; maxPending: number; concurrency: number },
  ) {}

  /** Resolves with each key's result from a run that started after this call. */
  submit(keys: string[]): Promise<T[]> {
    const unique = [...new Set(keys)];
    const fresh = unique.filter((key) => !this.keys.get(key)?.next);
    if (this.size + fresh.length > this.options.maxPending) {
      return Promise.reject(new OverloadedError(`${this.size} users are waiting already`));
    }
    return Promise.all(keys.map((key) => this.nextRun(key).promise));
  }

  /** Runs going or waiting. */
  get size(): number {
    return this.runs + this.waiting;
  }

  /** Ends every window now and waits until nothing is left to run (shutdown). */
  async drain(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const [key, state] of this.keys) if (state.next && !state.next.windowOver) this.windowOver(key);
    while (this.active.size) await Promise.allSettled([...this.active]);
  }

  private nextRun(key: string): Waiter<T> {
    let state = this.keys.get(key);
    if (!state) this.keys.set(key, (state = { running: false, next: null }));
    if (state.next) return state.next;
    const next = { ...waiter<T>(), windowOver: false };
    state.next = next;
    this.waiting++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.windowOver(key);
    }, this.options.windowMs);
    this.timers.add(timer);
    return next;
  }

  private windowOver(key: string): void {
    const state = this.keys.get(key);
    if (!state?.next) return;
    state.next.windowOver = true;
    // A key whose run is going waits for it to end (see `finished`): never two runs of one key at once.
    if (!state.running) this.due.push(key);
    this.pump();
  }

  private pump(): void {
    while (this.runs < this.options.concurrency && this.due.length) {
      const key = this.due.shift()!;
      const state = this.keys.get(key);
      if (!state?.next || state.running) continue;
      const batch = state.next;
      state.next = null;
      this.waiting--;
      state.running = true;
      this.runs++;
      const run = this.process(key)
        .then(batch.resolve, batch.reject)
        .finally(() => {
          this.runs--;
          this.active.delete(run);
          this.finished(key);
        });
      this.active.add(run);
    }
  }

  private finished(key: string): void {
    const state = this.keys.get(key)!;
    state.running = false;
    if (!state.next) this.keys.delete(key);
    else if (state.next.windowOver) this.due.push(key);
    this.pump();
  }
}
