import type { RlorTrainerJobRef } from "../../generated/names.js";
import {
  getRlorTrainerJob,
  type JobState,
  type RlorTrainerJob,
  resumeRlorTrainerJob,
} from "../../generated/operations.js";
import { MAX_TIMER_MS } from "../internal/limits.js";
import { isRetryable } from "../internal/request.js";
import { sleep as abortableSleep } from "../internal/retry.js";
import type { FireworksClient } from "./client.js";
import {
  APIUserAbortError,
  type FireworksError,
  InvalidArgumentError,
  JobFailedError,
  WaitTimeoutError,
} from "./errors.js";

export interface WaitOptions {
  /** States that end the wait successfully. Default `["JOB_STATE_RUNNING"]`. */
  until?: readonly JobState[] | undefined;
  /** Give up after this many ms with a WaitTimeoutError. Default 15 minutes; `Infinity` for none. */
  timeout?: number | undefined;
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
   * say, RUNNING, so a resume response showing RUNNING is already the new state.
   */
  initialState?: JobState | undefined;
}

export const DEFAULT_WAIT_TIMEOUT = 15 * 60_000;
export const DEFAULT_POLL_INTERVAL = 5_000;

/** States that mean the job is gone; waiting in them fails with `deleted: true`. */
const DELETED_JOB_STATES: ReadonlySet<string> = new Set([
  "JOB_STATE_DELETING",
  "JOB_STATE_DELETING_CLEANING_UP",
  "JOB_STATE_DELETED",
  "JOB_STATE_ARCHIVED",
]);

/**
 * States a job does not leave on its own (it takes a resume). Reaching one that is not a target
 * fails the wait. Every other state, including ones this package does not know, is transitional.
 */
const ENDED_JOB_STATES: ReadonlySet<string> = new Set([
  "JOB_STATE_COMPLETED",
  "JOB_STATE_FAILED",
  "JOB_STATE_CANCELLED",
  "JOB_STATE_EXPIRED",
  "JOB_STATE_EARLY_STOPPED",
]);

/** States a job stays in until resumed, so the ones a resume starts from. */
function isResting(state: string): boolean {
  return (
    state === "JOB_STATE_PAUSED" || ENDED_JOB_STATES.has(state) || DELETED_JOB_STATES.has(state)
  );
}

type Verdict = "reached" | "failed" | "deleted" | "waiting";

function verdict(state: string | undefined, until: ReadonlySet<string>): Verdict {
  if (state === undefined) return "waiting";
  if (until.has(state)) return "reached";
  if (DELETED_JOB_STATES.has(state)) return "deleted";
  return ENDED_JOB_STATES.has(state) ? "failed" : "waiting";
}

interface Settings {
  until: ReadonlySet<string>;
  timeout: number;
  pollInterval: number;
}

/**
 * The options with defaults applied; throws the InvalidArgumentError a wait with these options
 * would throw before sending anything (the CLI's --dry-run checks them up front too).
 */
export function checkWaitOptions(options: WaitOptions): Settings {
  const until = options.until ?? ["JOB_STATE_RUNNING"];
  const timeout = options.timeout ?? DEFAULT_WAIT_TIMEOUT;
  const pollInterval = options.pollInterval ?? DEFAULT_POLL_INTERVAL;
  if (until.length === 0) throw new InvalidArgumentError("until: give at least one job state");
  if (!(timeout >= 0)) throw new InvalidArgumentError(`timeout: expected ms >= 0, got ${timeout}`);
  if (!(pollInterval > 0 && pollInterval <= MAX_TIMER_MS)) {
    throw new InvalidArgumentError(`pollInterval: expected ms > 0, got ${pollInterval}`);
  }
  return { until: new Set(until), timeout, pollInterval };
}

/** Checks the options and the signal before anything is sent. */
function start(options: WaitOptions): Settings {
  const checked = checkWaitOptions(options);
  if (options.signal?.aborted) throw abortError(options.signal.reason);
  return checked;
}

function abortError(cause?: unknown): APIUserAbortError {
  return new APIUserAbortError("Waiting for the RLOR trainer job was aborted", { cause });
}

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
function abortable<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal.reason));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function jittered(ms: number): number {
  return Math.min(MAX_TIMER_MS, ms * (0.9 + Math.random() * 0.2));
}

/**
 * Aborts `controller` after `ms` (never for Infinity); returns a function that cancels it.
 * Limits beyond setTimeout's are reached in steps, so a long finite timeout still ends the wait.
 */
function abortAfter(ms: number, controller: AbortController): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (left: number): void => {
    timer =
      left > MAX_TIMER_MS
        ? setTimeout(() => arm(left - MAX_TIMER_MS), MAX_TIMER_MS)
        : setTimeout(() => controller.abort(), left);
  };
  if (ms !== Number.POSITIVE_INFINITY) arm(ms);
  return () => clearTimeout(timer);
}

/** Decides, for each job seen, whether the wait is over: returns the job, undefined, or throws. */
type Tracker = (job: RlorTrainerJob) => RlorTrainerJob | undefined;

function createTracker(options: WaitOptions, until: ReadonlySet<string>): Tracker {
  let seen = false;
  let previous: JobState | undefined;
  const initial = options.initialState;
  let staleState = initial !== undefined && isResting(initial) ? initial : undefined;
  return (job) => {
    const state = job.state;
    if (!seen || state !== previous) options.onStateChange?.(job, previous);
    seen = true;
    previous = state;
    // Still showing the pre-resume state says nothing yet, even when that state is a target.
    if (state === staleState) return undefined;
    staleState = undefined;
    const result = verdict(state, until);
    if (result === "reached") return job;
    if (result === "waiting") return undefined;
    throw new JobFailedError(job, { deleted: result === "deleted" });
  };
}

async function pollOnce(
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

async function poll(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: WaitOptions,
  { until, timeout, pollInterval }: Settings,
  first: RlorTrainerJob | undefined,
): Promise<RlorTrainerJob> {
  const deadline = new AbortController();
  const stopDeadline = abortAfter(timeout, deadline);
  const signal = options.signal
    ? AbortSignal.any([options.signal, deadline.signal])
    : deadline.signal;
  const settle = createTracker(options, until);
  let last: RlorTrainerJob | undefined;
  try {
    let current = first ?? (await pollOnce(client, job, signal, options.onPollError));
    for (;;) {
      if (current) {
        last = current;
        const done = settle(current);
        if (done) return done;
      }
      await sleep(jittered(pollInterval), signal);
      current = await pollOnce(client, job, signal, options.onPollError);
    }
  } catch (error) {
    if (deadline.signal.aborted && !options.signal?.aborted) {
      throw new WaitTimeoutError(last, timeout);
    }
    throw options.signal?.aborted && !(error instanceof APIUserAbortError)
      ? abortError(error)
      : error;
  } finally {
    stopDeadline();
  }
}

/**
 * Polls the job until it reaches one of `until` (default JOB_STATE_RUNNING) and resolves to it.
 *
 * Throws JobFailedError when the job reaches a state it does not leave on its own and that is not
 * a target (FAILED, CANCELLED, EXPIRED, EARLY_STOPPED, COMPLETED; DELETING, DELETED, ARCHIVED
 * with `deleted: true`), WaitTimeoutError after `timeout`, APIUserAbortError when `signal` fires.
 * Connection errors, timeouts, 408, 409, 429 and 5xx during polling do not end the wait; other
 * errors (e.g. 404, 401) do.
 */
export async function waitForRlorTrainerJob(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: WaitOptions = {},
): Promise<RlorTrainerJob> {
  const checked = start(options);
  return poll(client, job, options, checked, undefined);
}

/**
 * Resumes the job (one POST `:resume`; the server decides whether the state allows it), then
 * waits as waitForRlorTrainerJob does. The resume response is the first job seen, and its state
 * is taken as the state from before the resume (see `initialState`) unless one is given.
 * The wait timeout starts after the resume call.
 */
export async function resumeRlorTrainerJobAndWait(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: WaitOptions = {},
): Promise<RlorTrainerJob> {
  const checked = start(options);
  const resumed = await resumeRlorTrainerJob(
    client,
    job,
    options.signal ? { signal: options.signal } : {},
  );
  const initialState = options.initialState ?? resumed.state;
  return poll(client, job, { ...options, initialState }, checked, resumed);
}
