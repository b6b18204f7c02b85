import { JOB_STATES, type JobState } from "../../generated/operations.js";
import { displayText } from "./sanitize.js";

const PREFIX = "JOB_STATE_";

/** Accepts "RUNNING", "running" or "JOB_STATE_RUNNING"; undefined when not a state of the spec. */
export function parseJobState(text: string): JobState | undefined {
  const upper = text.trim().toUpperCase();
  const full = upper.startsWith(PREFIX) ? upper : `${PREFIX}${upper}`;
  return JOB_STATES.find((state) => state === full);
}

/** "JOB_STATE_RE_QUEUEING" -> "RE_QUEUEING", for people; anything else shows as it is. */
export function shortState(state: unknown): string {
  if (state === undefined || state === null || state === "") return "-";
  // A server may send anything here (a number, an object): show it, never throw on it.
  const text = typeof state === "string" ? state : displayText(state);
  return text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text;
}

/** The states a flag takes, for its error message: "RUNNING, PAUSED, ...". */
export const SHORT_STATE_NAMES: string = JOB_STATES.filter(
  (state) => state !== "JOB_STATE_UNSPECIFIED",
)
  .map(shortState)
  .join(", ");

/** Comma-separated, repeatable state flags (--until, --state); throws a message naming the flag. */
export function parseStateList(
  flag: string,
  values: readonly string[],
  fail: (message: string) => Error,
): JobState[] {
  return values
    .flatMap((value) => value.split(","))
    .map((word) => {
      const state = parseJobState(word);
      if (!state) {
        throw fail(`--${flag}: unknown job state "${word}"; valid states: ${SHORT_STATE_NAMES}`);
      }
      return state;
    });
}
