import { setTimeout as realDelay } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  APIUserAbortError,
  DEFAULT_RECONNECT_TIMEOUT,
  InvalidArgumentError,
  JobFailedError,
  JobStalledError,
  JobStuckError,
  NotFoundError,
  reconnectRlorTrainerJob,
  WaitTimeoutError,
} from "../../src/index.js";
import type { FakeFireworks } from "../../src/testing/index.js";
import { useFake } from "../testing/fake-setup.js";

const start = useFake();
const FAST = { pollInterval: 1, timeout: 20_000 };

afterEach(() => {
  vi.useRealTimers();
});

/** What the fake saw, in order: "get", "resume" or "probe". */
function calls(fake: FakeFireworks): string[] {
  return fake.requests.map((request) =>
    request.url.endsWith("/api/v1/healthz")
      ? "probe"
      : request.url.endsWith(":resume")
        ? "resume"
        : "get",
  );
}

function recordStates() {
  const seen: string[] = [];
  const onStateChange = (job: { state?: unknown }, previous: unknown) => {
    seen.push(`${String(previous ?? "-")}>${String(job.state)}`);
  };
  return { seen, onStateChange };
}

/**
 * Runs `promise` under fake time: moves the clock on by `stepMs` at a time, letting real I/O (the
 * requests to the fake) happen in between, until it settles. Only setTimeout and performance are
 * faked, so node:timers/promises still waits for real.
 */
async function underFakeTime<T>(promise: Promise<T>, stepMs: number, onStep?: () => void) {
  let done = false;
  const settled = promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  while (!done) {
    await realDelay(2);
    onStep?.();
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  await settled;
  return promise;
}

describe("reconnectRlorTrainerJob", () => {
  it("RUNNING: waits for the trainer to answer, without a resume", async () => {
    const { fake, client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", notReadyProbes: 1 }],
    });
    const { seen, onStateChange } = recordStates();
    const ready = await reconnectRlorTrainerJob(client, "job-1", { ...FAST, onStateChange });
    expect(ready.endpoint.jobName).toBe("accounts/acme/rlorTrainerJobs/job-1");
    expect(calls(fake)).toEqual(["get", "probe", "get", "probe"]);
    expect(seen).toEqual(["->JOB_STATE_RUNNING"]);
  });

  it.each(["JOB_STATE_PAUSED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_COMPLETED"])(
    "%s: resumes, then waits for the trainer to answer",
    async (state) => {
      const { fake, client } = await start({ jobs: [{ id: "job-1", state, notReadyProbes: 1 }] });
      const { seen, onStateChange } = recordStates();
      const ready = await reconnectRlorTrainerJob(client, "job-1", { ...FAST, onStateChange });
      expect(ready.job.state).toBe("JOB_STATE_RUNNING");
      expect(calls(fake)).toEqual(["get", "resume", "get", "get", "get", "probe", "get", "probe"]);
      // Each state once: the state read before the resume is not reported again after it.
      expect(seen).toEqual([
        `->${state}`,
        `${state}>JOB_STATE_RE_QUEUEING`,
        "JOB_STATE_RE_QUEUEING>JOB_STATE_PENDING",
        "JOB_STATE_PENDING>JOB_STATE_RUNNING",
      ]);
    },
  );

  it("on its way up (PENDING): waits, without a resume", async () => {
    const { fake, client } = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    const waiting = reconnectRlorTrainerJob(client, "job-1", FAST);
    // The job leaves PENDING once the reconnect has seen it there.
    await vi.waitFor(() => expect(calls(fake)).toContain("get"));
    fake.setJobState("job-1", "JOB_STATE_RUNNING");
    await waiting;
    expect(calls(fake)).not.toContain("resume");
  });

  it.each(["JOB_STATE_DELETED", "JOB_STATE_DELETING", "JOB_STATE_ARCHIVED"])(
    "%s: JobFailedError with deleted, nothing else sent",
    async (state) => {
      const { fake, client } = await start({ jobs: [{ id: "job-1", state }] });
      const error = await reconnectRlorTrainerJob(client, "job-1", FAST).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JobFailedError);
      expect(error).toMatchObject({ deleted: true, state });
      expect(calls(fake)).toEqual(["get"]);
    },
  );

  it("a job that is not there: NotFoundError", async () => {
    const { fake, client } = await start();
    const error = await reconnectRlorTrainerJob(client, "job-9", FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(calls(fake)).toEqual(["get"]);
  });

  it("a transitional state that settles: read every 10 s, read errors tolerated, then resumed", async () => {
    const { fake, client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_CANCELLING" }],
    });
    fake.failNext({ status: 503, body: '{"code":14,"message":"rescheduling"}' });
    const pollErrors: string[] = [];
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const startedAt = performance.now();
    const readTimes: number[] = [];
    const ready = await underFakeTime(
      reconnectRlorTrainerJob(client, "job-1", {
        pollInterval: 1_000,
        onPollError: (error) => pollErrors.push(error.name),
        onStateChange: (job) => {
          if (job.state === "JOB_STATE_CANCELLING") readTimes.push(performance.now() - startedAt);
        },
      }),
      500,
      () => {
        // After the failed read and two CANCELLING reads, the control plane settles it.
        if (readTimes.length === 1 && calls(fake).filter((c) => c === "get").length === 3) {
          fake.setJobState("job-1", "JOB_STATE_CANCELLED");
        }
      },
    );
    expect(ready.job.state).toBe("JOB_STATE_RUNNING");
    expect(pollErrors).toEqual(["InternalServerError"]);
    const gets = fake.requests.findIndex((request) => request.url.endsWith(":resume"));
    expect(calls(fake).slice(0, gets + 1)).toEqual(["get", "get", "get", "get", "resume"]);
    // The reads while settling are about 10 s apart (±10 % jitter): read 1 failed at 0 s.
    expect(readTimes[0]).toBeGreaterThanOrEqual(9_000);
    expect(readTimes[0]).toBeLessThanOrEqual(11_500);
  });

  it("a transitional state that does not settle: JobStuckError after 120 s naming the state and the way out", async () => {
    const { fake, client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_CANCELLING" }],
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const startedAt = performance.now();
    const error = await underFakeTime(
      reconnectRlorTrainerJob(client, "job-1").catch((e: unknown) => e),
      1_000,
    );
    const elapsed = performance.now() - startedAt;
    expect(error).toBeInstanceOf(JobStuckError);
    expect(error).toMatchObject({ settleTimeout: 120_000, state: "JOB_STATE_CANCELLING" });
    expect((error as Error).message).toBe(
      "RLOR trainer job accounts/acme/rlorTrainerJobs/job-1 is stuck in JOB_STATE_CANCELLING after 120000 ms (settleTimeout): cancel it and create a new one",
    );
    expect(elapsed).toBeGreaterThanOrEqual(120_000);
    expect(elapsed).toBeLessThan(125_000);
    const reads = calls(fake);
    expect(reads.every((call) => call === "get")).toBe(true);
    // Every 10 s (±10 %) for 120 s: the first read and 11 or 12 more.
    expect(reads.length).toBeGreaterThanOrEqual(11);
    expect(reads.length).toBeLessThanOrEqual(14);
  });

  it("waits 10 minutes outside PENDING by default, as the training SDK", async () => {
    const { client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", notReadyProbes: 1_000_000 }],
    });
    let probed: () => void = () => undefined;
    const firstProbe = new Promise<void>((resolve) => {
      probed = resolve;
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const waiting = reconnectRlorTrainerJob(client, "job-1", {
      pollInterval: 3_600_000,
      onProbe: () => probed(),
    }).catch((e: unknown) => e);
    await firstProbe;
    await vi.advanceTimersByTimeAsync(DEFAULT_RECONNECT_TIMEOUT);
    const error = await waiting;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ timeout: 600_000 });
  });

  it("counts a resumed job's time in PENDING against pendingTimeout, never against timeout", async () => {
    const { client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_FAILED", resume: { pendingMs: Infinity } }],
    });
    const { seen, onStateChange } = recordStates();
    // Held in PENDING for good: longer than `timeout` there, yet `pendingTimeout` is what ends it.
    const error = await reconnectRlorTrainerJob(client, "job-1", {
      pollInterval: 5,
      timeout: 400,
      pendingTimeout: 500,
      onStateChange,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ budget: "pendingTimeout", timeout: 500 });
    expect(seen.at(-1)).toBe("JOB_STATE_RE_QUEUEING>JOB_STATE_PENDING");
  });

  it("ends with JobStalledError when the job stays RUNNING, its trainer silent, with no progress", async () => {
    const { client } = await start({
      jobs: [
        {
          id: "job-1",
          state: "JOB_STATE_RUNNING",
          notReadyProbes: 1_000_000,
          lifecycle: { stall: true },
        },
      ],
    });
    const error = await reconnectRlorTrainerJob(client, "job-1", {
      pollInterval: 2,
      stallTimeout: 60,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobStalledError);
    expect(error).toMatchObject({ stallTimeout: 60, job: { state: "JOB_STATE_RUNNING" } });
  });

  it("stops at the caller's abort while the job settles, with nothing more sent", async () => {
    const { fake, client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_CANCELLING" }],
    });
    const controller = new AbortController();
    const error = await reconnectRlorTrainerJob(client, "job-1", {
      signal: controller.signal,
      onStateChange: () => controller.abort(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(calls(fake)).toEqual(["get"]);
  });

  it.each([
    ["a negative settleTimeout", { settleTimeout: -1 }, /settleTimeout/],
    ["a non-numeric settleTimeout", { settleTimeout: Number.NaN }, /settleTimeout/],
    ["a negative timeout", { timeout: -5 }, /timeout/],
    ["an untrusted origin", { trustedOrigins: ["http://10.0.0.1"] }, /trustedOrigins/],
    ["a malformed origin", { trustedOrigins: ["::"] }, /trustedOrigins/],
  ])("refuses %s before any request", async (_, options, message) => {
    const { fake, client } = await start({ jobs: [{ id: "job-1" }] });
    const error = await reconnectRlorTrainerJob(client, "job-1", options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
    expect(fake.requests).toHaveLength(0);
  });
});
