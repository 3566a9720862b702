import { CoalescingQueue, OverloadedError } from "../../src/webhook/coalescingQueue";

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A queue whose runs are recorded with the time they started, and can be held open. */
function recorder(options: { windowMs: number; maxPending?: number; concurrency?: number; batchSize?: number }) {
  const runs: { key: string; startedAt: number }[] = [];
  const batches: string[][] = [];
  let gate: Promise<void> | null = null;
  let release = () => undefined as void;
  const queue = new CoalescingQueue<string>(
    async (keys) => {
      batches.push(keys);
      for (const key of keys) runs.push({ key, startedAt: Date.now() });
      if (gate) await gate;
      return keys.map((key) => `done ${key} #${runs.filter((run) => run.key === key).length}`);
    },
    { maxPending: 100, concurrency: 4, ...options },
  );
  return {
    queue,
    runs,
    batches,
    hold: () => {
      gate = new Promise<void>((resolve) => (release = resolve));
    },
    release: () => {
      gate = null;
      release();
    },
  };
}

describe("CoalescingQueue", () => {
  it("gives a key's events within its window one run, started after the last of them arrived", async () => {
    const { queue, runs } = recorder({ windowMs: 40 });
    const first = queue.submit(["a", "b"]);
    await later(15);
    const lastArrival = Date.now();
    const second = queue.submit(["a"]);
    const third = queue.submit(["b", "c"]);
    expect(await Promise.all([first, second, third])).toEqual([["done a #1", "done b #1"], ["done a #1"], ["done b #1", "done c #1"]]);
    expect(runs.map((run) => run.key).sort()).toEqual(["a", "b", "c"]);
    for (const run of runs) expect(run.startedAt).toBeGreaterThanOrEqual(lastArrival);
  });

  it("gives the events that arrive while a key runs exactly one follow-up run, after that run", async () => {
    const recorded = recorder({ windowMs: 5 });
    const { queue, runs } = recorded;
    recorded.hold();
    const first = queue.submit(["a"]);
    await later(20); // the run of "a" has started and is held
    expect(runs).toHaveLength(1);
    const during = Promise.all([queue.submit(["a"]), queue.submit(["a"]), queue.submit(["a"])]);
    await later(20); // their window is over, but "a" is still running: no second run yet
    expect(runs).toHaveLength(1);
    const released = Date.now();
    recorded.release();
    expect(await first).toEqual(["done a #1"]);
    expect(await during).toEqual([["done a #2"], ["done a #2"], ["done a #2"]]);
    expect(runs).toHaveLength(2);
    expect(runs[1].startedAt).toBeGreaterThanOrEqual(released);
  });

  it("runs at most `concurrency` keys at once", async () => {
    let running = 0;
    let most = 0;
    const queue = new CoalescingQueue<number>(
      async (keys) => {
        most = Math.max(most, ++running);
        await later(5);
        running--;
        return keys.map(() => 1);
      },
      { windowMs: 1, maxPending: 100, concurrency: 3 },
    );
    await queue.submit(Array.from({ length: 20 }, (_, index) => `k${index}`));
    expect(most).toBe(3);
  });

  it("runs keys whose windows end together in batches of at most batchSize, each key with its own result", async () => {
    const { queue, batches } = recorder({ windowMs: 5, batchSize: 3, concurrency: 1 });
    const results = await queue.submit(["a", "b", "c", "d", "a"]);
    expect(results).toEqual(["done a #1", "done b #1", "done c #1", "done d #1", "done a #1"]);
    expect(batches).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("refuses work beyond its bound instead of queueing it", async () => {
    const queue = new CoalescingQueue<string>(() => new Promise(() => undefined), { windowMs: 1000, maxPending: 2, concurrency: 4 });
    void queue.submit(["a", "b"]);
    await expect(queue.submit(["c"])).rejects.toBeInstanceOf(OverloadedError);
    await expect(queue.submit(["c"])).rejects.toThrow("2 users are waiting already");
    // A key already waiting costs nothing more: it is not refused.
    const again = queue.submit(["a"]).then(
      () => "resolved",
      () => "refused",
    );
    expect(await Promise.race([again, later(20).then(() => "waiting")])).toBe("waiting");
  });

  it("fails every waiter of a run that fails, and runs the key again for later events", async () => {
    let calls = 0;
    const queue = new CoalescingQueue<string>(() => (++calls === 1 ? Promise.reject(new Error("down")) : Promise.resolve(["ok"])), {
      windowMs: 1,
      maxPending: 10,
      concurrency: 1,
    });
    await expect(Promise.all([queue.submit(["a"]), queue.submit(["a"])])).rejects.toThrow("down");
    expect(await queue.submit(["a"])).toEqual(["ok"]);
  });

  it("drains: ends the windows now and finishes every run", async () => {
    const { queue, runs } = recorder({ windowMs: 60_000 });
    const pending = queue.submit(["a"]);
    await queue.drain();
    expect(runs).toHaveLength(1);
    expect(await pending).toEqual(["done a #1"]);
    expect(queue.size).toBe(0);
  });

  it("drains only once the runs going have ended", async () => {
    const recorded = recorder({ windowMs: 60_000 });
    recorded.hold();
    const pending = recorded.queue.submit(["a"]);
    let drained = false;
    const draining = recorded.queue.drain().then(() => (drained = true));
    await later(20);
    expect(recorded.runs).toHaveLength(1);
    expect(drained).toBe(false);
    recorded.release();
    await draining;
    expect(await pending).toEqual(["done a #1"]);
  });

  it("starts the follow-up run of a key only when its own window is over, even if the run before ends sooner", async () => {
    const recorded = recorder({ windowMs: 60 });
    const { queue, runs } = recorded;
    recorded.hold();
    const first = queue.submit(["a"]);
    await later(80); // the first run has started and is held
    const submitted = Date.now();
    const second = queue.submit(["a"]);
    recorded.release(); // the first run ends well inside the second's window
    expect(await first).toEqual(["done a #1"]);
    expect(await second).toEqual(["done a #2"]);
    expect(runs[1].startedAt - submitted).toBeGreaterThanOrEqual(55);
  });
});
