import { afterEach, describe, expect, it, vi } from "vitest";
import type { FireworksClient } from "../../src/core/client.js";
import { InvalidArgumentError, JobStalledError, WaitTimeoutError } from "../../src/core/errors.js";
import { createRlorTrainerJobAndWait } from "../../src/core/lifecycle.js";
import { waitForRlorTrainerJobReady } from "../../src/core/ready.js";
import { StallWatch } from "../../src/core/stall.js";
import {
  resumeRlorTrainerJobAndWait,
  type WaitOptions,
  waitForRlorTrainerJob,
} from "../../src/core/wait.js";
import type { FakeJobInit } from "../../src/testing/index.js";
import { type Step, sampleJob, text } from "../helpers/fault-server.js";
import { useFake } from "../testing/fake-setup.js";
import { onFakeTime, useFakeClocks } from "./fake-time.js";
import { forever, jobIn, rejection, useScriptedServer } from "./scripted.js";

// A job that stays RUNNING while its updateTime and jobProgress stand still has stalled: the
// wait ends with JobStalledError after `stallTimeout` (default off).

afterEach(() => {
  vi.useRealTimers();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("StallWatch", () => {
  const running = (fields: Record<string, unknown> = {}) =>
    sampleJob({ state: "JOB_STATE_RUNNING", ...fields });
  const noScrub = (text: string) => text;

  /** The JobStalledError `observe` throws for `job`, or undefined. */
  function stallOf(watch: StallWatch, job: ReturnType<typeof running>): unknown {
    try {
      watch.observe(job);
    } catch (error) {
      return error;
    }
    return undefined;
  }

  it("stalls once nothing changed for the limit since the job was first seen RUNNING", () => {
    useFakeClocks();
    const watch = new StallWatch(10 * MINUTE, noScrub);
    const firstSeen = new Date();
    watch.observe(running());
    vi.advanceTimersByTime(10 * MINUTE - 1);
    expect(stallOf(watch, running())).toBeUndefined();
    vi.advanceTimersByTime(1);
    const error = stallOf(watch, running());
    expect(error).toBeInstanceOf(JobStalledError);
    expect(error).toMatchObject({
      stallTimeout: 10 * MINUTE,
      lastChange: "state",
      since: firstSeen,
      job: { state: "JOB_STATE_RUNNING" },
    });
  });

  it("starts again at each change of jobProgress, updateTime, or what sawChange is told", () => {
    useFakeClocks();
    const watch = new StallWatch(10 * MINUTE, noScrub);
    const still = { jobProgress: { percent: 2 }, updateTime: "2026-12-07T10:00:00Z" };
    watch.observe(running({ jobProgress: { percent: 1 } }));
    vi.advanceTimersByTime(9 * MINUTE);
    watch.observe(running({ jobProgress: { percent: 2 } }));
    vi.advanceTimersByTime(9 * MINUTE);
    const updated = new Date();
    watch.observe(running(still));
    vi.advanceTimersByTime(9 * MINUTE);
    expect(stallOf(watch, running(still))).toBeUndefined();
    vi.advanceTimersByTime(MINUTE);
    expect(stallOf(watch, running(still))).toMatchObject({
      lastChange: "updateTime",
      since: updated,
    });
    const probed = new Date();
    watch.sawChange("health probe");
    vi.advanceTimersByTime(9 * MINUTE);
    expect(stallOf(watch, running(still))).toBeUndefined();
    vi.advanceTimersByTime(MINUTE);
    expect(stallOf(watch, running(still))).toMatchObject({
      lastChange: "health probe",
      since: probed,
    });
  });

  it("counts a health probe whose answer differs from the last as a change, the same one not", () => {
    useFakeClocks();
    const watch = new StallWatch(10 * MINUTE, noScrub);
    const still = running({ jobProgress: { percent: 5 } });
    watch.observe(still);
    watch.sawOutcome("health probe", "404");
    vi.advanceTimersByTime(9 * MINUTE);
    const changed = new Date();
    watch.sawOutcome("health probe", "503");
    watch.observe(still);
    vi.advanceTimersByTime(9 * MINUTE);
    watch.sawOutcome("health probe", "503");
    expect(stallOf(watch, still)).toBeUndefined();
    vi.advanceTimersByTime(MINUTE);
    expect(stallOf(watch, still)).toMatchObject({ lastChange: "health probe", since: changed });
  });

  it("watches RUNNING only: leaving it ends the watch, coming back starts afresh", () => {
    useFakeClocks();
    const watch = new StallWatch(10 * MINUTE, noScrub);
    watch.observe(sampleJob({ state: "JOB_STATE_PENDING" }));
    vi.advanceTimersByTime(HOUR);
    watch.observe(sampleJob({ state: "JOB_STATE_PENDING" }));
    watch.observe(running());
    vi.advanceTimersByTime(9 * MINUTE);
    watch.observe(sampleJob({ state: "JOB_STATE_RE_QUEUEING" }));
    watch.observe(running());
    vi.advanceTimersByTime(9 * MINUTE);
    expect(() => watch.observe(running())).not.toThrow();
  });

  it.each([undefined, Number.POSITIVE_INFINITY])("is off for %s", (limit) => {
    useFakeClocks();
    const watch = new StallWatch(limit, noScrub);
    watch.observe(running());
    vi.advanceTimersByTime(1_000 * HOUR);
    expect(() => watch.observe(running())).not.toThrow();
  });
});

describe("a wait with stallTimeout, against the fake server on fake time", () => {
  const setup = useFake();
  const WAIT = {
    until: ["JOB_STATE_COMPLETED"],
    pollInterval: MINUTE,
    timeout: 2 * HOUR,
    stallTimeout: 10 * MINUTE,
  } satisfies WaitOptions;
  /** A job that runs for an hour, then completes. */
  const training = (init: Partial<FakeJobInit> = {}): FakeJobInit => ({
    id: "job-1",
    state: "JOB_STATE_PAUSED",
    resume: {
      staleReads: 0,
      path: ["JOB_STATE_RUNNING"],
      final: "JOB_STATE_COMPLETED",
      pollsPerStep: 1e9,
      msPerStep: HOUR,
    },
    ...init,
  });

  it("a job that makes progress at every poll completes, however long it runs", async () => {
    useFakeClocks();
    const { client } = await setup({ jobs: [training({ resumed: true })] });
    const job = await onFakeTime(waitForRlorTrainerJob(client, "job-1", WAIT));
    expect(job.state).toBe("JOB_STATE_COMPLETED");
    expect(job.jobProgress?.percent).toBeGreaterThan(10);
  });

  it("a stalled job ends the wait with JobStalledError, the job and what changed last", async () => {
    useFakeClocks();
    const { client } = await setup({
      jobs: [training({ resumed: true, lifecycle: { stall: true } })],
    });
    const started = Date.now();
    const error = await onFakeTime(waitForRlorTrainerJob(client, "job-1", WAIT)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(JobStalledError);
    const stalled = error as JobStalledError;
    expect(stalled).toMatchObject({
      stallTimeout: 10 * MINUTE,
      lastChange: "state",
      job: { state: "JOB_STATE_RUNNING", wandbConfig: { apiKey: "[REDACTED]" } },
    });
    // Ended by the stall, long before the job would have completed.
    expect(Date.now() - started).toBeLessThan(HOUR);
    expect(stalled.since.getTime()).toBeGreaterThanOrEqual(started);
    expect(stalled.message).toMatch(
      /^RLOR trainer job accounts\/acme\/rlorTrainerJobs\/job-1 made no progress for 600000 ms while JOB_STATE_RUNNING: its last change \(state\) was seen at \S+Z; the `stallTimeout` option sets this limit$/,
    );
  });

  it("resume-and-wait stalls the same way", async () => {
    useFakeClocks();
    const { fake, client } = await setup({ jobs: [training({ lifecycle: { stall: true } })] });
    const error = await onFakeTime(resumeRlorTrainerJobAndWait(client, "job-1", WAIT)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(JobStalledError);
    expect(fake.requests[0]?.url).toMatch(/:resume$/);
  });

  it("off by default: the stalled job is waited for until it completes", async () => {
    useFakeClocks();
    const { client } = await setup({
      jobs: [training({ resumed: true, lifecycle: { stall: true } })],
    });
    const { stallTimeout: _, ...withoutStall } = WAIT;
    const job = await onFakeTime(waitForRlorTrainerJob(client, "job-1", withoutStall));
    expect(job.state).toBe("JOB_STATE_COMPLETED");
  });
});

describe("what the stall watch reads, from a scripted server", () => {
  const scripted = useScriptedServer();
  const FAST = { until: ["JOB_STATE_COMPLETED"], pollInterval: 2, stallTimeout: 60 } as const;

  it("names updateTime when it changed last", async () => {
    const { server, client } = scripted;
    server.script(
      jobIn("JOB_STATE_RUNNING", {
        jobProgress: { percent: 5 },
        updateTime: "2026-12-07T10:00:00Z",
      }),
      jobIn("JOB_STATE_RUNNING", {
        jobProgress: { percent: 6 },
        updateTime: "2026-12-07T10:00:00Z",
      }),
    );
    forever(
      server,
      jobIn("JOB_STATE_RUNNING", {
        jobProgress: { percent: 6 },
        updateTime: "2026-12-07T10:01:00Z",
      }),
    );
    const error = await rejection(waitForRlorTrainerJob(client, "job-1", FAST));
    expect(error).toBeInstanceOf(JobStalledError);
    expect(error).toMatchObject({ lastChange: "updateTime" });
  });

  it("never stalls a job outside RUNNING: PENDING ends by its clock", async () => {
    const { server, client } = scripted;
    forever(server, jobIn("JOB_STATE_PENDING"));
    const error = await rejection(
      waitForRlorTrainerJob(client, "job-1", { ...FAST, pendingTimeout: 200 }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
  });
});

describe("a ready wait's stall watch sees the health probe, through the wait's polls", () => {
  const scripted = useScriptedServer();
  /** A RUNNING job whose progress stands still, as a hung trainer's does. */
  const frozen = jobIn("JOB_STATE_RUNNING", {
    jobProgress: { percent: 5 },
    updateTime: "2026-12-07T10:00:00Z",
  });
  const probe = (status: number) => text(status, "", {});
  /** The job to a GET, `status` to a probe. */
  const answering =
    (status: number): Step =>
    (response, request, body) =>
      (request.url?.endsWith("/api/v1/healthz") ? probe(status) : frozen)(response, request, body);

  it("a trainer whose probe answers differ from one poll to the next has not stalled", async () => {
    const { server, client } = scripted;
    // Eight rounds, each at least 22.5 ms apart: far past the 40 ms limit in all, but the probe
    // answers 404, 503, 404... and so differ at every poll.
    for (let round = 0; round < 8; round++) server.script(frozen, probe(round % 2 ? 503 : 404));
    server.script(frozen, probe(200));
    const ready = await waitForRlorTrainerJobReady(client, "job-1", {
      pollInterval: 25,
      stallTimeout: 40,
    });
    expect(ready.endpoint.jobId).toBe("job-1");
    expect(server.requests).toHaveLength(18);
  });

  it("one whose probe answers the same every poll has, and the error names the probe", async () => {
    const { server, client } = scripted;
    server.script(frozen, probe(404), frozen, probe(503));
    forever(server, answering(503));
    const error = await rejection(
      waitForRlorTrainerJobReady(client, "job-1", { pollInterval: 2, stallTimeout: 60 }),
    );
    expect(error).toBeInstanceOf(JobStalledError);
    expect(error).toMatchObject({ lastChange: "health probe" });
  });
});

describe("bad stallTimeout", () => {
  const setup = useFake();
  const waits: [string, (client: FireworksClient, options: WaitOptions) => Promise<unknown>][] = [
    ["wait", (client, options) => waitForRlorTrainerJob(client, "job-1", options)],
    ["resume", (client, options) => resumeRlorTrainerJobAndWait(client, "job-1", options)],
    ["create", (client, options) => createRlorTrainerJobAndWait(client, undefined, {}, options)],
  ];
  const bad = [0, -1, Number.NaN, "10m" as unknown as number];

  it.each(waits.flatMap(([name, start]) => bad.map((value) => [name, value, start] as const)))(
    "%s refuses %s before sending anything",
    async (_, stallTimeout, start) => {
      const { fake, client } = await setup({ jobs: [{ id: "job-1" }] });
      const error = await start(client, { stallTimeout }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(fake.requests).toHaveLength(0);
    },
  );
});
