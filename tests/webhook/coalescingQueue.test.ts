import { CoalescingQueue, OverloadedError } from "../../src/webhook/coalescingQueue";

describe("CoalescingQueue", () => {
  it("gives events that arrive together one evaluation per key", async () => {
    const batches: string[][] = [];
    const queue = new CoalescingQueue<string>(
      (keys) => {
        batches.push(keys);
        return Promise.resolve(new Map(keys.map((key) => [key, `done ${key}`])));
      },
      { windowMs: 5, maxPending: 100 },
    );
    const results = await Promise.all([queue.submit(["a", "b"]), queue.submit(["a"]), queue.submit(["b", "c"])]);
    expect(batches).toEqual([["a", "b", "c"]]);
    expect(results).toEqual([["done a", "done b"], ["done a"], ["done b", "done c"]]);
  });

  it("puts a key whose batch already started into the next batch", async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new CoalescingQueue<string>(
      async (keys) => {
        batches.push(keys);
        if (batches.length === 1) await gate;
        return new Map(keys.map((key) => [key, "ok"]));
      },
      { windowMs: 1, maxPending: 100 },
    );
    const first = queue.submit(["a"]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = queue.submit(["a"]);
    release();
    await Promise.all([first, second]);
    expect(batches).toEqual([["a"], ["a"]]);
  });

  it("refuses work beyond its bound instead of queueing it", async () => {
    const queue = new CoalescingQueue<string>(() => new Promise(() => undefined), { windowMs: 1000, maxPending: 2 });
    void queue.submit(["a", "b"]);
    await expect(queue.submit(["c"])).rejects.toBeInstanceOf(OverloadedError);
  });

  it("fails every waiter of a batch that fails", async () => {
    const queue = new CoalescingQueue<string>(() => Promise.reject(new Error("down")), { windowMs: 1, maxPending: 10 });
    await expect(queue.submit(["a"])).rejects.toThrow("down");
  });
});
