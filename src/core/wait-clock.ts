import { MAX_TIMER_MS } from "../internal/limits.js";

/**
 * A wait's time limits. A job may queue in JOB_STATE_PENDING for hours while capacity frees up,
 * far longer than it should take to start once it has capacity; so, when `pendingTimeout` is
 * given, the time the job spends in PENDING counts against it and all other time against
 * `timeout` (as the official training SDK's separate pending and readiness budgets do).
 * Without it, every moment counts against `timeout`.
 */
export interface WaitLimits {
  timeout: number;
  pendingTimeout: number | undefined;
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
  readonly limit: number;
  #left: number;
  #startedAt: number | undefined;
  #cancel: (() => void) | undefined;
  readonly #onExpire: (limit: number) => void;

  constructor(limit: number, onExpire: (limit: number) => void) {
    this.limit = limit;
    this.#left = limit;
    this.#onExpire = onExpire;
  }

  start(): void {
    if (this.#startedAt !== undefined) return;
    this.#startedAt = performance.now();
    this.#cancel = callAfter(this.#left, () => this.#onExpire(this.limit));
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
  #expiredLimit: number | undefined;

  constructor({ timeout, pendingTimeout }: WaitLimits) {
    const expire = (limit: number): void => {
      this.#expiredLimit = limit;
      this.#controller.abort();
    };
    this.#other = new Budget(timeout, expire);
    this.#pending = pendingTimeout === undefined ? undefined : new Budget(pendingTimeout, expire);
    this.#other.start();
  }

  /** Aborted when a limit has run out. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The limit (ms) that ran out, once one has. */
  get expiredLimit(): number | undefined {
    return this.#expiredLimit;
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
