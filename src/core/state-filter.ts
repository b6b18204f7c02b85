import type { JobState } from "../../generated/operations.js";
import { InvalidArgumentError } from "./errors.js";

/** An enum value as AIP-160 writes it bare: nothing in it can end the restriction early. */
const ENUM_VALUE = /^[A-Z][A-Z0-9_]*$/;

/**
 * The AIP-160 `filter` of a list that keeps jobs in any of `states` (`state = JOB_STATE_PAUSED`,
 * several joined by OR), ANDed with `filter` when one is given; both sides in parentheses, so a
 * caller's OR cannot take the states apart. Without states, `filter` as given.
 *
 * A server may ignore or misread a filter: check each job it returns as well (the CLI's
 * `list --state` does).
 */
export function rlorTrainerJobStateFilter(
  states: readonly JobState[],
  filter?: string | undefined,
): string | undefined {
  if (states.length === 0) return filter;
  for (const state of states) {
    if (typeof state !== "string" || !ENUM_VALUE.test(state)) {
      throw new InvalidArgumentError(
        `states: expected job states such as JOB_STATE_PAUSED, got ${JSON.stringify(state)}`,
      );
    }
  }
  const byState = [...new Set(states)].map((state) => `state = ${state}`).join(" OR ");
  return filter === undefined || filter.trim() === "" ? byState : `(${byState}) AND (${filter})`;
}
