/**
 * Shares work per key without skipping any: a key's events wait a short window and share one run
 * that starts after every one of them was received; events that arrive while the key's run is going
 * share exactly one follow-up run, started when that run ends. When a key's window ends, every other
 * key waiting in its window (and not running) ends its window too and runs with it, up to `batchSize`
 * keys in one run, so one read serves them all: a run still starts after every event it covers was
 * received, and later events get a run of their own. At most `concurrency` runs go at once; beyond
 * `maxPending` keys it refuses, so the caller can answer 503 instead of taking work it cannot do in time.
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
  next: (Waiter<T> & { windowOver: boolean; timer: NodeJS.Timeout }) | null;
}

export class CoalescingQueue<T> {
  private readonly keys = new Map<string, KeyState<T>>();
  /** Keys whose window is over, waiting for a run slot, oldest first. */
  private readonly due: string[] = [];
  private readonly active = new Set<Promise<void>>();
  private runs = 0;
  /** Keys with a next run (in their window, or due). */
  private waiting = 0;

  constructor(
    /** Runs a batch of keys, answering one result per key, in their order. */
    private readonly process: (keys: string[]) => Promise<T[]>,
    private readonly options: { windowMs: number; maxPending: number; concurrency: number; batchSize?: number },
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
    for (const [key, state] of this.keys) if (state.next && !state.next.windowOver) this.windowOver(key);
    while (this.active.size) await Promise.allSettled([...this.active]);
  }

  private nextRun(key: string): Waiter<T> {
    let state = this.keys.get(key);
    if (!state) this.keys.set(key, (state = { running: false, next: null }));
    if (state.next) return state.next;
    const next = { ...waiter<T>(), windowOver: false, timer: setTimeout(() => this.windowOver(key), this.options.windowMs) };
    state.next = next;
    this.waiting++;
    return next;
  }

  /** A key's window is over: it is due, and so is every other key waiting in its window that is not running. */
  private windowOver(key: string): void {
    const state = this.keys.get(key);
    if (!state?.next || state.next.windowOver) return;
    this.endWindow(key, state);
    for (const [other, otherState] of this.keys)
      if (!otherState.running && otherState.next && !otherState.next.windowOver) this.endWindow(other, otherState);
    this.pump();
  }

  private endWindow(key: string, state: KeyState<T>): void {
    const next = state.next!;
    next.windowOver = true;
    clearTimeout(next.timer);
    // A key whose run is going waits for it to end (see `finished`): never two runs of one key at once.
    if (!state.running) this.due.push(key);
  }

  private pump(): void {
    while (this.runs < this.options.concurrency && this.due.length) {
      const batch: { key: string; waiter: Waiter<T> }[] = [];
      while (this.due.length && batch.length < (this.options.batchSize ?? 1)) {
        const key = this.due.shift()!;
        const state = this.keys.get(key);
        if (!state?.next || state.running || batch.some((taken) => taken.key === key)) continue;
        batch.push({ key, waiter: state.next });
        state.next = null;
        this.waiting--;
        state.running = true;
      }
      if (!batch.length) continue;
      this.runs++;
      const run = this.process(batch.map((taken) => taken.key))
        .then(
          (results) => batch.forEach((taken, index) => taken.waiter.resolve(results[index])),
          (error: unknown) => batch.forEach((taken) => taken.waiter.reject(error)),
        )
        .finally(() => {
          this.runs--;
          this.active.delete(run);
          for (const taken of batch) this.finished(taken.key);
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
