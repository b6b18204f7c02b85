import type { RlorTrainerJob } from "../../generated/operations.js";
import { JobStalledError, type Scrub } from "./errors.js";

const RUNNING = "JOB_STATE_RUNNING";

/**
 * The fields of a RUNNING job that show it at work. A job whose state alone says RUNNING may
 * have a trainer that hangs (Fireworks' cookbook: "stuck in RUNNING at 0 %"); these move while
 * it trains. `updateTime` is not in the spec (yet): newer servers send it.
 */
const PROGRESS_FIELDS = ["updateTime", "jobProgress"] as const;

/** The progress fields of a job, each as comparable text (any JSON the server sent). */
function progressOf(job: RlorTrainerJob): string[] {
  const fields = job as Readonly<Record<string, unknown>>;
  return PROGRESS_FIELDS.map((field) => JSON.stringify(fields[field] ?? null));
}

/**
 * Watches the jobs a wait sees for a stall: a job that stays JOB_STATE_RUNNING while neither its
 * `updateTime` nor its `jobProgress`, nor anything `sawChange` is told of, changes for
 * `stallTimeout` ms. Leaving RUNNING ends the watch; coming back starts it afresh. Off when
 * `stallTimeout` is undefined or Infinity. Checked at each job seen, so a stall is reported at
 * the first poll after the limit.
 */
export class StallWatch {
  readonly #limit: number | undefined;
  readonly #scrub: Scrub;
  /** The progress fields last seen, while the job is RUNNING. */
  #progress: string[] | undefined;
  #lastChange = "state";
  /** What `sawOutcome` was last told. */
  #outcome: string | undefined;
  /** When the last change was seen: `performance.now()`, and the wall clock for the error. */
  #changedAt = 0;
  #changedOn = new Date(0);

  constructor(stallTimeout: number | undefined, scrub: Scrub) {
    this.#limit = stallTimeout === Number.POSITIVE_INFINITY ? undefined : stallTimeout;
    this.#scrub = scrub;
  }

  /** Takes in a job the wait saw; throws JobStalledError once it has stalled. */
  observe(job: RlorTrainerJob): void {
    if (this.#limit === undefined) return;
    if (job.state !== RUNNING) {
      this.#progress = undefined;
      return;
    }
    const progress = progressOf(job);
    const before = this.#progress;
    this.#progress = progress;
    if (before === undefined) {
      this.#changed("state");
      return;
    }
    const changed = PROGRESS_FIELDS.filter((_, i) => progress[i] !== before[i]);
    if (changed.length > 0) {
      this.#changed(changed.join(","));
      return;
    }
    if (performance.now() - this.#changedAt >= this.#limit) {
      const stall = {
        stallTimeout: this.#limit,
        lastChange: this.#lastChange,
        since: this.#changedOn,
      };
      throw new JobStalledError(job, stall, { scrub: this.#scrub });
    }
  }

  /**
   * Something else showed the RUNNING job alive (`what` names it for the error), e.g. an
   * outcome of a health probe that differs from the one before: the stall clock starts again.
   */
  sawChange(what: string): void {
    if (this.#progress !== undefined) this.#changed(what);
  }

  /**
   * The outcome of something else that shows the trainer alive (the health probe's statuses, for
   * a ready wait): an outcome other than the one before counts as a change, as `sawChange`.
   */
  sawOutcome(what: string, outcome: string): void {
    if (this.#outcome !== undefined && outcome !== this.#outcome) this.sawChange(what);
    this.#outcome = outcome;
  }

  #changed(what: string): void {
    this.#lastChange = what;
    this.#changedAt = performance.now();
    this.#changedOn = new Date();
  }
}
