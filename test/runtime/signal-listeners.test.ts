import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFireworksClientWithPolicy } from "../../src/core/client.js";
import {
  APIUserAbortError,
  type FireworksClient,
  getRlorTrainerJob,
  resumeRlorTrainerJob,
} from "../../src/index.js";
import {
  type FaultServer,
  hang,
  hangPast,
  json,
  reset,
  sampleJob,
  useFaultServer,
} from "../helpers/fault-server.js";
import { recordingPolicy } from "../helpers/retry-recorder.js";

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});

afterEach(() => {
  vi.useRealTimers();
});

/** Sleeps the (5 ms) backoffs for real, so the backoff's own listener is exercised too. */
function clientFor(): FireworksClient {
  return createFireworksClientWithPolicy(
    { apiKey: "test-key", accountId: "acme", baseUrl: server.url, timeout: 200 },
    recordingPolicy({ baseDelay: 5, wait: "real" }),
  );
}

const listeners = (signal: AbortSignal) => getEventListeners(signal, "abort").length;
const gateway = (status: number, code: number) => json(status, { code, message: "x", details: [] });

describe("a caller's long-lived AbortSignal keeps no listener once a call ends", () => {
  it.each([
    ["success", []],
    ["a refusal", [gateway(404, 5)]],
    ["retries with backoff sleeps, then success", [gateway(503, 14), reset()]],
    ["an attempt timeout, then success", [hangPast(200)]],
    ["retries used up", [gateway(503, 14), gateway(503, 14), gateway(503, 14)]],
    [
      "a reconciled refusal (with its read)",
      [reset(), gateway(400, 9), json(200, sampleJob({ state: "JOB_STATE_PENDING" }))],
    ],
  ] as const)("%s", async (_what, steps) => {
    // Fake time runs along with real time (the backoffs are still slept), and `hangPast` jumps it
    // past the attempt timeout without a real wait.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"], shouldAdvanceTime: true });
    const controller = new AbortController();
    server.script(...steps);
    const client = clientFor();
    for (let i = 0; i < 3; i++) {
      await resumeRlorTrainerJob(client, "job-1", { signal: controller.signal }).catch(
        () => undefined,
      );
      expect(listeners(controller.signal)).toBe(0);
    }
  });

  it("control: the count sees the listener of a pending call, and an abort removes it", async () => {
    const controller = new AbortController();
    server.script(hang());
    const call = getRlorTrainerJob(clientFor(), "job-1", {
      signal: controller.signal,
      maxRetries: 0,
      timeout: 60_000,
    });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    expect(listeners(controller.signal)).toBe(0);
  });

  it("an abort during a backoff sleep leaves no listener", async () => {
    const controller = new AbortController();
    server.script(gateway(503, 14));
    const policy = recordingPolicy({ baseDelay: 60_000, wait: "real" });
    const client = createFireworksClientWithPolicy(
      { apiKey: "test-key", accountId: "acme", baseUrl: server.url },
      policy,
    );
    const call = getRlorTrainerJob(client, "job-1", { signal: controller.signal });
    await vi.waitFor(() => expect(policy.delays).toEqual([60_000]));
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    expect(listeners(controller.signal)).toBe(0);
  });
});

describe("many calls sharing one signal", () => {
  it("print no MaxListenersExceededWarning, and leave no listener", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const client = clientFor();
      // Node warns from the 11th listener on one EventTarget.
      const calls = Array.from({ length: 25 }, (_, i) =>
        getRlorTrainerJob(client, `job-${i}`, { signal: controller.signal }),
      );
      await Promise.all(calls);
      // The warning is emitted on the next tick after the listener that crossed the limit.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
      expect(listeners(controller.signal)).toBe(0);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("all end when it aborts", async () => {
    const controller = new AbortController();
    server.script(...Array.from({ length: 15 }, () => hang()));
    const client = clientFor();
    const calls = Array.from({ length: 15 }, (_, i) =>
      getRlorTrainerJob(client, `job-${i}`, {
        signal: controller.signal,
        maxRetries: 0,
        timeout: 60_000,
      }),
    );
    await vi.waitFor(() => expect(server.requests).toHaveLength(15));
    controller.abort();
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    expect(listeners(controller.signal)).toBe(0);
  });
});
