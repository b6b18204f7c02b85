import type { RlorTrainerJobRef } from "../../generated/names.js";
import { getRlorTrainerJob, type RlorTrainerJob } from "../../generated/operations.js";
import type { FireworksClient } from "./client.js";
import { BadRequestError } from "./errors.js";
import type { StateListener } from "./wait-tracker.js";

/** The per-call options a helper passes to the call it starts with: only the caller's signal. */
export function callOptions(options: { signal?: AbortSignal | undefined }): {
  signal?: AbortSignal;
} {
  return options.signal ? { signal: options.signal } : {};
}

/**
 * The answer to a refused resume, cancel or delete. The server refuses one the job's state does
 * not allow with 400 FAILED_PRECONDITION, also when the job is already where the caller wants it
 * (resuming a RUNNING job, cancelling a CANCELLED one): then a GET shows it there, and that job
 * is the answer. Any other refusal, or a job elsewhere, rethrows `refusal`.
 */
export async function alreadyThere(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  plan: { until: ReadonlySet<string> },
  options: { signal?: AbortSignal | undefined; onStateChange?: StateListener | undefined },
  refusal: unknown,
): Promise<RlorTrainerJob> {
  if (!(refusal instanceof BadRequestError && refusal.code === "FAILED_PRECONDITION")) {
    throw refusal;
  }
  let current: RlorTrainerJob;
  try {
    current = await getRlorTrainerJob(client, job, callOptions(options));
  } catch (error) {
    // The refusal says more than a failed look at the job, unless the caller stopped it.
    throw options.signal?.aborted ? error : refusal;
  }
  if (typeof current.state !== "string" || !plan.until.has(current.state)) throw refusal;
  options.onStateChange?.(current, undefined);
  return current;
}
