import type { RlorTrainerJobRef } from "../../generated/names.js";
import { getRlorTrainerJob, type RlorTrainerJob } from "../../generated/operations.js";
import { showsEffect } from "../internal/reconcile.js";
import type { FireworksClient } from "./client.js";
import { BadRequestError } from "./errors.js";

/** The per-call options a helper passes to the call it starts with: only the caller's signal. */
export function callOptions(options: { signal?: AbortSignal | undefined }): {
  signal?: AbortSignal;
} {
  return options.signal ? { signal: options.signal } : {};
}

/**
 * The job to go on from after a refused resume, cancel or delete. The server refuses one the
 * job's state does not allow with 400 FAILED_PRECONDITION, also when the job is already where
 * the caller wants it (resuming a RUNNING job, cancelling a CANCELLED one) or on its way there
 * (resuming a PENDING job, cancelling a CANCELLING one: the states reconcile.ts takes as the
 * call's effect). Then a GET shows it so, and that job is where the wait starts. Any other
 * refusal, or a job elsewhere, rethrows `refusal`.
 */
export async function alreadyThere(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  refused: { operationId: string; until: ReadonlySet<string> },
  options: { signal?: AbortSignal | undefined },
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
  const { state } = current;
  const there = typeof state === "string" && refused.until.has(state);
  if (!there && !showsEffect(refused.operationId, state)) throw refusal;
  return current;
}
