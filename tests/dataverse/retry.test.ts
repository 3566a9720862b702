import { DataverseError } from "../../src/dataverse/errors";
import { callDataverse, defaultSleep } from "../../src/dataverse/retry";

describe("callDataverse", () => {
  const sleep = jest.fn(() => Promise.resolve());
  beforeEach(() => sleep.mockClear());

  it("waits Retry-After and tries again when throttled", async () => {
    const onThrottled = jest.fn();
    const operation = jest.fn().mockRejectedValueOnce({ status: 429, retryAfter: 3, message: "slow" }).mockResolvedValueOnce("ok");
    await expect(callDataverse(operation, { sleep, onThrottled })).resolves.toBe("ok");
    expect(sleep).toHaveBeenCalledWith(3000);
    expect(onThrottled).toHaveBeenCalledWith(3, 1);
    expect(operation).toHaveBeenCalledTimes(2);
  });

  it("gives up after the last attempt with the mapped error", async () => {
    const operation = jest.fn().mockRejectedValue({ status: 429, retryAfter: 1, message: "slow" });
    await expect(callDataverse(operation, { sleep, maxAttempts: 3 })).rejects.toMatchObject({ kind: "throttled" });
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it("refuses to wait longer than allowed", async () => {
    const operation = jest.fn().mockRejectedValue({ status: 429, retryAfter: 3600, message: "slow" });
    await expect(callDataverse(operation, { sleep, maxWaitSeconds: 60 })).rejects.toBeInstanceOf(DataverseError);
    expect(sleep).not.toHaveBeenCalled();
  });

  it("waits exactly as long as allowed, and not a second more", async () => {
    const operation = jest.fn().mockRejectedValueOnce({ status: 429, retryAfter: 60, message: "slow" }).mockResolvedValueOnce("done");
    await expect(callDataverse(operation, { sleep, maxWaitSeconds: 60 })).resolves.toBe("done");
    expect(sleep).toHaveBeenCalledWith(60000);
    const longer = jest.fn().mockRejectedValue({ status: 429, retryAfter: 61, message: "slow" });
    await expect(callDataverse(longer, { sleep })).rejects.toMatchObject({ kind: "throttled", retryAfterSeconds: 61 });
    expect(longer).toHaveBeenCalledTimes(1);
  });

  it("uses a default wait when the throttle gives none", async () => {
    const operation = jest.fn().mockRejectedValueOnce({ errorCode: 0x80072322, message: "slow" }).mockResolvedValueOnce(1);
    await callDataverse(operation, { sleep, defaultRetryAfterSeconds: 5 });
    expect(sleep).toHaveBeenCalledWith(5000);
  });

  it.each([403, 404, 412, 500])("never retries a %i", async (status) => {
    const operation = jest.fn().mockRejectedValue({ status, message: "no" });
    await expect(callDataverse(operation, { sleep })).rejects.toBeInstanceOf(DataverseError);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it("sleeps for real by default", async () => {
    const started = Date.now();
    await defaultSleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
