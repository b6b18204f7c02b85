import type { Status } from "../../generated/operations.js";
import {
  buildFakeJobBody,
  ENDED_STATES,
  type FakeJobBody,
  type FakeJobInit,
  type FakeLifecycle,
  type FakeResumePlan,
  fakeProgress,
  okStatus,
  timestamp,
} from "./fake-jobs.js";

/** States from which the real API accepts a resume (as the training SDK documents). */
const RESUMABLE_STATES: ReadonlySet<string> = new Set([
  "JOB_STATE_PAUSED",
  "JOB_STATE_FAILED",
  "JOB_STATE_CANCELLED",
  "JOB_STATE_COMPLETED",
]);

/** States of a job that is still on its way or at work, which a cancel stops. */
const CANCELLABLE_STATES: ReadonlySet<string> = new Set([
  "JOB_STATE_CREATING",
  "JOB_STATE_VALIDATING",
  "JOB_STATE_CREATING_INPUT_DATASET",
  "JOB_STATE_PENDING",
  "JOB_STATE_RE_QUEUEING",
  "JOB_STATE_RUNNING",
  "JOB_STATE_IDLE",
  "JOB_STATE_WRITING_RESULTS",
  "JOB_STATE_PAUSED",
]);

/** A cancel here changes nothing and succeeds, so that a retried cancel (idempotent) does too. */
const CANCEL_DONE_STATES: ReadonlySet<string> = new Set([
  "JOB_STATE_CANCELLING",
  "JOB_STATE_CANCELLED",
]);

/** Tombstones: readable, left out of lists (the service keeps them 30 days). */
export const TOMBSTONE_STATES: ReadonlySet<string> = new Set([
  "JOB_STATE_DELETED",
  "JOB_STATE_ARCHIVED",
]);

/** A delete here changes nothing: the service keeps the first deletion's clock. */
const DELETE_DONE_STATES: ReadonlySet<string> = new Set([
  ...TOMBSTONE_STATES,
  "JOB_STATE_DELETING",
  "JOB_STATE_DELETING_CLEANING_UP",
]);

/** Fields the server sets; a create ignores them in the body, as AIP-203 says of output-only fields. */
const OUTPUT_ONLY = [
  "name",
  "createTime",
  "completedTime",
  "state",
  "status",
  "createdBy",
  "jobProgress",
  "updateTime",
  "acceleratorSeconds",
  "directRouteHandle",
] as const;

const RUNNING = "JOB_STATE_RUNNING";
const DEFAULT_RESUME_PATH = ["JOB_STATE_RE_QUEUEING", "JOB_STATE_PENDING"];
const DEFAULT_CREATE_PATH = ["JOB_STATE_CREATING", "JOB_STATE_PENDING", "JOB_STATE_RUNNING"];
const DEFAULT_CANCEL_PATH = ["JOB_STATE_CANCELLING", "JOB_STATE_CANCELLED"];
const DEFAULT_DELETE_PATH = ["JOB_STATE_DELETING", "JOB_STATE_DELETED"];

/** How long a step is shown: GETs of the job, and optionally time. */
interface Pace {
  polls: number;
  ms: number | undefined;
}

interface Step {
  state: string;
  status: Status;
  /** Number of GETs this step is shown for; the last step stays forever. */
  polls: number;
  /** Time this step is shown for, polled or not. */
  ms: number | undefined;
}

interface JobRecord {
  body: FakeJobBody;
  plan: FakeResumePlan;
  lifecycle: FakeLifecycle;
  steps: Step[];
  readsInStep: number;
  stepEnteredAt: number;
  checkpoints: number;
  /** Health probes to answer "not ready" after the job reaches RUNNING. */
  notReadyProbes: number;
  /** Health probes since the job last reached RUNNING. */
  probesInRunning: number;
  /** GETs of the job while RUNNING, each one more step of progress (unless it stalls). */
  progressSteps: number;
}

/** What a state-changing call did: the job after it, or the state that refused it. */
export type Outcome = { ok: true; body: FakeJobBody } | { ok: false; state: string };

function failStatus(fail: string | Status): Status {
  return typeof fail === "string" ? { code: "INTERNAL", message: fail } : fail;
}

function paceOf(lifecycle: FakeLifecycle, plan: FakeResumePlan = {}): Pace {
  return {
    polls: Math.max(1, plan.pollsPerStep ?? lifecycle.pollsPerStep ?? 1),
    ms: plan.msPerStep ?? lifecycle.msPerStep,
  };
}

/** One step per state at `pace`; the last one stays. */
function pathSteps(states: readonly string[], pace: Pace, final: Status = okStatus()): Step[] {
  return states.map((state, i) =>
    i === states.length - 1
      ? { state, status: final, polls: Number.POSITIVE_INFINITY, ms: undefined }
      : { state, status: okStatus(), polls: pace.polls, ms: pace.ms },
  );
}

/** The steps a job shows after a resume, per its plan. */
function resumeSteps(previous: Step, plan: FakeResumePlan, lifecycle: FakeLifecycle): Step[] {
  const pace = paceOf(lifecycle, plan);
  const stale = Math.max(0, plan.staleReads ?? 1);
  const final = plan.final ?? (plan.fail === undefined ? "JOB_STATE_RUNNING" : "JOB_STATE_FAILED");
  const finalStatus = plan.fail === undefined ? okStatus() : failStatus(plan.fail);
  const states = [...(plan.path ?? DEFAULT_RESUME_PATH), final];
  const staleSteps = stale > 0 ? [{ ...previous, polls: stale, ms: pace.ms }] : [];
  const steps = pathSteps(states, pace, finalStatus);
  return [...staleSteps, ...(plan.pendingMs === undefined ? steps : held(steps, plan.pendingMs))];
}

/** The steps with each PENDING one on the way shown for `ms`, however often it is read. */
function held(steps: readonly Step[], ms: number): Step[] {
  return steps.map((step, i) =>
    step.state === "JOB_STATE_PENDING" && i < steps.length - 1
      ? { ...step, polls: Number.POSITIVE_INFINITY, ms }
      : step,
  );
}

function withoutOutputOnly(body: Readonly<Record<string, unknown>>): Partial<FakeJobBody> {
  const copy: Record<string, unknown> = { ...body };
  for (const field of OUTPUT_ONLY) delete copy[field];
  return copy;
}

/** In-memory jobs and their scripted state changes: the lifecycle, written by hand. */
export class FakeJobStore {
  readonly #accountId: string;
  readonly #defaultPlan: FakeResumePlan;
  readonly #defaultLifecycle: FakeLifecycle;
  readonly #defaultNotReadyProbes: number;
  readonly #jobs = new Map<string, JobRecord>();
  /** Models made by promotes: a model name is taken once. */
  readonly #models = new Set<string>();

  constructor(
    accountId: string,
    defaultPlan: FakeResumePlan,
    defaultLifecycle: FakeLifecycle,
    defaultNotReadyProbes = 0,
  ) {
    this.#accountId = accountId;
    this.#defaultPlan = defaultPlan;
    this.#defaultLifecycle = defaultLifecycle;
    this.#defaultNotReadyProbes = defaultNotReadyProbes;
  }

  /** Adds (or replaces) a job as a test sets it up. */
  add(init: FakeJobInit): FakeJobBody {
    const body = buildFakeJobBody(this.#accountId, init, new Date());
    const current: Step = {
      state: String(body.state),
      status: body.status ?? okStatus(),
      polls: Number.POSITIVE_INFINITY,
      ms: undefined,
    };
    const record: JobRecord = {
      body,
      plan: { ...this.#defaultPlan, ...init.resume },
      lifecycle: { ...this.#defaultLifecycle, ...init.lifecycle },
      steps: [current],
      readsInStep: 0,
      stepEnteredAt: Date.now(),
      checkpoints: Math.max(0, init.checkpoints ?? 3),
      notReadyProbes: Math.max(0, init.notReadyProbes ?? this.#defaultNotReadyProbes),
      probesInRunning: 0,
      progressSteps: 0,
    };
    if (init.resumed) this.#enter(record, resumeSteps(current, record.plan, record.lifecycle));
    this.#jobs.set(init.id, record);
    return structuredClone(record.body);
  }

  /**
   * A create: the job starts on the create path, and the response counts as its first read, as
   * a resume response does. Undefined when the id is taken (tombstones included).
   */
  create(id: string, given: Readonly<Record<string, unknown>>): FakeJobBody | undefined {
    if (this.#jobs.has(id)) return undefined;
    const lifecycle = this.#defaultLifecycle;
    const body = { ...withoutOutputOnly(given), createTime: timestamp(Date.now()) };
    const states =
      lifecycle.create ??
      (body.keepAlive === true
        ? DEFAULT_CREATE_PATH
        : [...DEFAULT_CREATE_PATH, "JOB_STATE_COMPLETED"]);
    const [first = "JOB_STATE_CREATING"] = states;
    this.add({ id, state: first, body, checkpoints: 0 });
    const record = this.#require(id);
    this.#enter(record, pathSteps(states, paceOf(lifecycle)));
    return this.read(id);
  }

  /** The job as stored, without counting as a read. */
  peek(id: string): FakeJobBody | undefined {
    const record = this.#jobs.get(id);
    return record && structuredClone(this.#advanceByTime(record).body);
  }

  /** Every job as stored, in the order they were added, without counting as reads. */
  all(): FakeJobBody[] {
    return [...this.#jobs.values()].map((record) =>
      structuredClone(this.#advanceByTime(record).body),
    );
  }

  /** How many checkpoints the job has saved, or undefined for no such job. */
  checkpointCount(id: string): number | undefined {
    return this.#jobs.get(id)?.checkpoints;
  }

  /** Forces a state (and optionally a status) now, dropping any scripted steps. */
  setState(id: string, state: string, status?: Status): FakeJobBody {
    const record = this.#require(id);
    this.#enter(record, pathSteps([state], paceOf(record.lifecycle), status));
    return structuredClone(record.body);
  }

  /** A GET: shows the current step and counts the read toward moving on. */
  read(id: string): FakeJobBody | undefined {
    const record = this.#jobs.get(id);
    if (!record) return undefined;
    this.#advanceByTime(record);
    this.#progress(record);
    const shown = structuredClone(record.body);
    record.readsInStep += 1;
    const step = record.steps[0];
    if (step && record.readsInStep >= step.polls) this.#enter(record, record.steps.slice(1));
    return shown;
  }

  /**
   * A health probe of the job's trainer: ready once the job is RUNNING and has answered its
   * `notReadyProbes` since reaching RUNNING; undefined for no such job. Not a read of the job.
   */
  probe(id: string): boolean | undefined {
    const record = this.#jobs.get(id);
    if (!record) return undefined;
    if (this.#advanceByTime(record).body.state !== RUNNING) return false;
    record.probesInRunning += 1;
    return record.probesInRunning > record.notReadyProbes;
  }

  /** A resume: refuses states the real API refuses, else starts the scripted steps. */
  resume(id: string): Outcome | undefined {
    const outcome = this.#change(id, (record, state) => {
      const current = record.steps[0];
      if (!current || !RESUMABLE_STATES.has(state)) return false;
      this.#enter(record, resumeSteps(current, record.plan, record.lifecycle));
      return true;
    });
    if (!outcome?.ok) return outcome;
    // The resume response counts as the first stale read, as it shows the same thing.
    return { ok: true, body: this.read(id) ?? outcome.body };
  }

  /** A cancel: a job on its way or at work goes down the cancel path. */
  cancel(id: string): Outcome | undefined {
    return this.#change(id, (record, state) => {
      if (CANCEL_DONE_STATES.has(state)) return true;
      if (!CANCELLABLE_STATES.has(state)) return false;
      this.#walk(record, record.lifecycle.cancel ?? DEFAULT_CANCEL_PATH);
      return true;
    });
  }

  /** A delete: soft, down the delete path to a tombstone; a repeat changes nothing. */
  delete(id: string): Outcome | undefined {
    return this.#change(id, (record, state) => {
      if (!DELETE_DONE_STATES.has(state)) {
        this.#walk(record, record.lifecycle.delete ?? DEFAULT_DELETE_PATH);
      }
      return true;
    });
  }

  /** A train step: only a running keep-alive job takes one, and saves a checkpoint for it. */
  trainStep(id: string): Outcome | undefined {
    return this.#change(id, (record, state) => {
      if (record.body.keepAlive !== true || state !== "JOB_STATE_RUNNING") return false;
      record.checkpoints += 1;
      return true;
    });
  }

  /** Takes a model name for a promote; false when a model of that name exists already. */
  claimModel(name: string): boolean {
    if (this.#models.has(name)) return false;
    this.#models.add(name);
    return true;
  }

  /** Applies `change` to the job as it stands now; it answers whether the state allowed it. */
  #change(id: string, change: (record: JobRecord, state: string) => boolean): Outcome | undefined {
    const record = this.#jobs.get(id);
    if (!record) return undefined;
    this.#advanceByTime(record);
    const state = String(record.body.state);
    return change(record, state)
      ? { ok: true, body: structuredClone(record.body) }
      : { ok: false, state };
  }

  #walk(record: JobRecord, states: readonly string[]): void {
    this.#enter(record, pathSteps(states, paceOf(record.lifecycle)));
  }

  #require(id: string): JobRecord {
    const record = this.#jobs.get(id);
    if (!record) throw new Error(`fake server: no job with id ${JSON.stringify(id)}`);
    return record;
  }

  #advanceByTime(record: JobRecord): JobRecord {
    for (;;) {
      const ms = record.steps[0]?.ms;
      if (ms === undefined || record.steps.length < 2 || Date.now() - record.stepEnteredAt < ms) {
        return record;
      }
      this.#enter(record, record.steps.slice(1), record.stepEnteredAt + ms);
    }
  }

  #enter(record: JobRecord, steps: Step[], at = Date.now()): void {
    const step = steps[0];
    if (!step) return;
    record.steps = steps;
    record.readsInStep = 0;
    record.stepEnteredAt = at;
    // Reaching RUNNING starts the trainer anew: it answers its probes after notReadyProbes more.
    if (step.state === RUNNING && record.body.state !== RUNNING) record.probesInRunning = 0;
    const completedTime = ENDED_STATES.has(step.state) ? timestamp(at) : null;
    // A step that shows the same state (a stale read after a resume) changes nothing on the job.
    const moved = step.state === record.body.state ? {} : { updateTime: timestamp(at) };
    record.body = {
      ...record.body,
      ...moved,
      state: step.state,
      status: step.status,
      completedTime,
    };
  }

  /** A GET of a RUNNING job that does not stall shows it one step further. */
  #progress(record: JobRecord): void {
    if (record.body.state !== "JOB_STATE_RUNNING" || record.lifecycle.stall) return;
    record.progressSteps += 1;
    const jobProgress = fakeProgress(record.progressSteps);
    record.body = { ...record.body, jobProgress, updateTime: timestamp(Date.now()) };
  }
}
