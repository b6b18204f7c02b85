import { MAX_TIMER_MS } from "../internal/limits.js";
import type { WaitBudget } from "./errors.js";

/**
 * A wait's time limits. A job may queue in JOB_STATE_PENDING for hours while capacity frees up,
 * far longer than it should take to start once it has capacity; so, when `pendingTimeout` is
 * given, the time the job spends in PENDING counts against it and all other time against
 * `timeout` (as the official training SDK's separate capacity and readiness budgets do). Unlike
 * that SDK's readiness deadline, which starts at the first state outside PENDING and keeps
 * running through a later RE_QUEUEING -> PENDING, `timeout` only ever runs outside PENDING.
 * Without `pendingTimeout` (cancel and delete), every moment counts against `timeout`.
 */
export interface WaitLimits {
  timeout: number;
  pendingTimeout: number | undefined;
}

/** The budget that ran out, and its limit in ms. */
export interface ExpiredBudget {
  budget: WaitBudget;
  limit: number;
}

const PENDING = "JOB_STATE_PENDING";

/**
 * Calls `onExpire` after `ms` (never for Infinity); returns a function that cancels it.
 * Limits beyond setTimeout's are reached in steps, so a long finite limit still expires.
 */
function callAfter(ms: number, onExpire: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (left: number): void => {
    timer =
      left > MAX_TIMER_MS
        ? setTimeout(() => arm(left - MAX_TIMER_MS), MAX_TIMER_MS)
        : setTimeout(onExpire, left);
  };
  if (ms !== Number.POSITIVE_INFINITY) arm(ms);
  return () => clearTimeout(timer);
}

/** A time budget that can be paused: it only runs down while started. */
class Budget {
  readonly #expired: ExpiredBudget;
  #left: number;
  #startedAt: number | undefined;
  #cancel: (() => void) | undefined;
  readonly #onExpire: (expired: ExpiredBudget) => void;

  constructor(budget: WaitBudget, limit: number, onExpire: (expired: ExpiredBudget) => void) {
    this.#expired = { budget, limit };
    this.#left = limit;
    this.#onExpire = onExpire;
  }

  start(): void {
    if (this.#startedAt !== undefined) return;
    this.#startedAt = performance.now();
    this.#cancel = callAfter(this.#left, () => this.#onExpire(this.#expired));
  }

  pause(): void {
    if (this.#startedAt === undefined) return;
    this.#cancel?.();
    this.#left = Math.max(0, this.#left - (performance.now() - this.#startedAt));
    this.#startedAt = undefined;
  }
}

/**
 * Aborts `signal` once a limit runs out. Call `observe` with the state of each job seen (time
 * between two observations counts toward the phase of the first) and `stop` when the wait ends.
 */
export class WaitClock {
  readonly #controller = new AbortController();
  readonly #other: Budget;
  readonly #pending: Budget | undefined;
  #expired: ExpiredBudget | undefined;

  constructor({ timeout, pendingTimeout }: WaitLimits) {
    const expire = (expired: ExpiredBudget): void => {
      this.#expired = expired;
      this.#controller.abort();
    };
    this.#other = new Budget("timeout", timeout, expire);
    this.#pending =
      pendingTimeout === undefined
        ? undefined
        : new Budget("pendingTimeout", pendingTimeout, expire);
    this.#other.start();
  }

  /** Aborted when a limit has run out. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The budget that ran out, once one has. */
  get expired(): ExpiredBudget | undefined {
    return this.#expired;
  }

  observe(state: unknown): void {
    if (this.#pending === undefined) return;
    const [running, paused] =
      state === PENDING ? [this.#pending, this.#other] : [this.#other, this.#pending];
    paused.pause();
    running.start();
  }

  stop(): void {
    this.#other.pause();
    this.#pending?.pause();
  }
}
