/**
 * Runs before every test file (vitest setupFiles). Files share a worker's process and modules
 * (isolate: false), so a file that leaves fake timers, an environment variable, a signal listener,
 * a stubbed fetch or another working directory behind would change the files after it: fail the
 * file that does, not the one that happens to run next.
 */
import { afterAll, expect, vi } from "vitest";

const env = { ...process.env };
const cwd = process.cwd();
const fetch = globalThis.fetch;
const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const listeners = () => SIGNALS.map((signal) => `${signal}: ${process.listenerCount(signal)}`);
const signals = listeners();

afterAll(() => {
  expect(vi.isFakeTimers(), "fake timers left on").toBe(false);
  expect({ ...process.env }, "process.env changed").toEqual(env);
  expect(process.cwd(), "working directory changed").toBe(cwd);
  expect(globalThis.fetch === fetch, "globalThis.fetch replaced").toBe(true);
  expect(listeners(), "signal listeners left").toEqual(signals);
});
