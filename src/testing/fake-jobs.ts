import type { JobState, RlorTrainerJob, Status } from "../../generated/operations.js";

/** A job's `status`: a google.rpc code name and a message. */
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
  /** Make the resumed job fail: the message (or status) it ends with in JOB_STATE_FAILED. */
  fail?: string | Status;
  /** GET responses that show each step before the job moves on. Default 1. */
  pollsPerStep?: number;
  /** Also move on once a step has been shown for this long (ms), polled or not. */
  msPerStep?: number;
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
  /** Start as if a resume had just been accepted: the job walks its plan without a resume call. */
  resumed?: boolean;
}

/** The W&B key every generated job carries, so tests can check it never shows up. */
export const FAKE_WANDB_API_KEY = "wandb-fake-secret-4f9d2c7a1b";

/** States from which the real API accepts a resume (as the training SDK documents). */
const RESUMABLE_STATES: ReadonlySet<string> = new Set([
  "JOB_STATE_PAUSED",
  "JOB_STATE_FAILED",
  "JOB_STATE_CANCELLED",
  "JOB_STATE_COMPLETED",
]);

/** States that stamp `completedTime`. */
const ENDED_STATES: ReadonlySet<string> = new Set([
  "JOB_STATE_COMPLETED",
  "JOB_STATE_FAILED",
  "JOB_STATE_CANCELLED",
  "JOB_STATE_EXPIRED",
  "JOB_STATE_EARLY_STOPPED",
]);

const DEFAULT_PATH = ["JOB_STATE_RE_QUEUEING", "JOB_STATE_PENDING"] as const;

interface Step {
  state: string;
  status: Status;
  /** Number of GETs this step is shown for; the last step stays forever. */
  polls: number;
}

interface JobRecord {
  body: FakeJobBody;
  plan: FakeResumePlan;
  steps: Step[];
  readsInStep: number;
  stepEnteredAt: number;
}

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

/** RFC 3339 with microseconds, as the real API sends times. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000Z");
}

function okStatus(): Status {
  return { code: "OK", message: "" };
}

function failStatus(fail: string | Status): Status {
  return typeof fail === "string" ? { code: "INTERNAL", message: fail } : fail;
}

/** The steps a job shows after a resume, per its plan. */
function planSteps(previous: Step, plan: FakeResumePlan): Step[] {
  const polls = Math.max(1, plan.pollsPerStep ?? 1);
  const stale = Math.max(0, plan.staleReads ?? 1);
  const final = plan.final ?? (plan.fail === undefined ? "JOB_STATE_RUNNING" : "JOB_STATE_FAILED");
  const finalStatus = plan.fail === undefined ? okStatus() : failStatus(plan.fail);
  const steps: Step[] = [];
  if (stale > 0) steps.push({ ...previous, polls: stale });
  for (const state of plan.path ?? DEFAULT_PATH) steps.push({ state, status: okStatus(), polls });
  steps.push({ state: final, status: finalStatus, polls: Number.POSITIVE_INFINITY });
  return steps;
}

type ResumeOutcome = { ok: true; body: FakeJobBody } | { ok: false; state: string };

/** In-memory jobs and their scripted state changes. */
export class FakeJobStore {
  readonly #accountId: string;
  readonly #defaultPlan: FakeResumePlan;
  readonly #jobs = new Map<string, JobRecord>();

  constructor(accountId: string, defaultPlan: FakeResumePlan) {
    this.#accountId = accountId;
    this.#defaultPlan = defaultPlan;
  }

  add(init: FakeJobInit): FakeJobBody {
    const body = buildFakeJobBody(this.#accountId, init, new Date());
    const current: Step = {
      state: String(body.state),
      status: body.status ?? okStatus(),
      polls: Number.POSITIVE_INFINITY,
    };
    const record: JobRecord = {
      body,
      plan: { ...this.#defaultPlan, ...init.resume },
      steps: [current],
      readsInStep: 0,
      stepEnteredAt: Date.now(),
    };
    if (init.resumed) this.#enter(record, planSteps(current, record.plan));
    this.#jobs.set(init.id, record);
    return structuredClone(record.body);
  }

  has(id: string): boolean {
    return this.#jobs.has(id);
  }

  /** The job as stored, without counting as a read. */
  peek(id: string): FakeJobBody | undefined {
    const record = this.#jobs.get(id);
    return record && structuredClone(this.#advanceByTime(record).body);
  }

  /** Forces a state (and optionally a status) now, dropping any scripted steps. */
  setState(id: string, state: string, status?: Status): FakeJobBody {
    const record = this.#require(id);
    this.#enter(record, [{ state, status: status ?? okStatus(), polls: Number.POSITIVE_INFINITY }]);
    return structuredClone(record.body);
  }

  /** A GET: shows the current step and counts the read toward moving on. */
  read(id: string): FakeJobBody | undefined {
    const record = this.#jobs.get(id);
    if (!record) return undefined;
    this.#advanceByTime(record);
    const shown = structuredClone(record.body);
    record.readsInStep += 1;
    const step = record.steps[0];
    if (step && record.readsInStep >= step.polls) this.#enter(record, record.steps.slice(1));
    return shown;
  }

  /** A resume: refuses states the real API refuses, else starts the scripted steps. */
  resume(id: string): ResumeOutcome | undefined {
    const record = this.#jobs.get(id);
    if (!record) return undefined;
    this.#advanceByTime(record);
    const current = record.steps[0];
    if (!current || !RESUMABLE_STATES.has(current.state)) {
      return { ok: false, state: String(record.body.state) };
    }
    this.#enter(record, planSteps(current, record.plan));
    // The resume response counts as the first stale read, as it shows the same thing.
    return { ok: true, body: this.read(id) ?? record.body };
  }

  #require(id: string): JobRecord {
    const record = this.#jobs.get(id);
    if (!record) throw new Error(`fake server: no job with id ${JSON.stringify(id)}`);
    return record;
  }

  #advanceByTime(record: JobRecord): JobRecord {
    const ms = record.plan.msPerStep;
    while (ms !== undefined && record.steps.length > 1 && Date.now() - record.stepEnteredAt >= ms) {
      this.#enter(record, record.steps.slice(1), record.stepEnteredAt + ms);
    }
    return record;
  }

  #enter(record: JobRecord, steps: Step[], at = Date.now()): void {
    const step = steps[0];
    if (!step) return;
    record.steps = steps;
    record.readsInStep = 0;
    record.stepEnteredAt = at;
    const completedTime = ENDED_STATES.has(step.state) ? timestamp(at) : null;
    record.body = { ...record.body, state: step.state, status: step.status, completedTime };
  }
}
