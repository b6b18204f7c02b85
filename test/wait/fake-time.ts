import { vi } from "vitest";

// Long waits on fake time against a real server on 127.0.0.1: the timers, `performance` (the
// wait's clocks) and `Date` (the fake server's time-paced steps) move only when a test says so.

export function useFakeClocks(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
}

/**
 * Settles `wait` on fake time: moves the clocks on 5 s at a time, letting the real HTTP polls
 * run in between. A poll in flight may see a step or two pass: the limits a test sets leave
 * minutes of room for that.
 */
export async function onFakeTime<T>(wait: Promise<T>): Promise<T> {
  let settled = false;
  const outcome = wait.finally(() => {
    settled = true;
  });
  outcome.catch(() => undefined);
  while (!settled) {
    await vi.advanceTimersByTimeAsync(5_000);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return outcome;
}
