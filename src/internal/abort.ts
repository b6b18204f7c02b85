/**
 * The one place that listens to an AbortSignal: `onAbort` runs once when `signal` aborts (at once
 * if it already has), and the returned function removes the listener, so nothing stays behind on
 * a caller's long-lived signal once a call or wait ends.
 */
export function whenAborted(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (signal === undefined) return detached;
  if (signal.aborted) {
    onAbort();
    return detached;
  }
  signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
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
