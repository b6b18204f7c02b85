import {
  type AccountRef,
  parseRlorTrainerJobName,
  type RlorTrainerJobRef,
  resolveAccount,
} from "../../generated/names.js";
import {
  type JobProgress,
  type JobState,
  listRlorTrainerJobs,
  type RlorTrainerJob,
} from "../../generated/operations.js";
import { paginatePages } from "../../generated/runtime.js";
import { linkSignals } from "../internal/abort.js";
import { isJsonObject } from "../internal/json.js";
import { isRetryable } from "../internal/request.js";
import { type FireworksClient, scrubberOf } from "./client.js";
import { type FireworksError, InvalidArgumentError, JobFailedError } from "./errors.js";
import { resolveJob } from "./job-name.js";
import {
  abortable,
  abortError,
  checkLimit,
  checkPollInterval,
  checkStates,
  DEFAULT_POLL_INTERVAL,
  jittered,
  pollOnce,
  sleep,
  waitFailure,
} from "./wait.js";
import { WaitClock } from "./wait-clock.js";
import { createTracker, isResting, type Tracker } from "./wait-tracker.js";

/** An account's jobs to watch: the ones a list of the account shows, round after round. */
export interface WatchAccountTarget {
  /** The account; default the client's. */
  account?: AccountRef | undefined;
  /**
   * An AIP-160 filter the server applies to each round's list. A watched job the list no longer
   * shows (deleted: lists leave tombstones out; or no longer matching) ends as `gone`.
   */
  filter?: string | undefined;
  /**
   * Watch the jobs seen in one of these states (checked here, on each job the list returns). A
   * job joins the watch the first round it is seen in one, and is then watched whatever its
   * state. Default: every job not at rest (at rest: PAUSED, or a state it cannot leave).
   */
  states?: readonly JobState[] | undefined;
  /** Jobs per page of each round's list; default the server's (50, at most 200). */
  pageSize?: number | undefined;
}

/** Named jobs (ids, names or parts), or an account's jobs. */
export type WatchTarget = readonly RlorTrainerJobRef[] | WatchAccountTarget;

export interface WatchOptions {
  /**
   * States that end the watch of a job. Default COMPLETED, EARLY_STOPPED and PAUSED. A job in a
   * state it cannot leave on its own that is not one of these (FAILED, CANCELLED, EXPIRED,
   * deleted...) ends too, with a JobFailedError (see `RlorTrainerJobChange.end`).
   */
  until?: readonly JobState[] | undefined;
  /** Give up after this many ms with a WaitTimeoutError. Default none. */
  timeout?: number | undefined;
  /** Time between rounds in ms, with ±10 % jitter. Default 5000. */
  pollInterval?: number | undefined;
  /** Aborting ends the watch at once (even mid-sleep) with an APIUserAbortError. */
  signal?: AbortSignal | undefined;
  /** Called when a request fails with a retryable error; the watch goes on. */
  onPollError?: ((error: FireworksError) => void) | undefined;
}

/** The default `until` of a watch: the states a job rests in that are no failure. */
export const DEFAULT_WATCH_UNTIL: readonly JobState[] = [
  "JOB_STATE_COMPLETED",
  "JOB_STATE_EARLY_STOPPED",
  "JOB_STATE_PAUSED",
];

/**
 * Why a job's watch is over: `reached` one of `until`; `ended` in another state it cannot leave
 * (`error` is the JobFailedError); `gone` from the account's list; `failed` to be read (`error`:
 * a 404, a job answered with another name, ...).
 */
export type WatchEnd = "reached" | "ended" | "gone" | "failed";

/** A job first seen, or whose state or progress moved, or whose watch ended. */
export interface RlorTrainerJobChange {
  /** The job's full name. */
  name: string;
  /**
   * The job as this round read it, fields as the server sent them; for `gone` and `failed`, as
   * last read (undefined if never).
   */
  job: RlorTrainerJob | undefined;
  /** The state before; undefined the first time the job is seen. */
  previousState: JobState | undefined;
  /** The state now, as the server sent it (what is not a string is an unknown state). */
  state: JobState | undefined;
  /** When this round saw it. */
  time: Date;
  /** `jobProgress`, when the server sent an object there. */
  progress: JobProgress | undefined;
  /** Set on the job's last change: why its watch is over. */
  end?: WatchEnd | undefined;
  /** For `ended`, the JobFailedError; for `failed`, the error that ended the watch of the job. */
  error?: FireworksError | undefined;
}

interface WatchPlan {
  until: ReadonlySet<string>;
  timeout: number;
  pollInterval: number;
}

function checkWatchOptions(options: WatchOptions): WatchPlan {
  const until = options.until ?? DEFAULT_WATCH_UNTIL;
  const timeout = options.timeout ?? Number.POSITIVE_INFINITY;
  const pollInterval = options.pollInterval ?? DEFAULT_POLL_INTERVAL;
  const targets = checkStates(until, "until");
  checkLimit(timeout, "timeout");
  checkPollInterval(pollInterval);
  return { until: targets, timeout, pollInterval };
}

function progressOf(job: RlorTrainerJob): JobProgress | undefined {
  const progress: unknown = job.jobProgress;
  return isJsonObject(progress) ? (progress as JobProgress) : undefined;
}

/** One watched job: judges each read of it as a wait does, and says what changed. */
class WatchedJob {
  readonly name: string;
  readonly #track: Tracker;
  #job: RlorTrainerJob | undefined;
  /** Set by the tracker when the job's state moved: the state before. */
  #moved: { from: JobState | undefined } | undefined;
  #progress = "null";
  #done = false;

  constructor(name: string, plan: WatchPlan, scrub: (text: string) => string) {
    this.name = name;
    // The waits' own judge: unknown and non-string states are transitional; a state the job
    // cannot leave, outside `until`, is a JobFailedError.
    this.#track = createTracker(
      { until: plan.until, failOnEnd: true },
      (_job, from) => {
        this.#moved = { from };
      },
      scrub,
    );
  }

  get done(): boolean {
    return this.#done;
  }

  /** The change this read makes, if any. */
  see(job: RlorTrainerJob, time: Date): RlorTrainerJobChange | undefined {
    this.#job = job;
    this.#moved = undefined;
    let end: WatchEnd | undefined;
    let error: FireworksError | undefined;
    try {
      if (this.#track(job)) end = "reached";
    } catch (failure) {
      if (!(failure instanceof JobFailedError)) throw failure;
      end = "ended";
      error = failure;
    }
    const progress = JSON.stringify(progressOf(job) ?? null);
    const progressed = progress !== this.#progress;
    this.#progress = progress;
    // Set (or not) by the tracker's callback during the call above: TypeScript cannot see that.
    const moved = this.#moved as { from: JobState | undefined } | undefined;
    if (moved === undefined && !progressed && end === undefined) return undefined;
    this.#done = end !== undefined;
    return {
      name: this.name,
      job,
      previousState: moved === undefined ? job.state : moved.from,
      state: job.state,
      time,
      progress: progressOf(job),
      ...(end === undefined ? {} : { end }),
      ...(error === undefined ? {} : { error }),
    };
  }

  /** The change that ends the watch of this job without a read of it: gone, or unreadable. */
  stop(end: "gone" | "failed", time: Date, error?: FireworksError): RlorTrainerJobChange {
    this.#done = true;
    const job = this.#job;
    return {
      name: this.name,
      job,
      previousState: job?.state,
      state: job?.state,
      time,
      progress: job === undefined ? undefined : progressOf(job),
      end,
      ...(error === undefined ? {} : { error }),
    };
  }
}

/** What a round needs: the signal that ends it, where retryable failures go. */
interface RoundContext {
  readonly signal: AbortSignal;
  readonly onPollError: WatchOptions["onPollError"];
}

/** Where a watch reads its jobs from, one round at a time. */
interface WatchSource {
  round(context: RoundContext): AsyncGenerator<RlorTrainerJobChange, void, undefined>;
  /** Whether no watched job can change any more. */
  readonly over: boolean;
}

/**
 * Named jobs: each round GETs each job not yet done, one after the other. A GET answers for
 * exactly that job, in whatever account it is (a list covers one account, and leaves deleted
 * jobs out), and a job answered with another name is refused (UnexpectedResourceError) as in
 * the waits. To watch many jobs of one account, watch the account: one list pass per round.
 */
function namedJobs(
  client: FireworksClient,
  refs: readonly RlorTrainerJobRef[],
  plan: WatchPlan,
): WatchSource {
  if (refs.length === 0) throw new InvalidArgumentError("watch: give at least one job");
  const scrub = scrubberOf(client);
  // Every reference checked (and made a full name) before anything is sent; each job once.
  const names = new Set(refs.map((ref) => resolveJob(client, ref).name));
  const jobs = [...names].map((name) => new WatchedJob(name, plan, scrub));
  return {
    get over() {
      return jobs.every((job) => job.done);
    },
    async *round({ signal, onPollError }) {
      for (const watched of jobs.filter((job) => !job.done)) {
        let job: RlorTrainerJob | undefined;
        try {
          job = await pollOnce(client, watched.name, signal, onPollError);
        } catch (error) {
          if (signal.aborted) throw error;
          // A 404, a job answered with another name, a refused key: this job cannot be watched.
          yield watched.stop("failed", new Date(), error as FireworksError);
          continue;
        }
        const change = job && watched.see(job, new Date());
        if (change) yield change;
      }
    },
  };
}

/**
 * An account's jobs: each round is one list pass over its pages (the runtime's pager stops a
 * server whose page tokens loop), never a GET per job. A job the list returns is taken only
 * under its own name in the account listed.
 */
function accountJobs(
  client: FireworksClient,
  target: WatchAccountTarget,
  plan: WatchPlan,
): WatchSource {
  const accountId = resolveAccount(client, target.account).account_id;
  const states =
    target.states === undefined
      ? undefined
      : new Set<unknown>(checkStates(target.states, "states"));
  const scrub = scrubberOf(client);
  const watched = new Map<string, WatchedJob>();
  let rounds = 0;
  const joins = (job: RlorTrainerJob): boolean =>
    states === undefined
      ? !(typeof job.state === "string" && isResting(job.state))
      : states.has(job.state);
  const nameIn = (job: unknown): string | undefined => {
    const name = isJsonObject(job) ? job.name : undefined;
    if (typeof name !== "string") return undefined;
    try {
      return parseRlorTrainerJobName(name).accountId === accountId ? name : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    get over() {
      return rounds > 0 && [...watched.values()].every((job) => job.done);
    },
    async *round({ signal, onPollError }) {
      const seen = new Set<string>();
      const pages = paginatePages(
        undefined,
        (pageToken) =>
          abortable(
            listRlorTrainerJobs(client, accountId, {
              filter: target.filter,
              pageSize: target.pageSize,
              pageToken,
              signal,
            }),
            signal,
          ),
        (page) => page.rlorTrainerJobs,
      );
      try {
        for await (const page of pages) {
          const time = new Date();
          for (const job of page) {
            const name = nameIn(job);
            if (name === undefined || seen.has(name)) continue;
            seen.add(name);
            let entry = watched.get(name);
            if (entry === undefined) {
              if (!joins(job)) continue;
              entry = new WatchedJob(name, plan, scrub);
              watched.set(name, entry);
            }
            if (entry.done) continue;
            const change = entry.see(job, time);
            if (change) yield change;
          }
        }
      } catch (error) {
        // A pass cut short says nothing about the jobs it did not reach: the next round reads
        // them. What is not worth another round (401, a bad filter, a looping list) ends it.
        if (signal.aborted || !isRetryable(error)) throw error;
        onPollError?.(error as FireworksError);
        return;
      }
      rounds++;
      const time = new Date();
      for (const entry of watched.values()) {
        if (!entry.done && !seen.has(entry.name)) yield entry.stop("gone", time);
      }
    },
  };
}

function sourceOf(client: FireworksClient, target: WatchTarget, plan: WatchPlan): WatchSource {
  return Array.isArray(target)
    ? namedJobs(client, target as readonly RlorTrainerJobRef[], plan)
    : accountJobs(client, target as WatchAccountTarget, plan);
}

/**
 * Watches many jobs at once: yields a change each time a job is first seen, its state or its
 * progress moves, or its watch ends (`end`), until every watched job's watch has ended.
 *
 * `target` is a list of jobs (each round GETs each job still watched) or an account's jobs
 * (`{ account, filter, states }`: each round is one list pass over the account's pages, no GET
 * per job). The waits' rules hold: a state that is not a string is an unknown, transitional one;
 * a job answered with another name is never taken for the one asked for; a looping list throws
 * PaginationLoopError. Connection errors, timeouts, 408, 409, 429 and 5xx do not end the watch
 * (`onPollError` hears of them); other errors end the watch of the job they concern (list of
 * jobs) or the whole watch (account). Throws WaitTimeoutError after `timeout`, APIUserAbortError
 * when `signal` fires, InvalidArgumentError for bad input before any request.
 */
export async function* watchRlorTrainerJobs(
  client: FireworksClient,
  target: WatchTarget,
  options: WatchOptions = {},
): AsyncGenerator<RlorTrainerJobChange, void, undefined> {
  const plan = checkWatchOptions(options);
  const source = sourceOf(client, target, plan);
  if (options.signal?.aborted) throw abortError(options.signal.reason);
  const clock = new WaitClock({ timeout: plan.timeout, pendingTimeout: undefined });
  const { signal, release } = linkSignals([options.signal, clock.signal]);
  try {
    for (let round = 0; ; round++) {
      if (round > 0) await sleep(jittered(plan.pollInterval), signal);
      yield* source.round({ signal, onPollError: options.onPollError });
      if (source.over) return;
    }
  } catch (error) {
    throw waitFailure(error, clock, options.signal, undefined, scrubberOf(client));
  } finally {
    clock.stop();
    release();
  }
}
