/** The callbacks waiting on one signal, and the one listener the signal has for all of them. */
interface Waiters {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const waitersOf = new WeakMap<AbortSignal, Waiters>();

/**
 * The one place that listens to an AbortSignal: `onAbort` runs once when `signal` aborts (at once
 * if it already has), and the returned function removes it, so nothing stays behind on a
 * caller's long-lived signal once a call or wait ends. However many calls share a signal, it has
 * one listener: Node warns of a leak (MaxListenersExceededWarning) from the 11th.
 */
export function whenAborted(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (signal === undefined) return detached;
  if (signal.aborted) {
    onAbort();
    return detached;
  }
  let waiters = waitersOf.get(signal);
  if (waiters === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      waitersOf.delete(signal);
      for (const callback of callbacks) callback();
    };
    waiters = { callbacks, listener };
    waitersOf.set(signal, waiters);
    signal.addEventListener("abort", listener, { once: true });
  }
  // Its own function: the same `onAbort` may wait twice, and each release removes its own.
  const callback = (): void => onAbort();
  const { callbacks, listener } = waiters;
  callbacks.add(callback);
  return () => {
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    if (waitersOf.get(signal) === waiters) waitersOf.delete(signal);
    signal.removeEventListener("abort", listener);
  };
}

function detached(): void {}

/**
 * A signal that aborts when any of `signals` does, and a `release` that detaches it from them.
 * Unlike AbortSignal.any, it leaves nothing behind on a caller's long-lived signal once released
 * (AbortSignal.any keeps an entry per call there until garbage collection).
 */
export function linkSignals(signals: readonly (AbortSignal | undefined)[]): {
  signal: AbortSignal;
  release: () => void;
} {
  const controller = new AbortController();
  const releases = signals.map((source) =>
    whenAborted(source, () => {
      if (!controller.signal.aborted) controller.abort(source?.reason);
    }),
  );
  const release = (): void => {
    for (const stop of releases) stop();
  };
  if (controller.signal.aborted) release();
  return { signal: controller.signal, release };
}

/**
 * An AbortController for one attempt whose abort also ends, at once, the work raced against it:
 * `race(work)` is `work`'s outcome, or a rejection with the signal's reason as soon as this
 * aborts, whether `work` heeds the signal or not (a custom `fetch` may ignore it, and a call's
 * timeout must hold all the same). Only this controller's own `abort` ends a race, so no listener
 * goes on the signal: a call races twice, and Node's listeners on an AbortSignal cost more than a
 * few percent of a call. One race at a time.
 */
export class RacingAbortController {
  readonly #controller = new AbortController();
  /** Rejects the race in progress; undefined between races. */
  #lose: ((reason: unknown) => void) | undefined;

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  abort(reason?: unknown): void {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(reason);
    this.#lose?.(this.#controller.signal.reason);
  }

  /** See the class. A value `work` settles with after losing goes to `discard` (to free what it holds). */
  race<T>(work: Promise<T>, discard: (late: T) => void = detached): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { signal } = this.#controller;
      let lost = signal.aborted;
      const lose = (reason: unknown): void => {
        lost = true;
        reject(reason);
      };
      if (lost) reject(signal.reason);
      else this.#lose = lose;
      const done = (): void => {
        if (this.#lose === lose) this.#lose = undefined;
      };
      work.then(
        (value) => {
          done();
          if (lost) discard(value);
          else resolve(value);
        },
        (error: unknown) => {
          done();
          // A late failure is dropped: the race already rejected.
          reject(error);
        },
      );
    });
  }
}
