// Ready waits: until the job is RUNNING and its trainer answers its health probe (health.ts),
// resolving to the job and the trainer's endpoint.
import type { AccountRef, RlorTrainerJobRef } from "../../generated/names.js";
import type { RlorTrainerJob } from "../../generated/operations.js";
import type { FireworksClient } from "./client.js";
import {
  type ReadyCheck,
  type ReadyOptions,
  type ReadyTrainerJob,
  readyCheckFor,
  type TrainerEndpoint,
} from "./health.js";
import {
  type CreateRlorTrainerJobAndWaitOptions,
  createAndPoll,
  lifecyclePlan,
} from "./lifecycle.js";
import {
  pollJob,
  resumeAndPoll,
  startWait,
  WAIT_DEFAULTS,
  type WaitDefaults,
  type WaitOptions,
  type WaitPlan,
} from "./wait.js";

/** Options of a ready wait: a wait's, without `until` (RUNNING and answering), and the probe's. */
export interface ReadyWaitOptions extends Omit<WaitOptions, "until">, ReadyOptions {}

/** Options of createRlorTrainerJobAndWaitReady. */
export interface CreateRlorTrainerJobAndWaitReadyOptions
  extends CreateRlorTrainerJobAndWaitOptions,
    ReadyOptions {}

/**
 * A ready wait's settings, checked: the wait's own, defaults applied, with RUNNING as its target
 * whatever `until` the options carry (a WaitOptions object spread into them type-checks with one,
 * and would otherwise make the wait probe a job in another state, or never probe).
 */
export function startReadyWait(
  options: Omit<WaitOptions, "until">,
  defaults: WaitDefaults,
): WaitPlan {
  return startWait({ ...options, until: ["JOB_STATE_RUNNING"] }, defaults);
}

/** A plan whose ready check keeps the endpoint it found, and the job and endpoint once over. */
export class ReadyTracking {
  #endpoint: TrainerEndpoint | undefined;
  readonly #check: ReadyCheck;

  constructor(check: ReadyCheck) {
    this.#check = check;
  }

  /** `plan` with this tracking's ready check. */
  plan(plan: WaitPlan): WaitPlan {
    return {
      ...plan,
      ready: async (job, signal) => {
        const round = await this.#check(job, signal);
        this.#endpoint = round.endpoint;
        return round;
      },
    };
  }

  /** The job a wait with this plan resolved to, and the endpoint that made it ready. */
  result(job: RlorTrainerJob): ReadyTrainerJob {
    const endpoint = this.#endpoint;
    // pollJob returns only once the check has found an endpoint.
    if (endpoint === undefined) throw new Error("a ready wait ended without an endpoint");
    return { job, endpoint };
  }
}

/**
 * Polls the job until it is JOB_STATE_RUNNING and its trainer answers its health probe
 * (`GET {baseUrl}/training/v1/rlorTrainerJobs/{account}/{job}/api/v1/healthz` with 200; a job
 * reads RUNNING before its trainer serves), and resolves to the job and the trainer's endpoint.
 * Each probe is one request of at most 5 s; any other answer or a failed request means "not
 * yet" and the next poll probes again. Throws as waitForRlorTrainerJob does; the time in
 * JOB_STATE_PENDING counts against `pendingTimeout` (default 48 h), all other time against
 * `timeout` (default 15 minutes), probing included.
 */
export async function waitForRlorTrainerJobReady(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: ReadyWaitOptions = {},
): Promise<ReadyTrainerJob> {
  const plan = startReadyWait(options, WAIT_DEFAULTS);
  const tracking = new ReadyTracking(readyCheckFor(client, options)(job));
  return tracking.result(await pollJob(client, job, tracking.plan(plan), options));
}

/**
 * Resumes the job as resumeRlorTrainerJobAndWait does, then waits until it is ready as
 * waitForRlorTrainerJobReady does, and resolves to the job and the trainer's endpoint.
 */
export async function resumeRlorTrainerJobAndWaitReady(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: ReadyWaitOptions = {},
): Promise<ReadyTrainerJob> {
  const plan = startReadyWait(options, WAIT_DEFAULTS);
  const tracking = new ReadyTracking(readyCheckFor(client, options)(job));
  return tracking.result(await resumeAndPoll(client, job, tracking.plan(plan), options));
}

/**
 * Creates the job as createRlorTrainerJobAndWait does, then waits until it is ready as
 * waitForRlorTrainerJobReady does, and resolves to the job and the trainer's endpoint.
 */
export async function createRlorTrainerJobAndWaitReady(
  client: FireworksClient,
  account: AccountRef | undefined,
  job: RlorTrainerJob,
  options: CreateRlorTrainerJobAndWaitReadyOptions = {},
): Promise<ReadyTrainerJob> {
  const plan = lifecyclePlan(options, WAIT_DEFAULTS);
  const checkFor = readyCheckFor(client, options);
  let tracking: ReadyTracking | undefined;
  const done = await createAndPoll(client, account, job, options, (ref) => {
    tracking = new ReadyTracking(checkFor(ref));
    return tracking.plan(plan);
  });
  if (tracking === undefined) throw new Error("a ready wait ended without a plan");
  return tracking.result(done);
}
