import { afterEach, describe, expect, it, vi } from "vitest";
import type { FireworksClient } from "../../src/core/client.js";
import { InvalidArgumentError, WaitTimeoutError } from "../../src/core/errors.js";
import { createRlorTrainerJobAndWait } from "../../src/core/lifecycle.js";
import {
  resumeRlorTrainerJobAndWait,
  type WaitOptions,
  waitForRlorTrainerJob,
} from "../../src/core/wait.js";
import { useFake } from "../testing/fake-setup.js";
import { onFakeTime, useFakeClocks } from "./fake-time.js";

// Two clocks on every wait that can pass through PENDING: time in PENDING counts against
// `pendingTimeout` (default 48 h), all other time against `timeout` (default 15 min). The fake
// server holds a resumed job in PENDING for an hour of fake time.

const setup = useFake();

afterEach(() => {
  vi.useRealTimers();
});

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Polls every 5 minutes of fake time. */
const POLL = { pollInterval: 5 * MINUTE };

function statesSeen(): { seen: string[]; onStateChange: WaitOptions["onStateChange"] } {
  const seen: string[] = [];
  return { seen, onStateChange: (job) => seen.push(String(job.state).replace("JOB_STATE_", "")) };
}

describe("two clocks", () => {
  it("a resumed job held in PENDING longer than `timeout` (but not `pendingTimeout`) runs", async () => {
    useFakeClocks();
    const { client } = await setup({
      jobs: [{ id: "job-1", state: "JOB_STATE_PAUSED", resume: { pendingMs: HOUR } }],
    });
    const { seen, onStateChange } = statesSeen();
    const started = Date.now();
    const job = await onFakeTime(
      resumeRlorTrainerJobAndWait(client, "job-1", { ...POLL, onStateChange }),
    );
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(seen).toEqual(["PAUSED", "RE_QUEUEING", "PENDING", "RUNNING"]);
    // An hour in PENDING, four times the default `timeout` of 15 minutes.
    expect(Date.now() - started).toBeGreaterThan(HOUR);
  });

  it("RE_QUEUEING -> PENDING twice, longer than `timeout` in all, after a start outside PENDING", async () => {
    // The training SDK's readiness deadline starts at the first state outside PENDING and never
    // resets, so it gives up here; `timeout` only runs outside PENDING.
    useFakeClocks();
    const { client } = await setup({
      jobs: [
        {
          id: "job-1",
          resumed: true,
          resume: {
            staleReads: 0,
            path: [
              "JOB_STATE_RE_QUEUEING",
              "JOB_STATE_PENDING",
              "JOB_STATE_RE_QUEUEING",
              "JOB_STATE_PENDING",
            ],
            pendingMs: 40 * MINUTE,
          },
        },
      ],
    });
    const { seen, onStateChange } = statesSeen();
    const job = await onFakeTime(
      waitForRlorTrainerJob(client, "job-1", { ...POLL, timeout: 20 * MINUTE, onStateChange }),
    );
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(seen).toEqual(["RE_QUEUEING", "PENDING", "RE_QUEUEING", "PENDING", "RUNNING"]);
  });

  it("`pendingTimeout` still bounds the time in PENDING, and the error names it", async () => {
    useFakeClocks();
    const { client } = await setup({
      jobs: [{ id: "job-1", state: "JOB_STATE_PAUSED", resume: { pendingMs: HOUR } }],
    });
    const error = await onFakeTime(
      resumeRlorTrainerJobAndWait(client, "job-1", { ...POLL, pendingTimeout: 30 * MINUTE }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({
      budget: "pendingTimeout",
      timeout: 30 * MINUTE,
      job: { state: "JOB_STATE_PENDING" },
    });
    expect((error as Error).message).toBe(
      `Timed out after ${30 * MINUTE} ms in JOB_STATE_PENDING (queued for capacity) waiting for RLOR trainer job accounts/acme/rlorTrainerJobs/job-1 (last state JOB_STATE_PENDING); the \`pendingTimeout\` option raises this limit`,
    );
  });
});

describe("bad budgets", () => {
  const bad: [string, WaitOptions][] = [
    ["a negative timeout", { timeout: -1 }],
    ["a negative pendingTimeout", { pendingTimeout: -1 }],
    ["NaN", { pendingTimeout: Number.NaN }],
    ["a string timeout", { timeout: "15m" as unknown as number }],
    ["a numeric-string pendingTimeout", { pendingTimeout: "3600000" as unknown as number }],
  ];
  const waits: [string, (client: FireworksClient, options: WaitOptions) => Promise<unknown>][] = [
    ["wait", (client, options) => waitForRlorTrainerJob(client, "job-1", options)],
    ["resume", (client, options) => resumeRlorTrainerJobAndWait(client, "job-1", options)],
    ["create", (client, options) => createRlorTrainerJobAndWait(client, undefined, {}, options)],
  ];

  it.each(
    waits.flatMap(([name, start]) => bad.map(([what, options]) => [name, what, start, options])),
  )("%s refuses %s before sending anything", async (_, __, start, options) => {
    const { fake, client } = await setup({ jobs: [{ id: "job-1" }] });
    const error = await (start as (typeof waits)[number][1])(client, options as WaitOptions).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(fake.requests).toHaveLength(0);
  });
});
