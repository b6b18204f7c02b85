import {
  APIUserAbortError,
  InvalidArgumentError,
  JobFailedError,
  JobStalledError,
  WaitTimeoutError,
} from "../core/errors.js";
import { CheckpointNotPromotableError } from "../core/promote.js";
import { JobStuckError } from "../core/reconnect.js";
import { UsageError } from "./args.js";
import { Explained } from "./error-line.js";

/** The CLI's exit codes (documented in --help and the README). */
export const EXIT = {
  ok: 0,
  /** API or network error (any HTTP error, connection failure, timeout of a request). */
  apiError: 1,
  /**
   * Usage or bad input, refused before any change is sent: before any request, or (promote) a
   * checkpoint the job's list shows it cannot promote.
   */
  usage: 2,
  /** The wait timed out (--timeout / --wait-timeout), or reconnect's --settle-timeout ran out. */
  waitTimeout: 3,
  /** The job ended in a state it cannot leave on its own (failed, cancelled, deleted...). */
  jobFailed: 4,
  /** The job stalled: RUNNING without progress for --stall-timeout. */
  stalled: 5,
  /** Interrupted by Ctrl-C (SIGINT), 128 + 2 as shells report it. */
  interrupted: 130,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof Explained) return exitCodeFor(error.cause);
  if (
    error instanceof UsageError ||
    error instanceof InvalidArgumentError ||
    error instanceof CheckpointNotPromotableError
  )
    return EXIT.usage;
  if (error instanceof WaitTimeoutError || error instanceof JobStuckError) return EXIT.waitTimeout;
  if (error instanceof JobFailedError) return EXIT.jobFailed;
  if (error instanceof JobStalledError) return EXIT.stalled;
  if (error instanceof APIUserAbortError) return EXIT.interrupted;
  return EXIT.apiError;
}
