// Reconnect: get back to a ready trainer from wherever the job is, as the training SDK's
// reconnect_and_wait does, without first asking what state it is in.

import type { RlorTrainerJobRef } from "../../generated/names.js";
import type { JobState, RlorTrainerJob } from "../../generated/operations.js";
import { quote } from "../../generated/runtime.js";
import { type FireworksClient, scrubberOf } from "./client.js";
import { FireworksError, WaitTimeoutError } from "./errors.js";
import type { ReadyTrainerJob } from "./health.js";
import { readyCheckFor } from "./health.js";
import { resolveJob } from "./job-name.js";
import { ReadyTracking, type ReadyWaitOptions, startReadyWait } from "./ready.js";
import { redactJson, scrubberWithSecretsOf } from "./redact.js";
import {
  checkLimit,
  DEFAULT_PENDING_TIMEOUT,
  pollJob,
  resumeAndPoll,
  type WaitDefaults,
  type WaitOptions,
} from "./wait.js";
import { DELETED_JOB_STATES, type StateListener } from "./wait-tracker.js";

/** How long a job in a transitional state may take to settle: 120 s, as the training SDK. */
export const DEFAULT_SETTLE_TIMEOUT = 120_000;
/** How often a job that is settling is read again: every 10 s, as the training SDK. */
export const SETTLE_POLL_INTERVAL = 10_000;
/** How long reconnect waits for the trainer outside PENDING: 10 minutes, as the training SDK. */
export const DEFAULT_RECONNECT_TIMEOUT = 10 * 60_000;

/** Options of reconnectRlorTrainerJob. */
export interface ReconnectOptions extends Omit<ReadyWaitOptions, "initialState"> {
  /**
   * How long (ms) a job in a transitional state (CANCELLING, WRITING_RESULTS, a state this
   * package does not know...) may take to reach one reconnect can go on from; default 120 s.
   * It is read every 10 s meanwhile, read errors that say nothing about the job tolerated.
   */
  settleTimeout?: number | undefined;
}

const RECONNECT_DEFAULTS: WaitDefaults = {
  until: ["JOB_STATE_RUNNING"],
  timeout: DEFAULT_RECONNECT_TIMEOUT,
  pendingTimeout: DEFAULT_PENDING_TIMEOUT,
};

/** States a job rests in until resumed, and that the API resumes. */
const RESUMABLE_STATES: ReadonlySet<string> = new Set<JobState>([
  "JOB_STATE_PAUSED",
  "JOB_STATE_FAILED",
  "JOB_STATE_CANCELLED",
  "JOB_STATE_COMPLETED",
]);

/**
 * States reconnect goes on from: resumable ones (resume), the job up or on its way up (wait for
 * ready), and ones a wait fails on at once (deleted or deleting, expired, stopped early).
 * Any other state is one the control plane is still settling.
 */
const SETTLED_STATES: readonly JobState[] = [
  "JOB_STATE_PAUSED",
  "JOB_STATE_FAILED",
  "JOB_STATE_CANCELLED",
  "JOB_STATE_COMPLETED",
  "JOB_STATE_CREATING",
  "JOB_STATE_RE_QUEUEING",
  "JOB_STATE_PENDING",
  "JOB_STATE_RUNNING",
  "JOB_STATE_EXPIRED",
  "JOB_STATE_EARLY_STOPPED",
  ...([...DELETED_JOB_STATES] as JobState[]),
];

/**
 * A job that stayed in a transitional state for the whole `settleTimeout` of a reconnect (or
 * could not be read that long): neither resumable nor on its way up.
 */
export class JobStuckError extends FireworksError {
  override name = "JobStuckError" as const;
  /** The job last read, redacted; undefined when no read answered. */
  readonly job: RlorTrainerJob | undefined;
  /** The state it is stuck in, as the server sent it. */
  readonly state: unknown;
  /** The settle timeout in ms. */
  readonly settleTimeout: number;

  constructor(
    ref: string,
    job: RlorTrainerJob | undefined,
    settleTimeout: number,
    scrub?: (text: string) => string,
  ) {
    const clean = scrubberWithSecretsOf(job, scrub);
    const state: unknown = job?.state;
    const where =
      job === undefined
        ? "could not be read"
        : `is stuck in ${typeof state === "string" ? state : quote(JSON.stringify(state) ?? "no state")}`;
    super(
      clean(
        `RLOR trainer job ${ref} ${where} after ${settleTimeout} ms (settleTimeout): cancel it and create a new one`,
      ),
    );
    this.job = job === undefined ? undefined : redactJson(job, clean);
    this.state = this.job?.state;
    this.settleTimeout = settleTimeout;
  }
}

/** `listener`, told the job it hears about first is a change from `from` (seen while settling). */
function goingOn(
  listener: StateListener | undefined,
  from: RlorTrainerJob,
): StateListener | undefined {
  if (listener === undefined) return undefined;
  let first = true;
  return (job, previous) => {
    const repeat = first && job.state === from.state;
    first = false;
    if (!repeat) listener(job, previous ?? from.state);
  };
}

/**
 * Gets the job back to a ready trainer and resolves to it and its endpoint, as
 * waitForRlorTrainerJobReady does. Reads the job; RUNNING, or on its way (CREATING, RE_QUEUEING,
 * PENDING): waits for ready. PAUSED, FAILED, CANCELLED or COMPLETED: resumes it, then waits for
 * ready. Another state the control plane is still settling (CANCELLING, a state this package does
 * not know...): reads it again every 10 s for up to `settleTimeout` (120 s), then throws
 * JobStuckError, which names the state and the way out (cancel, create a new one). A deleted job
 * throws JobFailedError with `deleted: true`; an expired or early-stopped one JobFailedError.
 * The waits count PENDING against `pendingTimeout` (default 48 h) and all else against
 * `timeout` (default 10 minutes, the training SDK's). Every option is checked before any request.
 */
export async function reconnectRlorTrainerJob(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: ReconnectOptions = {},
): Promise<ReadyTrainerJob> {
  const plan = startReadyWait(options, RECONNECT_DEFAULTS);
  const settleTimeout = options.settleTimeout ?? DEFAULT_SETTLE_TIMEOUT;
  checkLimit(settleTimeout, "settleTimeout");
  const tracking = new ReadyTracking(readyCheckFor(client, options)(job));
  const settled = await settle(client, job, settleTimeout, options);
  const callbacks = { ...options, onStateChange: goingOn(options.onStateChange, settled) };
  const done =
    typeof settled.state === "string" && RESUMABLE_STATES.has(settled.state)
      ? await resumeAndPoll(client, job, tracking.plan(plan), {
          ...callbacks,
          initialState: settled.state,
        })
      : await pollJob(client, job, tracking.plan(plan), callbacks, settled);
  return tracking.result(done);
}

/** The job once it is in a state reconnect goes on from; JobStuckError after `settleTimeout`. */
async function settle(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  settleTimeout: number,
  options: Pick<WaitOptions, "signal" | "onStateChange" | "onPollError">,
): Promise<RlorTrainerJob> {
  const plan = {
    until: new Set<string>(SETTLED_STATES),
    failOnEnd: false,
    timeout: settleTimeout,
    pendingTimeout: undefined,
    stallTimeout: undefined,
    pollInterval: SETTLE_POLL_INTERVAL,
  };
  try {
    return await pollJob(client, job, plan, options);
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    const { name } = resolveJob(client, job);
    throw new JobStuckError(name, error.job, settleTimeout, scrubberOf(client));
  }
}
