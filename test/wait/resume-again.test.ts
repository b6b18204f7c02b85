import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import type { JobState } from "../../generated/operations.js";
import { APIUserAbortError, JobFailedError, WaitTimeoutError } from "../../src/core/errors.js";
import { cancelRlorTrainerJobAndWait } from "../../src/core/lifecycle.js";
import { resumeRlorTrainerJobAndWait, waitForRlorTrainerJob } from "../../src/core/wait.js";
import {
  calls,
  EMPTY,
  FAST,
  jobIn,
  recordStates,
  rejection,
  useScriptedServer,
} from "./scripted.js";

const scripted = useScriptedServer();

const BEFORE = "2026-03-01T10:00:00.000000Z";
const LATER = "2026-03-01T10:00:04.000000Z";
const EARLIER = "2026-03-01T09:59:00.000000Z";
const SAME_MS_LATER = "2026-03-01T10:00:00.000500Z";

describe("a job back in its pre-resume state", () => {
  it("sees a FAILED job fail again within one poll interval (issue 11)", async () => {
    const { server, client } = scripted;
    server.script(
      jobIn("JOB_STATE_FAILED", {
        completedTime: BEFORE,
        status: { code: "INTERNAL", message: "CUDA out of memory" },
      }),
      jobIn("JOB_STATE_FAILED", {
        completedTime: LATER,
        status: { code: "INTERNAL", message: "node lost" },
      }),
    );
    const error = await rejection(resumeRlorTrainerJobAndWait(client, "job-1", FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({ state: "JOB_STATE_FAILED", statusMessage: "node lost" });
    expect(server.requests).toHaveLength(2);
  });

  it.each<JobState>([
    "JOB_STATE_PAUSED",
    "JOB_STATE_FAILED",
    "JOB_STATE_CANCELLED",
    "JOB_STATE_COMPLETED",
    "JOB_STATE_EXPIRED",
    "JOB_STATE_EARLY_STOPPED",
  ])("tells a new %s (later completedTime) from the stale one", async (state) => {
    const { server, client } = scripted;
    server.script(
      jobIn(state, { completedTime: BEFORE }),
      jobIn(state, { completedTime: BEFORE }),
      jobIn(state, { completedTime: LATER }),
    );
    const job = await resumeRlorTrainerJobAndWait(client, "job-1", { ...FAST, until: [state] });
    expect(job.completedTime).toBe(LATER);
    expect(server.requests).toHaveLength(3);
  });

  it.each([
    ["a later update time", { updateTime: BEFORE }, { updateTime: LATER }],
    [
      "a later time within the same millisecond",
      { updateTime: BEFORE },
      { updateTime: SAME_MS_LATER },
    ],
    [
      "another status code",
      { status: { code: "OK", message: "" } },
      { status: { code: "INTERNAL", message: "" } },
    ],
    [
      "another status message",
      { status: { code: "INTERNAL", message: "a" } },
      { status: { code: "INTERNAL", message: "b" } },
    ],
  ])("tells a new state by %s", async (_, before, after) => {
    const { server, client } = scripted;
    server.script(jobIn("JOB_STATE_FAILED", before), jobIn("JOB_STATE_FAILED", after));
    const error = await rejection(resumeRlorTrainerJobAndWait(client, "job-1", FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(server.requests).toHaveLength(2);
  });

  it("takes an older read (an earlier time, whatever its status) as stale", async () => {
    const { server, client } = scripted;
    server.script(
      jobIn("JOB_STATE_FAILED", { completedTime: BEFORE, status: { code: "OK", message: "" } }),
      jobIn("JOB_STATE_FAILED", {
        completedTime: EARLIER,
        status: { code: "INTERNAL", message: "old" },
      }),
      jobIn("JOB_STATE_RUNNING"),
    );
    const job = await resumeRlorTrainerJobAndWait(client, "job-1", FAST);
    expect(job.state).toBe("JOB_STATE_RUNNING");
  });
});

describe("states that are not strings", () => {
  it("counts any JSON state as transitional and reports each change once", async () => {
    const { server, client } = scripted;
    server.script(
      jobIn(7),
      jobIn({ phase: "warming" }),
      jobIn({ phase: "warming" }),
      jobIn(["x"]),
      jobIn(null),
      jobIn(true),
      jobIn("JOB_STATE_RUNNING"),
    );
    const { seen, onStateChange } = recordStates();
    const job = await waitForRlorTrainerJob(client, "job-1", { ...FAST, onStateChange });
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(seen).toEqual([
      "->7",
      '7>{"phase":"warming"}',
      '{"phase":"warming"}>["x"]',
      '["x"]>null',
      "null>true",
      "true>RUNNING",
    ]);
  });

  it("waits on after a resume answered with a state that is not a string", async () => {
    const { server, client } = scripted;
    server.script(jobIn(18), jobIn("JOB_STATE_RUNNING"));
    expect((await resumeRlorTrainerJobAndWait(client, "job-1", FAST)).state).toBe(
      "JOB_STATE_RUNNING",
    );
  });
});

/** Everything a signal holds for others: its listeners and the signals AbortSignal.any made. */
function heldBy(signal: AbortSignal): number {
  const dependants = Object.getOwnPropertySymbols(signal).find(
    (symbol) => symbol.description === "kDependantSignals",
  );
  // Node keeps them in a set of its own (not `instanceof Set` here): read its size.
  const set: unknown = dependants === undefined ? undefined : Reflect.get(signal, dependants);
  const size: unknown = typeof set === "object" && set !== null ? Reflect.get(set, "size") : 0;
  return getEventListeners(signal, "abort").length + (typeof size === "number" ? size : 0);
}

describe("a caller's long-lived signal", () => {
  it("counts what AbortSignal.any leaves behind (the measure works)", () => {
    const signal = new AbortController().signal;
    AbortSignal.any([signal, new AbortController().signal]);
    expect(heldBy(signal)).toBe(1);
  });

  it("holds nothing once waits end, however they end", async () => {
    const { server, client } = scripted;
    const signal = new AbortController().signal;
    const options = { ...FAST, signal };
    for (let round = 0; round < 5; round += 1) {
      server.script(jobIn("JOB_STATE_RUNNING"));
      await waitForRlorTrainerJob(client, "job-1", options);
      server.script(jobIn("JOB_STATE_FAILED"));
      await rejection(waitForRlorTrainerJob(client, "job-1", options));
      server.script(jobIn("JOB_STATE_PENDING"));
      await rejection(
        waitForRlorTrainerJob(client, "job-1", {
          ...options,
          pollInterval: 3_600_000,
          pendingTimeout: 1,
        }),
      );
      server.script(jobIn("JOB_STATE_PAUSED"), jobIn("JOB_STATE_RUNNING"));
      await resumeRlorTrainerJobAndWait(client, "job-1", options);
      server.script(EMPTY, jobIn("JOB_STATE_CANCELLED"));
      await cancelRlorTrainerJobAndWait(client, "job-1", options);
    }
    expect(calls(server)).toHaveLength(35);
    expect(heldBy(signal)).toBe(0);
  });

  it("still stops a later wait when it aborts", async () => {
    const { server, client } = scripted;
    const controller = new AbortController();
    server.script(jobIn("JOB_STATE_RUNNING"));
    await waitForRlorTrainerJob(client, "job-1", { ...FAST, signal: controller.signal });
    server.script(jobIn("JOB_STATE_PENDING"));
    const error = await rejection(
      waitForRlorTrainerJob(client, "job-1", {
        pollInterval: 3_600_000,
        signal: controller.signal,
        onStateChange: () => controller.abort(),
      }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error).not.toBeInstanceOf(WaitTimeoutError);
  });
});
