import type { RlorTrainerJob } from "../../generated/operations.js";

/**
 * Tells a job that is back in a state from a stale read of the state it was in before. A job
 * resumed from FAILED may fail again within one poll interval: by its state name alone, that
 * looks like the old failure. What the job carries tells them apart: a job that reaches a state
 * again gets a later `completedTime` (or update time), or another `status`.
 */
export function isLaterVisit(job: RlorTrainerJob, before: RlorTrainerJob): boolean {
  const order =
    compareTimes(job.completedTime, before.completedTime) ||
    compareTimes(updateTime(job), updateTime(before));
  // An earlier time is an older read (a lagging replica), whatever its status says.
  if (order !== 0) return order > 0;
  return JSON.stringify(job.status ?? null) !== JSON.stringify(before.status ?? null);
}

/** `updateTime`, which newer servers send and the spec does not list (yet). */
function updateTime(job: RlorTrainerJob): unknown {
  return "updateTime" in job ? job.updateTime : undefined;
}

/** -1, 0 or 1 as `a` is before, like or after `b`; 0 when either is missing. */
function compareTimes(a: unknown, b: unknown): number {
  if (typeof a !== "string" || typeof b !== "string" || a === b) return 0;
  const difference = Date.parse(a) - Date.parse(b);
  if (difference !== 0 && !Number.isNaN(difference)) return Math.sign(difference);
  // Same millisecond (the API sends microseconds) or unparsable: RFC 3339 times of one server
  // have one width, so the text orders them; a time that cannot be ordered is still a change.
  return a.length === b.length ? (a > b ? 1 : -1) : 1;
}
