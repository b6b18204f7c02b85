// Create, cancel and delete, each followed by a wait for the state it leads to: the generated
// call, then the wait of wait.ts with the defaults firectl and the official training SDK use.
import { type AccountRef, type RlorTrainerJobRef, resolveAccount } from "../../generated/names.js";
import {
  cancelRlorTrainerJob,
  createRlorTrainerJob,
  deleteRlorTrainerJob,
  type RlorTrainerJob,
} from "../../generated/operations.js";
import { alreadyThere, callOptions } from "./already-there.js";
import type { FireworksClient } from "./client.js";
import { FireworksError, NotFoundError } from "./errors.js";
import {
  pollJob,
  startWait,
  WAIT_DEFAULTS,
  type WaitDefaults,
  type WaitOptions,
  type WaitPlan,
} from "./wait.js";
import { TOMBSTONE_JOB_STATES } from "./wait-tracker.js";

/** How long a cancel waits for JOB_STATE_CANCELLED: 10 minutes, as firectl's `--wait-timeout`. */
export const DEFAULT_CANCEL_TIMEOUT = 10 * 60_000;
/** How long a delete waits for the job to be gone: 30 minutes, as firectl's `--wait-timeout`. */
export const DEFAULT_DELETE_TIMEOUT = 30 * 60_000;

/** How the lifecycle helpers wait; `timeout` defaults per helper. */
export type LifecycleWaitOptions = Pick<
  WaitOptions,
  "timeout" | "pollInterval" | "signal" | "onStateChange" | "onPollError"
>;

/** Options of createRlorTrainerJobAndWait. */
export interface CreateRlorTrainerJobAndWaitOptions
  extends LifecycleWaitOptions,
    Pick<WaitOptions, "pendingTimeout" | "stallTimeout"> {
  /** The new job's id; without one the server makes one up (and the create is not retried). */
  rlorTrainerJobId?: string | undefined;
  /** Training shape (`accounts/<account>/trainingShapes/<shape>[/versions/<version>]`). */
  trainingShape?: string | undefined;
}

/**
 * The wait a helper runs: its defaults, and only the wait options it takes. A wait whose defaults
 * give PENDING no budget of its own (cancel, delete: they lead away from PENDING, and wait as
 * firectl's one `--wait-timeout`) takes no `pendingTimeout`.
 */
export function lifecyclePlan(
  options: LifecycleWaitOptions & Pick<WaitOptions, "pendingTimeout" | "stallTimeout">,
  defaults: WaitDefaults,
): WaitPlan {
  const { timeout, pollInterval, signal, stallTimeout } = options;
  const pendingTimeout = defaults.pendingTimeout === undefined ? undefined : options.pendingTimeout;
  return startWait({ timeout, pendingTimeout, stallTimeout, pollInterval, signal }, defaults);
}

/** The job a create answered with, to poll: by its name, else by the id the caller chose. */
function createdRef(
  client: FireworksClient,
  account: AccountRef | undefined,
  created: RlorTrainerJob,
  rlorTrainerJobId: string | undefined,
): RlorTrainerJobRef {
  if (typeof created.name === "string" && created.name !== "") return created.name;
  if (rlorTrainerJobId === undefined) {
    throw new FireworksError("The created RLOR trainer job came without a name to wait on");
  }
  return { accountId: resolveAccount(client, account).account_id, rlorTrainerJobId };
}

/**
 * Creates the job (one POST), then waits until it is JOB_STATE_RUNNING and resolves to it. A new
 * job may queue in JOB_STATE_PENDING for hours while capacity frees up: that time counts against
 * `pendingTimeout` (default 48 h), all other time against `timeout` (default 15 minutes). Throws
 * like waitForRlorTrainerJob: JobFailedError when the job ends (FAILED, say) before it runs.
 */
export async function createRlorTrainerJobAndWait(
  client: FireworksClient,
  account: AccountRef | undefined,
  job: RlorTrainerJob,
  options: CreateRlorTrainerJobAndWaitOptions = {},
): Promise<RlorTrainerJob> {
  const wait = lifecyclePlan(options, WAIT_DEFAULTS);
  return createAndPoll(client, account, job, options, () => wait);
}

/** Creates the job (one POST), then polls it per the plan `planFor` gives for the new job. */
export async function createAndPoll(
  client: FireworksClient,
  account: AccountRef | undefined,
  job: RlorTrainerJob,
  options: CreateRlorTrainerJobAndWaitOptions,
  planFor: (ref: RlorTrainerJobRef) => WaitPlan,
): Promise<RlorTrainerJob> {
  const { rlorTrainerJobId, trainingShape } = options;
  const created = await createRlorTrainerJob(client, account, job, {
    rlorTrainerJobId,
    trainingShape,
    ...callOptions(options),
  });
  const ref = createdRef(client, account, created, rlorTrainerJobId);
  return pollJob(client, ref, planFor(ref), options, created);
}

/**
 * Cancels the job (one POST `:cancel`, which answers `{}`), then polls until it is
 * JOB_STATE_CANCELLED (default `timeout` 10 minutes) and resolves to it. A job that ends in
 * another state it cannot leave (COMPLETED, FAILED, ...) fails the wait with JobFailedError. When
 * the server refuses the cancel (400 FAILED_PRECONDITION) and the job is already CANCELLED, that
 * job is the answer; already CANCELLING, the wait goes on from it.
 */
export async function cancelRlorTrainerJobAndWait(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: LifecycleWaitOptions = {},
): Promise<RlorTrainerJob> {
  const wait = lifecyclePlan(options, {
    until: ["JOB_STATE_CANCELLED"],
    timeout: DEFAULT_CANCEL_TIMEOUT,
    pendingTimeout: undefined,
  });
  let first: RlorTrainerJob | undefined;
  try {
    await cancelRlorTrainerJob(client, job, callOptions(options));
  } catch (error) {
    const refused = { operationId: "cancelRlorTrainerJob", until: wait.until };
    first = await alreadyThere(client, job, refused, options, error);
  }
  return pollJob(client, job, wait, options, first);
}

/**
 * Deletes the job (one DELETE, which answers `{}`), then polls until it is gone (default
 * `timeout` 30 minutes): it resolves to the tombstone (JOB_STATE_DELETED or JOB_STATE_ARCHIVED),
 * or to `undefined` once a poll answers 404. Whatever state the job still shows meanwhile, it is
 * on its way out, so no state fails this wait. A 404 to the DELETE itself is thrown: the job may
 * never have existed.
 */
export async function deleteRlorTrainerJobAndWait(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: LifecycleWaitOptions = {},
): Promise<RlorTrainerJob | undefined> {
  const wait: WaitPlan = {
    ...lifecyclePlan(options, {
      until: TOMBSTONE_JOB_STATES,
      timeout: DEFAULT_DELETE_TIMEOUT,
      pendingTimeout: undefined,
    }),
    failOnEnd: false,
  };
  let first: RlorTrainerJob | undefined;
  try {
    await deleteRlorTrainerJob(client, job, callOptions(options));
  } catch (error) {
    const refused = { operationId: "deleteRlorTrainerJob", until: wait.until };
    first = await alreadyThere(client, job, refused, options, error);
  }
  try {
    return await pollJob(client, job, wait, options, first);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
