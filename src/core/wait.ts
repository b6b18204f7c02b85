import type { RlorTrainerJobRef } from "../../generated/names.js";
import {
  getRlorTrainerJob,
  type JobState,
  type RlorTrainerJob,
  resumeRlorTrainerJob,
} from "../../generated/operations.js";
import { linkSignals, whenAborted } from "../internal/abort.js";
import { MAX_TIMER_MS } from "../internal/limits.js";
import { isRetryable } from "../internal/request.js";
import { sleep as abortableSleep } from "../internal/retry.js";
import { alreadyThere, callOptions } from "./already-there.js";
import { type FireworksClient, scrubberOf } from "./client.js";
import {
  APIUserAbortError,
  type FireworksError,
  InvalidArgumentError,
  type Scrub,
  WaitTimeoutError,
} from "./errors.js";
import { probeOutcome, type ReadyCheck } from "./health.js";
import { StallWatch } from "./stall.js";
import { WaitClock, type WaitLimits } from "./wait-clock.js";
import { createTracker, type TrackPlan } from "./wait-tracker.js";

export interface WaitOptions {
  /** States that end the wait successfully. Default `["JOB_STATE_RUNNING"]`. */
  until?: readonly JobState[] | undefined;
  /**
   * Give up after this many ms outside JOB_STATE_PENDING with a WaitTimeoutError (`budget`
   * `"timeout"`). Default 15 minutes; `Infinity` for none.
   */
  timeout?: number | undefined;
  /**
   * The time the job spends in JOB_STATE_PENDING (queued for capacity, maybe for hours, also
   * after a resume's RE_QUEUEING) counts against this limit (ms), never against `timeout`.
   * Default 48 hours, as the official training SDK; `Infinity` for none.
   */
  pendingTimeout?: number | undefined;
  /**
   * End the wait with a JobStalledError when the job stays JOB_STATE_RUNNING while neither its
   * `updateTime` nor its `jobProgress` (nor, in a ready wait, its health probe's answer) changes
   * for this long (ms): a trainer that hangs. Checked at each poll. Default off (undefined or
   * `Infinity`).
   */
  stallTimeout?: number | undefined;
  /** Time between polls in ms, with ±10 % jitter. Default 5000. */
  pollInterval?: number | undefined;
  /** Aborting ends the wait at once (even mid-sleep) with an APIUserAbortError. */
  signal?: AbortSignal | undefined;
  /**
   * Called with each job whose state differs from the one seen before; the first job seen is a
   * change from `undefined`. An exception thrown here ends the wait.
   */
  onStateChange?: ((job: RlorTrainerJob, previousState: JobState | undefined) => void) | undefined;
  /** Called when a poll fails with a retryable error; the wait goes on. */
  onPollError?: ((error: FireworksError) => void) | undefined;
  /**
   * The job's state from before a resume. Until the job is seen in another state, this state
   * neither ends nor fails the wait (the server may still show it for a moment after a resume);
   * once the job has left it, coming back to it counts like any other state. Only a state a job
   * rests in (PAUSED, or one that ends a wait) counts as stale: a job is never resumed from,
   * say, RUNNING, so a resume response showing RUNNING is already the new state. After a resume,
   * a job in this state with a later `completedTime` or update time, or another `status`, than
   * the resume response showed has left and come back (it failed again, say).
   */
  initialState?: JobState | undefined;
}

export const DEFAULT_WAIT_TIMEOUT = 15 * 60_000;
/** How long a job may queue in JOB_STATE_PENDING for capacity: 48 h, as the training SDK. */
export const DEFAULT_PENDING_TIMEOUT = 48 * 3_600_000;
export const DEFAULT_POLL_INTERVAL = 5_000;

/** What a wait does when the caller leaves an option out. */
export interface WaitDefaults {
  until: readonly JobState[];
  timeout: number;
  /** Undefined: no separate budget for PENDING (cancel and delete, whose waits lead away from it). */
  pendingTimeout: number | undefined;
}

/** The defaults of every wait that can pass through PENDING: wait, resume and create. */
export const WAIT_DEFAULTS: WaitDefaults = {
  until: ["JOB_STATE_RUNNING"],
  timeout: DEFAULT_WAIT_TIMEOUT,
  pendingTimeout: DEFAULT_PENDING_TIMEOUT,
};

/** What a wait reports to, and is stopped by: the caller's side of it. */
export type WaitCallbacks = Pick<WaitOptions, "signal" | "onStateChange" | "onPollError">;

/** One wait's settings, defaults applied. */
export interface WaitPlan extends WaitLimits, TrackPlan {
  pollInterval: number;
  /**
   * For a ready wait: asked about each job that reaches a target state; the wait ends only
   * once it finds an endpoint, and polls on otherwise (the next poll is the probe's retry).
   */
  ready?: ReadyCheck | undefined;
  /** See `WaitOptions.stallTimeout`; undefined: off. */
  stallTimeout: number | undefined;
}

/** A time limit in ms: a number >= 0 (Infinity for none); a string ("15m", "900000") is refused. */
export function checkLimit(value: unknown, name: string): void {
  if (typeof value !== "number" || !(value >= 0)) {
    throw new InvalidArgumentError(`${name}: expected ms >= 0, got ${String(value)}`);
  }
}

/**
 * Job states an option names (`until`, say): a non-empty list of strings. A state given alone as
 * a string is refused: its characters would be the states, and no job is ever in one.
 */
export function checkStates(states: readonly JobState[], name: string): ReadonlySet<string> {
  if (!Array.isArray(states) || states.length === 0) {
    throw new InvalidArgumentError(`${name}: give a list of at least one job state`);
  }
  const bad = states.find((state) => typeof state !== "string");
  if (bad !== undefined) {
    throw new InvalidArgumentError(`${name}: expected job states, got ${String(bad)}`);
  }
  return new Set(states);
}

/** A time between polls in ms: a number > 0 a timer can hold; a string is refused. */
export function checkPollInterval(value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value <= MAX_TIMER_MS)) {
    throw new InvalidArgumentError(`pollInterval: expected ms > 0, got ${String(value)}`);
  }
  return value;
}

/**
 * The options with defaults applied; throws the InvalidArgumentError a wait with these options
 * would throw before sending anything (the CLI's --dry-run checks them up front too).
 */
export function checkWaitOptions(
  options: WaitOptions,
  defaults: WaitDefaults = WAIT_DEFAULTS,
): WaitPlan {
  const until = options.until ?? defaults.until;
  const timeout = options.timeout ?? defaults.timeout;
  const pendingTimeout = options.pendingTimeout ?? defaults.pendingTimeout;
  const pollInterval = options.pollInterval ?? DEFAULT_POLL_INTERVAL;
  const { stallTimeout } = options;
  const targets = checkStates(until, "until");
  checkLimit(timeout, "timeout");
  if (pendingTimeout !== undefined) checkLimit(pendingTimeout, "pendingTimeout");
  if (stallTimeout !== undefined && (typeof stallTimeout !== "number" || !(stallTimeout > 0))) {
    throw new InvalidArgumentError(`stallTimeout: expected ms > 0, got ${String(stallTimeout)}`);
  }
  checkPollInterval(pollInterval);
  const limits = { timeout, pendingTimeout, pollInterval, stallTimeout };
  return { until: targets, ...limits, failOnEnd: true };
}

/** Checks the options and the signal before anything is sent. */
export function startWait(options: WaitOptions, defaults?: WaitDefaults): WaitPlan {
  const plan = checkWaitOptions(options, defaults);
  if (options.signal?.aborted) throw abortError(options.signal.reason);
  return plan;
}

export function abortError(cause?: unknown): APIUserAbortError {
  return new APIUserAbortError("Waiting for the RLOR trainer job was aborted", { cause });
}

export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await abortableSleep(ms, signal);
  } catch (error) {
    throw abortError(error);
  }
}

/**
 * Settles like `call`, but rejects as soon as `signal` aborts: the wait's timeout and abort must
 * hold even if a request were slow to notice the signal (e.g. stuck reading a body).
 */
export function abortable<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const stop = whenAborted(signal, () => reject(abortError(signal.reason)));
    call.then(resolve, reject).finally(stop);
  });
}

export function jittered(ms: number): number {
  return Math.min(MAX_TIMER_MS, ms * (0.9 + Math.random() * 0.2));
}

export async function pollOnce(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  signal: AbortSignal,
  onPollError: WaitOptions["onPollError"],
): Promise<RlorTrainerJob | undefined> {
  try {
    return await abortable(getRlorTrainerJob(client, job, { signal }), signal);
  } catch (error) {
    // Errors that say nothing about the job (the client's own retry rule): the next poll may work.
    if (signal.aborted || !isRetryable(error)) throw error;
    onPollError?.(error as FireworksError);
    return undefined;
  }
}

/**
 * Polls the job per `plan` until the tracker settles it; `first` is a job already in hand (a
 * resume or create response), judged before the first poll. The wait's timers and its link to
 * the caller's signal are gone when this returns or throws.
 */
export async function pollJob(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  plan: WaitPlan,
  options: WaitCallbacks,
  first?: RlorTrainerJob,
): Promise<RlorTrainerJob> {
  const clock = new WaitClock(plan);
  const { signal, release } = linkSignals([options.signal, clock.signal]);
  const settle = createTracker(plan, options.onStateChange, scrubberOf(client));
  const stall = new StallWatch(plan.stallTimeout, scrubberOf(client));
  let last: RlorTrainerJob | undefined;
  try {
    let current = first ?? (await pollOnce(client, job, signal, options.onPollError));
    for (;;) {
      if (current) {
        last = current;
        clock.observe(current.state);
        const done = settle(current);
        // The probe round is what the wait saw of the trainer this time round.
        const probed = done && plan.ready ? await plan.ready(done, signal) : undefined;
        if (done && (probed === undefined || probed.endpoint)) return done;
        if (probed !== undefined) stall.sawOutcome("health probe", probeOutcome(probed));
        stall.observe(current);
      }
      await sleep(jittered(plan.pollInterval), signal);
      current = await pollOnce(client, job, signal, options.onPollError);
    }
  } catch (error) {
    throw waitFailure(error, clock, options.signal, last, scrubberOf(client));
  } finally {
    clock.stop();
    release();
  }
}

/**
 * What a wait that `error` ended throws: the timeout whose budget ran out (with the last job
 * seen), the caller's abort, or the error itself.
 */
export function waitFailure(
  error: unknown,
  clock: WaitClock,
  callerSignal: AbortSignal | undefined,
  last: RlorTrainerJob | undefined,
  scrub: Scrub,
): unknown {
  const expired = clock.expired;
  if (expired !== undefined && !callerSignal?.aborted) {
    const { budget, limit } = expired;
    return new WaitTimeoutError(last, limit, { scrub, budget });
  }
  return callerSignal?.aborted && !(error instanceof APIUserAbortError) ? abortError(error) : error;
}

/**
 * Polls the job until it reaches one of `until` (default JOB_STATE_RUNNING) and resolves to it.
 *
 * Throws JobFailedError when the job reaches a state it does not leave on its own and that is not
 * a target (FAILED, CANCELLED, EXPIRED, EARLY_STOPPED, COMPLETED; DELETING, DELETED, ARCHIVED
 * with `deleted: true`, though DELETING is on the way when DELETED or ARCHIVED is a target),
 * WaitTimeoutError after `timeout` outside JOB_STATE_PENDING or `pendingTimeout` in it,
 * JobStalledError when the job makes no progress while RUNNING for `stallTimeout`,
 * APIUserAbortError when `signal` fires. Connection errors,
 * timeouts, 408, 409, 429 and 5xx during polling do not end the wait; other errors (e.g. 404,
 * 401) do. A state that is not a string counts as an unknown, transitional one.
 */
export async function waitForRlorTrainerJob(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: WaitOptions = {},
): Promise<RlorTrainerJob> {
  const plan = startWait(options);
  return pollJob(client, job, plan, options);
}

/**
 * Resumes the job (one POST `:resume`; the server decides whether the state allows it), then
 * waits as waitForRlorTrainerJob does. The resume response is the first job seen, and its state
 * is taken as the state from before the resume (see `initialState`) unless one is given.
 * When the server refuses the resume (400 FAILED_PRECONDITION) because the job is already in a
 * target state (RUNNING, say), that job is the answer; on its way there (PENDING, say), the wait
 * goes on from it. The wait's clocks start after the resume: a resumed job usually goes back
 * through the capacity queue (RE_QUEUEING -> PENDING), and its time there counts against
 * `pendingTimeout` (48 h), not `timeout`.
 */
export async function resumeRlorTrainerJobAndWait(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: WaitOptions = {},
): Promise<RlorTrainerJob> {
  return resumeAndPoll(client, job, startWait(options), options);
}

/** Sends the resume, then polls per `plan` (checked already) from its answer. */
export async function resumeAndPoll(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  plan: WaitPlan,
  options: WaitCallbacks & Pick<WaitOptions, "initialState">,
): Promise<RlorTrainerJob> {
  let resumed: RlorTrainerJob;
  try {
    resumed = await resumeRlorTrainerJob(client, job, callOptions(options));
  } catch (error) {
    const refused = { operationId: "resumeRlorTrainerJob", until: plan.until };
    return pollJob(
      client,
      job,
      plan,
      options,
      await alreadyThere(client, job, refused, options, error),
    );
  }
  const state = options.initialState ?? resumed.state;
  const before =
    typeof state === "string"
      ? { state, job: state === resumed.state ? resumed : undefined }
      : undefined;
  return pollJob(client, job, { ...plan, before }, options, resumed);
}
