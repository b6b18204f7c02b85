import type { JobState } from "../../generated/operations.js";

/** Every state the spec knows, to check `--until` values before anything is sent. */
const JOB_STATES = [
  "JOB_STATE_UNSPECIFIED",
  "JOB_STATE_CREATING",
  "JOB_STATE_RUNNING",
  "JOB_STATE_COMPLETED",
  "JOB_STATE_FAILED",
  "JOB_STATE_CANCELLED",
  "JOB_STATE_DELETING",
  "JOB_STATE_WRITING_RESULTS",
  "JOB_STATE_VALIDATING",
  "JOB_STATE_DELETING_CLEANING_UP",
  "JOB_STATE_PENDING",
  "JOB_STATE_EXPIRED",
  "JOB_STATE_RE_QUEUEING",
  "JOB_STATE_CREATING_INPUT_DATASET",
  "JOB_STATE_IDLE",
  "JOB_STATE_CANCELLING",
  "JOB_STATE_EARLY_STOPPED",
  "JOB_STATE_PAUSED",
  "JOB_STATE_DELETED",
  "JOB_STATE_ARCHIVED",
] as const satisfies readonly JobState[];

// Fails to compile when the spec gains a state this list lacks.
const everyStateListed: Exclude<JobState, (typeof JOB_STATES)[number]> extends never
  ? true
  : false = true;
void everyStateListed;

const PREFIX = "JOB_STATE_";

/** Accepts "RUNNING", "running" or "JOB_STATE_RUNNING"; undefined when not a known state. */
export function parseJobState(text: string): JobState | undefined {
  const upper = text.trim().toUpperCase();
  const full = upper.startsWith(PREFIX) ? upper : `${PREFIX}${upper}`;
  return JOB_STATES.find((state) => state === full);
}

/** "JOB_STATE_RE_QUEUEING" -> "RE_QUEUEING", for people; unknown values pass through. */
export function shortState(state: string | undefined): string {
  if (!state) return "-";
  return state.startsWith(PREFIX) ? state.slice(PREFIX.length) : state;
}
