import type { JobState, RlorTrainerJob } from "../../generated/operations.js";
import { JobFailedError } from "./errors.js";
import { isLaterVisit } from "./job-visit.js";

/** States on the way to a tombstone. */
const DELETING_JOB_STATES: ReadonlySet<string> = new Set([
  "JOB_STATE_DELETING",
  "JOB_STATE_DELETING_CLEANING_UP",
]);

/** The states a deleted job ends in (the API has used both). */
export const TOMBSTONE_JOB_STATES = [
  "JOB_STATE_DELETED",
  "JOB_STATE_ARCHIVED",
] as const satisfies readonly JobState[];

/** States that mean the job is gone; waiting in them fails with `deleted: true`. */
export const DELETED_JOB_STATES: ReadonlySet<string> = new Set([
  ...DELETING_JOB_STATES,
  ...TOMBSTONE_JOB_STATES,
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
export function isResting(state: string): boolean {
  return (
    state === "JOB_STATE_PAUSED" || ENDED_JOB_STATES.has(state) || DELETED_JOB_STATES.has(state)
  );
}

/** How a wait judges the jobs it sees. */
export interface TrackPlan {
  /** States that end the wait successfully. */
  until: ReadonlySet<string>;
  /**
   * Whether a state the job cannot leave on its own ends the wait with a JobFailedError. Not
   * after a delete: whatever the job still shows then, it is on its way to a tombstone.
   */
  failOnEnd: boolean;
  /**
   * The job's state before the call that started the wait, and the job as that call answered
   * (when it showed that state): see `WaitOptions.initialState`.
   */
  before?: { state: string; job: RlorTrainerJob | undefined } | undefined;
}

type Verdict = "reached" | "failed" | "deleted" | "waiting";

function verdict(state: unknown, { until, failOnEnd }: TrackPlan): Verdict {
  // The server may send any JSON as the state: what is not a string is an unknown state.
  if (typeof state !== "string") return "waiting";
  if (until.has(state)) return "reached";
  if (!failOnEnd) return "waiting";
  if (DELETED_JOB_STATES.has(state)) {
    const awaitingTombstone = TOMBSTONE_JOB_STATES.some((tombstone) => until.has(tombstone));
    return awaitingTombstone && DELETING_JOB_STATES.has(state) ? "waiting" : "deleted";
  }
  return ENDED_JOB_STATES.has(state) ? "failed" : "waiting";
}

/** Whether two states the server sent are the same; a state may be any JSON. */
function sameState(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && JSON.stringify(a) === JSON.stringify(b));
}

export type StateListener = (job: RlorTrainerJob, previousState: JobState | undefined) => void;

/** Decides, for each job seen, whether the wait is over: returns the job, undefined, or throws. */
export type Tracker = (job: RlorTrainerJob) => RlorTrainerJob | undefined;

/** `scrub` removes the client's secrets (its API key, signed URLs) from a failed job's error. */
export function createTracker(
  plan: TrackPlan,
  onStateChange: StateListener | undefined,
  scrub: (text: string) => string,
): Tracker {
  let seen = false;
  let previous: JobState | undefined;
  let stale = plan.before !== undefined && isResting(plan.before.state) ? plan.before : undefined;
  return (job) => {
    const state = job.state;
    if (!seen || !sameState(state, previous)) onStateChange?.(job, previous);
    seen = true;
    previous = state;
    // Still showing the state from before the call says nothing yet, even when it is a target;
    // a later visit of that state does (the job failed again, say).
    if (stale && state === stale.state && !(stale.job && isLaterVisit(job, stale.job))) {
      return undefined;
    }
    stale = undefined;
    const result = verdict(state, plan);
    if (result === "reached") return job;
    if (result === "waiting") return undefined;
    throw new JobFailedError(job, { deleted: result === "deleted", scrub });
  };
}
