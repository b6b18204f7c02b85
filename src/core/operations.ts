import {
  getRlorTrainerJob as getRlorTrainerJobOperation,
  type OperationOptions,
  type RlorTrainerJob,
  resumeRlorTrainerJob as resumeRlorTrainerJobOperation,
} from "../../generated/operations.js";
import { checkHeaders } from "../internal/header-check.js";
import { type FireworksClient, fetchWithLimits, getClientSettings } from "./client.js";
import { type JobRef, type RlorTrainerJobRef, resolveJobRef } from "./names.js";

/** Per-call overrides of the client's settings. */
export interface CallOptions {
  /** Aborts the call, including waits between retries; never retried. */
  signal?: AbortSignal | undefined;
  /** Time limit of each attempt in ms for this call. */
  timeout?: number | undefined;
  /** Retries for this call. */
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
}

export interface GetRlorTrainerJobOptions extends CallOptions {
  /** Fields to return; empty or `*` returns every field. */
  readMask?: string | undefined;
}

/**
 * Resumes a paused, failed, cancelled or completed RLOR trainer job (`POST …:resume`) and returns
 * the job as the server reports it. The server decides whether the job's state allows it.
 */
export function resumeRlorTrainerJob(
  client: FireworksClient,
  job: JobRef,
  options?: CallOptions,
): Promise<RlorTrainerJob> {
  return rejectOnThrow(() =>
    resumeRlorTrainerJobOperation(
      client,
      { path: pathOf(client, job), body: {} },
      operationOptions(client, options),
    ),
  );
}

/** Reads one RLOR trainer job. Bad input rejects (never throws synchronously) before anything is sent. */
export function getRlorTrainerJob(
  client: FireworksClient,
  job: JobRef,
  options?: GetRlorTrainerJobOptions,
): Promise<RlorTrainerJob> {
  return rejectOnThrow(() => {
    const path = pathOf(client, job);
    const readMask = options?.readMask;
    const params = readMask === undefined ? { path } : { path, query: { readMask } };
    return getRlorTrainerJobOperation(client, params, operationOptions(client, options));
  });
}

/**
 * Turns a synchronous throw (bad input) into a rejection. Used instead of an `async` wrapper,
 * which would add a promise and two microtask turns to every call only to re-wrap the generated
 * function's promise.
 */
function rejectOnThrow<T>(call: () => Promise<T>): Promise<T> {
  try {
    return call();
  } catch (error) {
    return Promise.reject(error);
  }
}

interface JobPath {
  account_id: string;
  rlor_trainer_job_id: string;
}

/** Validates the job before anything is sent; throws `InvalidArgumentError`. */
function pathOf(client: FireworksClient, job: JobRef): JobPath {
  const ref: RlorTrainerJobRef = resolveJobRef(job, getClientSettings(client).accountId);
  return { account_id: ref.accountId, rlor_trainer_job_id: ref.rlorTrainerJobId };
}

function operationOptions(
  client: FireworksClient,
  options: CallOptions | undefined,
): OperationOptions | undefined {
  if (options === undefined) return undefined;
  const { signal, headers, timeout, maxRetries } = options;
  checkHeaders(headers, "the call's headers option");
  const fetch =
    timeout === undefined && maxRetries === undefined
      ? undefined
      : fetchWithLimits(client, { timeout, maxRetries });
  return { signal, headers, fetch };
}
