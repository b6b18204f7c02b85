import {
  formatRlorTrainerJobName,
  type RlorTrainerJobRef,
  resolveRlorTrainerJob,
} from "../../generated/names.js";
import type { FireworksClient } from "./client.js";

/** A job reference as the client reads it (a bare id takes the client's account), checked. */
export interface ResolvedJob {
  /** `accounts/<account>/rlorTrainerJobs/<id>`. */
  readonly name: string;
  readonly accountId: string;
  readonly jobId: string;
}

/** Throws InvalidArgumentError for a bad reference, or a bare id without an account. */
export function resolveJob(client: FireworksClient, ref: RlorTrainerJobRef): ResolvedJob {
  const { account_id: accountId, rlor_trainer_job_id: jobId } = resolveRlorTrainerJob(client, ref);
  return {
    name: formatRlorTrainerJobName({ accountId, rlorTrainerJobId: jobId }),
    accountId,
    jobId,
  };
}
