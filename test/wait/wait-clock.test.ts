import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WaitClock } from "../../src/core/wait-clock.js";

// The clock alone, on fake time: which limit runs down in which state, and what it remembers.

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("WaitClock", () => {
  it("runs `timeout` outside PENDING only, adding up the time across visits", () => {
    const clock = new WaitClock({ timeout: 1_000, pendingTimeout: 60_000 });
    vi.advanceTimersByTime(600); // CREATING: 600 of 1000
    clock.observe("JOB_STATE_PENDING");
    vi.advanceTimersByTime(50_000); // PENDING: 50 000 of 60 000
    clock.observe("JOB_STATE_RE_QUEUEING");
    vi.advanceTimersByTime(399);
    expect(clock.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(clock.signal.aborted).toBe(true);
    expect(clock.expired).toEqual({ budget: "timeout", limit: 1_000 });
  });

  it("runs `pendingTimeout` in PENDING only, adding up the time across visits", () => {
    const clock = new WaitClock({ timeout: 1_000, pendingTimeout: 60_000 });
    clock.observe("JOB_STATE_PENDING");
    vi.advanceTimersByTime(40_000);
    clock.observe("JOB_STATE_RUNNING");
    vi.advanceTimersByTime(900);
    clock.observe("JOB_STATE_PENDING");
    vi.advanceTimersByTime(19_999);
    expect(clock.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(clock.expired).toEqual({ budget: "pendingTimeout", limit: 60_000 });
  });

  it("counts every moment against `timeout` without `pendingTimeout`", () => {
    const clock = new WaitClock({ timeout: 1_000, pendingTimeout: undefined });
    clock.observe("JOB_STATE_PENDING");
    vi.advanceTimersByTime(1_000);
    expect(clock.expired).toEqual({ budget: "timeout", limit: 1_000 });
  });

  it("never expires once stopped, nor for Infinity", () => {
    const stopped = new WaitClock({ timeout: 1_000, pendingTimeout: undefined });
    stopped.stop();
    const endless = new WaitClock({ timeout: Number.POSITIVE_INFINITY, pendingTimeout: undefined });
    vi.advanceTimersByTime(2 ** 32);
    expect(stopped.signal.aborted).toBe(false);
    expect(endless.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
