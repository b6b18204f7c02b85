import {
  ACCOUNT_ID_RULE,
  CHECKPOINT_ID_RULE,
  formatRlorTrainerJobName,
  RLOR_TRAINER_JOB_ID_RULE,
  type RlorTrainerJobRef,
} from "../../generated/names.js";
import {
  getRlorTrainerJob,
  iterateRlorTrainerJobCheckpoints,
  type Model,
  promoteCheckpoint,
  type RlorTrainerJobCheckpoint,
} from "../../generated/operations.js";
import {
  checkSegment,
  FireworksError,
  InvalidArgumentError,
  parseName,
  quote,
  type ResourcePattern,
} from "../../generated/runtime.js";
import { isJsonObject } from "../internal/json.js";
import { callOptions } from "./already-there.js";
import type { FireworksClient } from "./client.js";
import { resolveJob } from "./job-name.js";

/**
 * Turning a trainer job's checkpoint into a model (reference/fireworks-trainer-lifecycle.md §5).
 * The promote is account-level and names the checkpoint by its id alone, so which checkpoints
 * a job has, and which of them can be promoted, comes from the job's checkpoint list.
 */

// The spec has no rule for model ids: the one-segment rule every id of the API keeps.
const MODEL_ID_RULE = { ...ACCOUNT_ID_RULE, title: "model id" };

/** `accounts/{account_id}/models/{model_id}`: the output and base models of a promote. */
export const MODEL_PATTERN: ResourcePattern = {
  title: "model",
  template: "accounts/{account_id}/models/{model_id}",
  segments: [
    "accounts",
    { name: "account_id", key: "accountId", rule: ACCOUNT_ID_RULE },
    "models",
    { name: "model_id", key: "modelId", rule: MODEL_ID_RULE },
  ],
};

/** A checkpoint's `name`: the job that wrote it, then its id. */
const JOB_CHECKPOINT_PATTERN: ResourcePattern = {
  title: "checkpoint",
  template:
    "accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}/checkpoints/{checkpoint_id}",
  segments: [
    "accounts",
    { name: "account_id", key: "accountId", rule: ACCOUNT_ID_RULE },
    "rlorTrainerJobs",
    { name: "rlor_trainer_job_id", key: "rlorTrainerJobId", rule: RLOR_TRAINER_JOB_ID_RULE },
    "checkpoints",
    { name: "checkpoint_id", key: "checkpointId", rule: CHECKPOINT_ID_RULE },
  ],
};

interface JobCheckpointParts {
  accountId: string;
  rlorTrainerJobId: string;
  checkpointId: string;
}

/**
 * The checkpoint named, or none asked for (`latest`), is not one the job can promote. Thrown
 * before the promote is sent; `promotable` lists the ids the job can promote, newest first.
 */
export class CheckpointNotPromotableError extends FireworksError {
  override name = "CheckpointNotPromotableError" as const;
  /** The job, as a full name. */
  readonly job: string;
  /** The checkpoint id asked for; undefined when the newest promotable one was. */
  readonly checkpointId: string | undefined;
  /** Ids of the job's promotable checkpoints, newest first. */
  readonly promotable: readonly string[];

  constructor(job: string, checkpointId: string | undefined, reason: string, promotable: string[]) {
    const choices =
      promotable.length === 0
        ? `${job} has no promotable checkpoint`
        : `promotable checkpoints of ${job}, newest first: ${promotable.join(", ")}`;
    super(`${reason}; ${choices}`);
    this.job = job;
    this.checkpointId = checkpointId;
    this.promotable = promotable;
  }
}

/** A checkpoint the job can promote, with the id the promote names it by. */
export interface PromotableCheckpoint {
  /** The last segment of the checkpoint's name. */
  readonly id: string;
  readonly checkpoint: RlorTrainerJobCheckpoint;
}

/** Options of `listPromotableCheckpoints`. */
export interface ListPromotableOptions {
  signal?: AbortSignal | undefined;
}

/** The id of a checkpoint the job `jobName` wrote, or undefined when its name is not one. */
function checkpointIdOf(checkpoint: unknown, jobName: string): string | undefined {
  const name = isJsonObject(checkpoint) ? checkpoint.name : undefined;
  if (typeof name !== "string") return undefined;
  try {
    const parts = parseName<JobCheckpointParts>(JOB_CHECKPOINT_PATTERN, name);
    return formatRlorTrainerJobName(parts) === jobName ? parts.checkpointId : undefined;
  } catch {
    return undefined;
  }
}

function createTimeOf(checkpoint: RlorTrainerJobCheckpoint): number {
  const time = typeof checkpoint.createTime === "string" ? Date.parse(checkpoint.createTime) : NaN;
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** Every checkpoint of the job over all pages, as listed. */
async function allCheckpoints(
  client: FireworksClient,
  jobName: string,
  options: ListPromotableOptions,
): Promise<RlorTrainerJobCheckpoint[]> {
  const checkpoints: RlorTrainerJobCheckpoint[] = [];
  const pages = iterateRlorTrainerJobCheckpoints(client, jobName, {
    // The largest page the server gives: fewest requests for a long run's checkpoints.
    pageSize: 200,
    ...callOptions(options),
  });
  for await (const checkpoint of pages) checkpoints.push(checkpoint);
  return checkpoints;
}

/**
 * The job's checkpoints that can be promoted, newest first (by `createTime`; the later listed
 * first when times tie or cannot be read), from every page of its checkpoint list. The list is
 * server input: only a checkpoint with `promotable: true` and a name of this job counts.
 */
export async function listPromotableCheckpoints(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: ListPromotableOptions = {},
): Promise<PromotableCheckpoint[]> {
  const { name: jobName } = resolveJob(client, job);
  return promotableOf(await allCheckpoints(client, jobName, options), jobName);
}

function promotableOf(
  checkpoints: readonly RlorTrainerJobCheckpoint[],
  jobName: string,
): PromotableCheckpoint[] {
  const promotable = checkpoints.flatMap((checkpoint) => {
    const id = checkpointIdOf(checkpoint, jobName);
    // An id means an object with a name of this job: only then is `promotable` read.
    return id !== undefined && checkpoint.promotable === true ? [{ id, checkpoint }] : [];
  });
  return promotable.reverse().sort((a, b) => {
    const difference = createTimeOf(b.checkpoint) - createTimeOf(a.checkpoint);
    return Number.isNaN(difference) ? 0 : difference;
  });
}

/** The job's full name and its account, resolved once from the ref and the client's defaults. */
/** Why the checkpoint asked for (undefined: the newest promotable one) cannot be promoted. */
function refusal(
  wanted: string | undefined,
  checkpoints: readonly RlorTrainerJobCheckpoint[],
  jobName: string,
): string {
  if (wanted === undefined) return "No checkpoint to promote";
  const listed = checkpoints.find((checkpoint) => checkpointIdOf(checkpoint, jobName) === wanted);
  if (listed === undefined)
    return `Checkpoint ${quote(wanted)} is not among the checkpoints of ${jobName}`;
  // The type is server input: named only when it looks like an enum value.
  const type = listed.checkpointType;
  const typed = typeof type === "string" && /^[A-Z0-9_]{1,64}$/.test(type) ? ` (${type})` : "";
  return `Checkpoint ${quote(wanted)}${typed} cannot be promoted`;
}

/** A model given as a full name, or as an id of the job's account. */
function modelName(model: unknown, accountId: string, what: string): string {
  if (typeof model !== "string") {
    throw new InvalidArgumentError(`${what} must be a model id or name, got ${typeof model}`);
  }
  if (!model.includes("/")) {
    checkSegment(model, MODEL_ID_RULE, ` (${what})`);
    return `accounts/${accountId}/models/${model}`;
  }
  parseName(MODEL_PATTERN, model);
  return model;
}

/** The checkpoint asked for as an id, or as its full name (which must be the job's). */
function checkpointIdArgument(checkpoint: unknown, jobName: string): string {
  if (typeof checkpoint !== "string") {
    throw new InvalidArgumentError(`checkpoint must be an id or name, got ${typeof checkpoint}`);
  }
  if (!checkpoint.includes("/")) {
    checkSegment(checkpoint, CHECKPOINT_ID_RULE);
    return checkpoint;
  }
  const id = checkpointIdOf({ name: checkpoint }, jobName);
  if (id === undefined) {
    parseName(JOB_CHECKPOINT_PATTERN, checkpoint);
    throw new InvalidArgumentError(`Checkpoint ${quote(checkpoint)} is not one of ${jobName}`);
  }
  return id;
}

/** Options of `promoteRlorTrainerJobCheckpoint`. */
export interface PromoteOptions {
  /**
   * The checkpoint: its id (`step-120`) or full name. Default: the newest promotable one.
   */
  checkpoint?: string | undefined;
  /** The model to make: a full name `accounts/{account}/models/{model}`, or a model id of the job's account. */
  outputModel: string;
  /**
   * The base model the new model takes its metadata from. Default: the job's
   * `trainingConfig.baseModel` (read with one GET).
   */
  baseModel?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What a promote made, and from what. */
export interface PromoteResult {
  /** The server's answer: the new model. */
  model: Model | undefined;
  /** The checkpoint promoted, as the job's list showed it. */
  checkpoint: PromotableCheckpoint;
  outputModel: string;
  baseModel: string;
}

/**
 * Promotes a checkpoint of an RLOR trainer job to a model: the one named, or the newest
 * promotable one. Names and ids are checked before anything is sent; the job's checkpoints are
 * then listed (every page), and a checkpoint it cannot promote is refused with a
 * `CheckpointNotPromotableError` before the promote is sent. Without `baseModel`, the job's
 * `trainingConfig.baseModel` is read. The promote itself is never retried once it may have
 * reached the server (its retry class is `unsafe`).
 */
export async function promoteRlorTrainerJobCheckpoint(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: PromoteOptions,
): Promise<PromoteResult> {
  const { name: jobName, accountId } = resolveJob(client, job);
  const outputModel = modelName(options.outputModel, accountId, "outputModel");
  const givenBase =
    options.baseModel === undefined
      ? undefined
      : modelName(options.baseModel, accountId, "baseModel");
  const wanted =
    options.checkpoint === undefined
      ? undefined
      : checkpointIdArgument(options.checkpoint, jobName);

  const checkpoints = await allCheckpoints(client, jobName, options);
  const promotable = promotableOf(checkpoints, jobName);
  const ids = promotable.map((each) => each.id);
  const chosen = wanted === undefined ? promotable[0] : promotable.find((p) => p.id === wanted);
  if (chosen === undefined) {
    throw new CheckpointNotPromotableError(
      jobName,
      wanted,
      refusal(wanted, checkpoints, jobName),
      ids,
    );
  }

  const baseModel = givenBase ?? (await baseModelOf(client, jobName, accountId, options));
  const answer = await promoteCheckpoint(
    client,
    { accountId, checkpointId: chosen.id },
    { outputModel, trainerJobId: jobName, baseModel },
    callOptions(options),
  );
  // The answer is server input: a model only when it is an object.
  const model: unknown = isJsonObject(answer) ? answer.model : undefined;
  return {
    model: isJsonObject(model) ? (model as Model) : undefined,
    checkpoint: chosen,
    outputModel,
    baseModel,
  };
}

/** The job's `trainingConfig.baseModel`, which the server sends as it likes: checked. */
async function baseModelOf(
  client: FireworksClient,
  jobName: string,
  accountId: string,
  options: { signal?: AbortSignal | undefined },
): Promise<string> {
  const found = await getRlorTrainerJob(client, jobName, callOptions(options));
  const config: unknown = found.trainingConfig;
  const base = isJsonObject(config) ? config.baseModel : undefined;
  if (typeof base !== "string" || base === "") {
    throw new InvalidArgumentError(
      `${jobName} has no trainingConfig.baseModel: give the base model (baseModel, --base-model)`,
    );
  }
  return modelName(base, accountId, `the base model of ${jobName}`);
}
