import { type RetryPolicy, sleep } from "../../src/internal/retry.js";

/** A retry policy that records every wait it is asked for, so tests assert delays, not wall-clock time. */
export interface RecordingPolicy extends RetryPolicy {
  readonly delays: number[];
}

/**
 * `wait: "real"` sleeps the (short) delays for real, so aborts during a backoff can be tested;
 * `"skip"` resolves at once, for server-requested waits of seconds.
 */
export function recordingPolicy(
  options: { baseDelay?: number; random?: () => number; wait?: "real" | "skip" } = {},
): RecordingPolicy {
  const delays: number[] = [];
  const wait = options.wait ?? "skip";
  return {
    baseDelay: options.baseDelay ?? 10,
    maxDelay: (options.baseDelay ?? 10) * 16,
    random: options.random ?? (() => 0),
    delays,
    sleep: (ms, signal) => {
      delays.push(ms);
      return wait === "real" ? sleep(ms, signal) : Promise.resolve();
    },
  };
}
