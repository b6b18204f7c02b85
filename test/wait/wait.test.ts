import { afterEach, describe, expect, it, vi } from "vitest";
import { createFireworksClient, type FireworksClient } from "../../src/core/client.js";
import {
  type APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  type FireworksError,
  InternalServerError,
  InvalidArgumentError,
  JobFailedError,
  NotFoundError,
  PermissionDeniedError,
  WaitTimeoutError,
} from "../../src/core/errors.js";
import {
  resumeRlorTrainerJobAndWait,
  type WaitOptions,
  waitForRlorTrainerJob,
} from "../../src/core/wait.js";
import {
  type FakeFireworks,
  type FakeFireworksOptions,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { cutOff, hang, json, reset, sampleJob, startFaultServer } from "../helpers/fault-server.js";

let server: FakeFireworks | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

/** Starts a fake server and a client for it that does not retry on its own. */
async function setup(
  options: FakeFireworksOptions = {},
): Promise<{ fake: FakeFireworks; client: FireworksClient }> {
  const fake = await startFakeFireworks(options);
  server = fake;
  const client = createFireworksClient({
    apiKey: fake.apiKey,
    accountId: fake.accountId,
    baseUrl: fake.baseUrl,
    maxRetries: 0,
  });
  return { fake, client };
}

const FAST: WaitOptions = { pollInterval: 1, timeout: 20_000 };

function recordStates(): { seen: string[]; onStateChange: WaitOptions["onStateChange"] } {
  const seen: string[] = [];
  return { seen, onStateChange: (job, previous) => seen.push(`${previous ?? "-"}>${job.state}`) };
}

async function rejection(promise: Promise<unknown>): Promise<FireworksError> {
  try {
    await promise;
  } catch (error) {
    return error as FireworksError;
  }
  throw new Error("expected the promise to reject");
}

describe("resumeRlorTrainerJobAndWait", () => {
  it("resumes a PAUSED job and resolves once it runs, reporting every state change", async () => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1" }] });
    const { seen, onStateChange } = recordStates();
    const job = await resumeRlorTrainerJobAndWait(client, "job-1", { ...FAST, onStateChange });
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(seen).toEqual([
      "->JOB_STATE_PAUSED",
      "JOB_STATE_PAUSED>JOB_STATE_RE_QUEUEING",
      "JOB_STATE_RE_QUEUEING>JOB_STATE_PENDING",
      "JOB_STATE_PENDING>JOB_STATE_RUNNING",
    ]);
    expect(fake.requests.map((request) => request.method)).toEqual(["POST", "GET", "GET", "GET"]);
  });

  it("does not take the pre-resume FAILED state, still shown for a while, as a failure", async () => {
    const { client } = await setup({
      jobs: [{ id: "job-1", state: "JOB_STATE_FAILED", resume: { staleReads: 3 } }],
    });
    const job = await resumeRlorTrainerJobAndWait(client, "job-1", FAST);
    expect(job.state).toBe("JOB_STATE_RUNNING");
  });

  it("fails once the job has left its pre-resume state and comes back to it", async () => {
    const { client } = await setup({
      jobs: [{ id: "job-1", state: "JOB_STATE_FAILED", resume: { fail: "node lost" } }],
    });
    const error = await rejection(resumeRlorTrainerJobAndWait(client, "job-1", FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({
      state: "JOB_STATE_FAILED",
      statusMessage: "node lost",
      deleted: false,
    });
  });

  it("does not take a COMPLETED job's stale COMPLETED for the target COMPLETED", async () => {
    const { fake, client } = await setup({
      jobs: [
        {
          id: "job-1",
          state: "JOB_STATE_COMPLETED",
          resume: {
            staleReads: 2,
            path: ["JOB_STATE_RE_QUEUEING", "JOB_STATE_PENDING", "JOB_STATE_RUNNING"],
            final: "JOB_STATE_COMPLETED",
          },
        },
      ],
    });
    const { seen, onStateChange } = recordStates();
    const job = await resumeRlorTrainerJobAndWait(client, "job-1", {
      ...FAST,
      until: ["JOB_STATE_COMPLETED"],
      onStateChange,
    });
    expect(job.state).toBe("JOB_STATE_COMPLETED");
    expect(seen).toEqual([
      "->JOB_STATE_COMPLETED",
      "JOB_STATE_COMPLETED>JOB_STATE_RE_QUEUEING",
      "JOB_STATE_RE_QUEUEING>JOB_STATE_PENDING",
      "JOB_STATE_PENDING>JOB_STATE_RUNNING",
      "JOB_STATE_RUNNING>JOB_STATE_COMPLETED",
    ]);
    // The resume, one GET still showing COMPLETED, then one GET per step.
    expect(fake.requests.map((request) => request.method)).toEqual([
      "POST",
      "GET",
      "GET",
      "GET",
      "GET",
      "GET",
    ]);
  });

  it("takes a resume response already showing RUNNING as the new state, not a stale one", async () => {
    const { fake, client } = await setup({
      jobs: [{ id: "job-1", resume: { staleReads: 0, path: [] } }],
    });
    const job = await resumeRlorTrainerJobAndWait(client, "job-1", FAST);
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(fake.requests.map((request) => request.method)).toEqual(["POST"]);
  });

  it("takes a refused resume of a job already RUNNING as done (one look, no polling)", async () => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING" }] });
    const { seen, onStateChange } = recordStates();
    const job = await resumeRlorTrainerJobAndWait(client, "job-1", { ...FAST, onStateChange });
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(seen).toEqual(["->JOB_STATE_RUNNING"]);
    expect(fake.requests.map((request) => request.method)).toEqual(["POST", "GET"]);
  });

  it("waits on from a refused resume of a job already on its way (PENDING)", async () => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    const { seen, onStateChange } = recordStates();
    const job = await resumeRlorTrainerJobAndWait(client, "job-1", {
      ...FAST,
      onStateChange: (current, previous) => {
        onStateChange?.(current, previous);
        if (current.state === "JOB_STATE_PENDING") fake.setJobState("job-1", "JOB_STATE_RUNNING");
      },
    });
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(seen).toEqual(["->JOB_STATE_PENDING", "JOB_STATE_PENDING>JOB_STATE_RUNNING"]);
    expect(fake.requests.map((request) => request.method)).toEqual(["POST", "GET", "GET"]);
  });

  it("passes on the server's refusal to resume a job that is not where the wait goes", async () => {
    const { fake, client } = await setup({
      jobs: [{ id: "job-1", state: "JOB_STATE_CANCELLING" }],
    });
    const error = await rejection(resumeRlorTrainerJobAndWait(client, "job-1", FAST));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ code: "FAILED_PRECONDITION" });
    expect(fake.requests.map((request) => request.method)).toEqual(["POST", "GET"]);
  });
});

describe("waitForRlorTrainerJob terminal states", () => {
  it.each([
    "JOB_STATE_FAILED",
    "JOB_STATE_CANCELLED",
    "JOB_STATE_EXPIRED",
    "JOB_STATE_EARLY_STOPPED",
    "JOB_STATE_COMPLETED",
  ])("fails on %s when waiting for RUNNING", async (final) => {
    const { client } = await setup({ jobs: [{ id: "job-1", resume: { final } }] });
    const error = await rejection(resumeRlorTrainerJobAndWait(client, "job-1", FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({ state: final, deleted: false });
  });

  it.each([
    "JOB_STATE_DELETING",
    "JOB_STATE_DELETING_CLEANING_UP",
    "JOB_STATE_DELETED",
    "JOB_STATE_ARCHIVED",
  ])("fails as deleted on %s", async (state) => {
    const { client } = await setup({ jobs: [{ id: "job-1", state }] });
    const error = await rejection(waitForRlorTrainerJob(client, "job-1", FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({ state, deleted: true });
  });

  it("quotes status.message and redacts the job it carries", async () => {
    const { client } = await setup();
    server?.addJob({
      id: "job-1",
      state: "JOB_STATE_FAILED",
      body: { status: { code: "INTERNAL", message: "CUDA out of memory" } },
    });
    const error = await rejection(waitForRlorTrainerJob(client, "job-1", FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.message).toContain("CUDA out of memory");
    expect((error as JobFailedError).job.wandbConfig?.apiKey).toBe("[REDACTED]");
  });

  it("resolves on any state given in `until`, failed ones included", async () => {
    const { client } = await setup({ jobs: [{ id: "job-1", state: "JOB_STATE_FAILED" }] });
    const job = await waitForRlorTrainerJob(client, "job-1", {
      ...FAST,
      until: ["JOB_STATE_COMPLETED", "JOB_STATE_FAILED"],
    });
    expect(job.state).toBe("JOB_STATE_FAILED");
  });

  it("treats unknown states as transitional", async () => {
    const { client } = await setup({
      jobs: [{ id: "job-1", resume: { path: ["JOB_STATE_WARMING_UP", "JOB_STATE_PAUSED"] } }],
    });
    const { seen, onStateChange } = recordStates();
    const job = await resumeRlorTrainerJobAndWait(client, "job-1", { ...FAST, onStateChange });
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(seen).toContain("JOB_STATE_PAUSED>JOB_STATE_WARMING_UP");
  });
});

describe("waitForRlorTrainerJob errors, timeout and abort", () => {
  it("keeps polling through retryable errors (5xx, 429, 409)", async () => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    fake.failNext({ status: 503, body: "" });
    fake.failNext({
      status: 429,
      body: JSON.stringify({ code: 8, message: "slow down", details: [] }),
    });
    fake.failNext({
      status: 409,
      body: JSON.stringify({ code: 10, message: "busy", details: [] }),
    });
    const errors: FireworksError[] = [];
    const pending = waitForRlorTrainerJob(client, "job-1", {
      ...FAST,
      onPollError: (error) => {
        errors.push(error);
        if (errors.length === 3) fake.setJobState("job-1", "JOB_STATE_RUNNING");
      },
    });
    expect((await pending).state).toBe("JOB_STATE_RUNNING");
    expect(errors.map((error) => error.name)).toEqual([
      "InternalServerError",
      "RateLimitError",
      "ConflictError",
    ]);
    expect(errors[0]).toBeInstanceOf(InternalServerError);
  });

  it("keeps polling through a 408, like the client's own retries", async () => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    fake.failNext({ status: 408, body: JSON.stringify({ code: 4, message: "", details: [] }) });
    const statuses: unknown[] = [];
    const job = await waitForRlorTrainerJob(client, "job-1", {
      ...FAST,
      onPollError: (error) => {
        statuses.push((error as APIError).status);
        fake.setJobState("job-1", "JOB_STATE_RUNNING");
      },
    });
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(statuses).toEqual([408]);
  });

  it("keeps polling through resets, cut-off bodies and attempt timeouts", async () => {
    const fault = await startFaultServer();
    // Fake time runs along with real time, and jumps ahead once the hanging request is in (its
    // attempt timer is set before it is sent): the attempt timeout ends it without a real wait.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"], shouldAdvanceTime: true });
    try {
      const client = createFireworksClient({
        apiKey: "fw-test-key",
        baseUrl: fault.url,
        maxRetries: 0,
        timeout: 60_000,
      });
      fault.script(
        reset(),
        cutOff(200, '{"name":'),
        () => vi.advanceTimersByTime(60_000),
        json(200, sampleJob({ state: "JOB_STATE_PENDING" })),
      );
      const errors: string[] = [];
      const job = await waitForRlorTrainerJob(client, "accounts/acme/rlorTrainerJobs/job-1", {
        pollInterval: 10,
        timeout: Number.POSITIVE_INFINITY,
        onPollError: (error) => errors.push(error.name),
      });
      expect(job.state).toBe("JOB_STATE_RUNNING");
      expect(errors).toEqual(["APIConnectionError", "APIConnectionError", "APITimeoutError"]);
      expect(fault.requests).toHaveLength(5);
    } finally {
      vi.useRealTimers();
      await fault.close();
    }
  });

  it.each([
    [403, PermissionDeniedError],
    [401, AuthenticationError],
  ])("ends the wait on a non-retryable %d", async (status, type) => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    fake.failNext({ status, body: JSON.stringify({ code: 7, message: "", details: [] }) });
    expect(await rejection(waitForRlorTrainerJob(client, "job-1", FAST))).toBeInstanceOf(type);
  });

  it("ends the wait on an unknown job", async () => {
    const { client } = await setup();
    expect(await rejection(waitForRlorTrainerJob(client, "missing", FAST))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it.each([
    ["with the last job seen", "JOB_STATE_CREATING", "timeout", 2_000],
    ["in PENDING after `pendingTimeout`", "JOB_STATE_PENDING", "pendingTimeout", 2_000],
    [
      "after a timeout longer than setTimeout can take",
      "JOB_STATE_CREATING",
      "timeout",
      2 ** 31 + 1_000,
    ],
  ] as const)(
    "times out %s, naming the budget and its option",
    async (_, state, budget, limit) => {
      const { client } = await setup({ jobs: [{ id: "job-1", state }] });
      let polled: () => void = () => undefined;
      const firstPoll = new Promise<void>((resolve) => {
        polled = resolve;
      });
      // Only the wait's own deadline uses the global setTimeout once the first poll is in; the
      // longest poll interval there is keeps the polls (real requests) during the jump few.
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      try {
        const pending = rejection(
          waitForRlorTrainerJob(client, "job-1", {
            pollInterval: 2 ** 31 - 1,
            [budget]: limit,
            onStateChange: () => polled(),
          }),
        );
        await firstPoll;
        await vi.advanceTimersByTimeAsync(limit);
        const error = await pending;
        expect(error).toBeInstanceOf(WaitTimeoutError);
        expect(error).toMatchObject({ timeout: limit, budget, job: { state } });
        expect(error.message).toContain(`; the \`${budget}\` option raises this limit`);
      } finally {
        vi.useRealTimers();
      }
    },
    10_000,
  );

  it("times out while a poll is still in flight", async () => {
    const fault = await startFaultServer();
    try {
      // The client would wait 60 s for this answer; the wait's own timeout must not.
      const client = createFireworksClient({ apiKey: "fw-test-key", baseUrl: fault.url });
      fault.script(hang());
      const error = await rejection(
        waitForRlorTrainerJob(client, "accounts/acme/rlorTrainerJobs/job-1", { timeout: 100 }),
      );
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect(fault.requests).toHaveLength(1);
    } finally {
      await fault.close();
    }
  });

  it("times out without a job when every poll failed", async () => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1" }] });
    fake.failNext({ status: 500, body: "" }, 10_000);
    const error = await rejection(
      waitForRlorTrainerJob(client, "job-1", { pollInterval: 10, timeout: 50 }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).job).toBeUndefined();
  });

  it("stops during the sleep between polls when the signal aborts", async () => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    const controller = new AbortController();
    // A one-hour poll interval: only the abort can end this wait within the test timeout.
    const pending = waitForRlorTrainerJob(client, "job-1", {
      pollInterval: 3_600_000,
      signal: controller.signal,
      onStateChange: () => controller.abort(),
    });
    expect(await rejection(pending)).toBeInstanceOf(APIUserAbortError);
    expect(fake.requests).toHaveLength(1);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1" }] });
    const signal = AbortSignal.abort();
    expect(
      await rejection(resumeRlorTrainerJobAndWait(client, "job-1", { signal })),
    ).toBeInstanceOf(APIUserAbortError);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    [{ pollInterval: 0 }],
    [{ until: [] }],
    [{ timeout: -1 }],
    // One state as a string, not a list: its characters are no states to wait for.
    [{ until: "JOB_STATE_RUNNING" }],
    [{ until: [42] }],
  ] as WaitOptions[][])("rejects bad options %j before sending", async (options) => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    expect(await rejection(waitForRlorTrainerJob(client, "job-1", options))).toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(fake.requests).toHaveLength(0);
  });
});
