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
  const sources = signals.filter((signal) => signal !== undefined);
  const onAbort = (event: Event): void => {
    controller.abort((event.target as AbortSignal).reason);
    release();
  };
  const release = (): void => {
    for (const source of sources) source.removeEventListener("abort", onAbort);
  };
  const aborted = sources.find((source) => source.aborted);
  if (aborted) controller.abort(aborted.reason);
  else for (const source of sources) source.addEventListener("abort", onAbort);
  return { signal: controller.signal, release };
}
