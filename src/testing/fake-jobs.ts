import type {
  JobProgress,
  JobState,
  Model,
  RlorTrainerJob,
  RlorTrainerJobCheckpoint,
  Status,
} from "../../generated/operations.js";

/** A job's `status`: a google.rpc code name, a message and details (a `fakeErrorInfo`, say). */
export type FakeStatus = Status;

/** A job body as the fake server sends it: the API may add fields and states the spec lacks. */
export type FakeJobBody = Omit<RlorTrainerJob, "state"> & {
  state?: JobState | (string & {});
  [field: string]: unknown;
};

/** How a job moves after a successful resume. Every field is optional. */
export interface FakeResumePlan {
  /**
   * GET responses (and the resume response itself) that still show the state from before the
   * resume, as a real server may for a moment. Default 1.
   */
  staleReads?: number;
  /** States passed through on the way to `final`. Default RE_QUEUEING then PENDING. */
  path?: readonly string[];
  /** Where the job ends up. Default JOB_STATE_RUNNING (JOB_STATE_FAILED when `fail` is set). */
  final?: string;
  /**
   * Make the resumed job fail: the message (or status, whose `details` may hold a
   * `fakeErrorInfo`) it ends with in JOB_STATE_FAILED.
   */
  fail?: string | Status;
  /** GET responses that show each step before the job moves on. Default the lifecycle's. */
  pollsPerStep?: number;
  /** Also move on once a step has been shown for this long (ms). Default the lifecycle's. */
  msPerStep?: number;
  /**
   * Hold the job in JOB_STATE_PENDING (each PENDING step of `path`) for this long (ms), however
   * often it is read, as a resumed job waits for capacity, often for hours; `Infinity` keeps it
   * there until `setJobState`. Default: PENDING is a step like the others.
   */
  pendingMs?: number;
}

/**
 * How jobs move after create, cancel and delete. A job shows each state of a path for
 * `pollsPerStep` GETs of it (lists do not count) and stays in the last one.
 */
export interface FakeLifecycle {
  /** GET responses that show each step before the job moves on. Default 1. */
  pollsPerStep?: number;
  /** Also move on once a step has been shown for this long (ms), polled or not. */
  msPerStep?: number;
  /**
   * States of a created job; the create response shows the first. Default CREATING, PENDING,
   * RUNNING, COMPLETED; a `keepAlive` job stops at RUNNING, where it takes train steps.
   */
  create?: readonly string[];
  /** States after a cancel. Default CANCELLING, CANCELLED. */
  cancel?: readonly string[];
  /** States after a delete. Default DELETING, DELETED (kept and readable, left out of lists). */
  delete?: readonly string[];
  /**
   * A RUNNING job stalls: its `updateTime` and `jobProgress` stay as they were when it entered
   * RUNNING, as a hung trainer's do. Default false: each GET of a RUNNING job shows more
   * progress (`jobProgress` and `updateTime` move on).
   */
  stall?: boolean;
}

export interface FakeJobInit {
  /** The job id (last segment of the name). */
  id: string;
  /** Initial state. Default JOB_STATE_PAUSED. */
  state?: string;
  /** Fields merged over the generated body (e.g. `wandbConfig`, `trainingConfig`, `status`). */
  body?: Partial<FakeJobBody>;
  /** Overrides the server-wide plan for this job. */
  resume?: FakeResumePlan;
  /** Overrides the server-wide lifecycle for this job (fields given here win). */
  lifecycle?: FakeLifecycle;
  /** Checkpoints the job has saved. Default 3; each train step adds one. */
  checkpoints?: number;
  /** Start as if a resume had just been accepted: the job walks its plan without a resume call. */
  resumed?: boolean;
  /**
   * Health probes of the trainer answered 404 each time the job reaches JOB_STATE_RUNNING,
   * before it answers 200 (a trainer still starting). Default the server's `notReadyProbes`.
   */
  notReadyProbes?: number;
  /**
   * The trainer's log, served at the signed URL publicLogs answers, in parts that appear as a
   * trainer writes them: the first read of the log shows the first part, each later read one part
   * more, and every read shows all of them once the job rests (paused, ended or deleted).
   * Default none: the log is empty.
   */
  log?: readonly string[];
}

/** The W&B key every generated job carries, so tests can check it never shows up. */
export const FAKE_WANDB_API_KEY = "wandb-fake-secret-4f9d2c7a1b";

/**
 * How the signature of every public-logs signed URL the fake hands out starts (each URL's has a
 * serial number after it), so tests can check it never shows up.
 */
export const FAKE_PUBLIC_LOGS_SIGNATURE = "logs-fake-signature-8e1b5d3c9a";

/** States that stamp `completedTime`. */
export const ENDED_STATES: ReadonlySet<string> = new Set([
  "JOB_STATE_COMPLETED",
  "JOB_STATE_FAILED",
  "JOB_STATE_CANCELLED",
  "JOB_STATE_EXPIRED",
  "JOB_STATE_EARLY_STOPPED",
]);

export function buildFakeJobBody(accountId: string, init: FakeJobInit, now: Date): FakeJobBody {
  const state = init.state ?? "JOB_STATE_PAUSED";
  const base: FakeJobBody = {
    name: `accounts/${accountId}/rlorTrainerJobs/${init.id}`,
    displayName: `grpo-${init.id}`,
    createTime: timestamp(now.getTime() - 3_600_000),
    completedTime: ENDED_STATES.has(state) ? timestamp(now.getTime()) : null,
    dataset: `accounts/${accountId}/datasets/gsm8k-train`,
    evaluationDataset: "",
    evalAutoCarveout: false,
    state,
    status: state === "JOB_STATE_PAUSED" ? { code: "OK", message: "paused by user" } : okStatus(),
    createdBy: "dev@example.com",
    trainingConfig: {
      outputModel: `accounts/${accountId}/models/${init.id}-out`,
      baseModel: "accounts/fireworks/models/qwen3-8b",
      warmStartFrom: "",
      jinjaTemplate: "",
      learningRate: 0.00001,
      maxContextLength: 8192,
      loraRank: 16,
      region: "US_VIRGINIA_1",
      epochs: 1,
      batchSize: 32768,
      gradientAccumulationSteps: 1,
      learningRateWarmupSteps: 0,
      batchSizeSamples: 0,
      optimizerWeightDecay: 0.01,
    },
    rewardWeights: ["accuracy=1.0", "format=0.2"],
    wandbConfig: {
      enabled: true,
      apiKey: FAKE_WANDB_API_KEY,
      project: "rlor",
      entity: "dev",
      runId: init.id,
      url: `https://wandb.ai/dev/rlor/runs/${init.id}`,
    },
    awsS3Config: null,
    keepAlive: false,
    rolloutDeploymentName: "",
    lossConfig: { method: "GRPO", klBeta: 0.001 },
    nodeCount: 1,
    acceleratorSeconds: { NVIDIA_H100_80GB: "7200" },
    serviceMode: false,
    directRouteHandle: "",
    hotLoadDeploymentId: "",
    // A field newer servers send and the spec does not list: clients must keep it.
    jobProgress: null,
  };
  return { ...base, ...init.body };
}

/**
 * The job's first `count` checkpoints, made up from its name: training and inference LoRA
 * checkpoints in turn, one minute apart, as a trainer saves them.
 */
export function buildFakeCheckpoints(job: FakeJobBody, count: number): RlorTrainerJobCheckpoint[] {
  const start = Date.parse(job.createTime ?? "") || 0;
  return Array.from({ length: count }, (_, i) => {
    const time = timestamp(start + (i + 1) * 60_000);
    const inference = i % 2 === 1;
    return {
      name: `${job.name}/checkpoints/step-${i + 1}`,
      createTime: time,
      updateTime: time,
      checkpointType: inference
        ? "CHECKPOINT_TYPE_INFERENCE_LORA"
        : "CHECKPOINT_TYPE_TRAINING_LORA",
      promotable: inference,
    };
  });
}

/** The model a promote of `checkpoint` makes: a LoRA addon on `baseModel`, ready at once. */
export function buildFakeModel(
  name: string,
  baseModel: string,
  job: FakeJobBody,
  checkpoint: RlorTrainerJobCheckpoint,
): Model {
  const lora = checkpoint.checkpointType === "CHECKPOINT_TYPE_INFERENCE_LORA";
  return {
    name,
    displayName: name.split("/").at(-1) ?? name,
    createTime: timestamp(Date.now()),
    state: "READY",
    kind: lora ? "HF_PEFT_ADDON" : "HF_BASE_MODEL",
    ...(lora
      ? {
          peftDetails: {
            baseModel,
            r: Number(job.trainingConfig?.loraRank ?? 0),
            targetModules: [],
          },
        }
      : {}),
  };
}

/** RFC 3339 with microseconds, as the real API sends times. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000Z");
}

/** The progress a RUNNING job shows after `steps` GETs: a percent a step, up to 99. */
export function fakeProgress(steps: number): JobProgress {
  return {
    percent: Math.min(99, steps),
    epoch: 0,
    totalInputRequests: 6400,
    totalProcessedRequests: Math.min(6336, steps * 64),
  };
}

export function okStatus(): Status {
  return { code: "OK", message: "" };
}
