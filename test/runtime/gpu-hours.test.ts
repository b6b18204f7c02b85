import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gpuHoursOf } from "../../src/index.js";

const hours = (job: unknown) => {
  const { total, byAccelerator } = gpuHoursOf(job);
  return { total, byAccelerator: Object.fromEntries(byAccelerator) };
};

describe("gpuHoursOf", () => {
  it("sums acceleratorSeconds (int64 strings) per accelerator type, in hours", () => {
    expect(
      hours({ acceleratorSeconds: { NVIDIA_H100_80GB: "7200", NVIDIA_A100_80GB: "5400" } }),
    ).toEqual({ total: 3.5, byAccelerator: { NVIDIA_H100_80GB: 2, NVIDIA_A100_80GB: 1.5 } });
  });

  it("takes seconds sent as JSON numbers too", () => {
    expect(hours({ acceleratorSeconds: { NVIDIA_H100_80GB: 1800 } }).total).toBe(0.5);
  });

  it.each([
    ["no job", undefined],
    ["a job without the map", {}],
    ["a null map", { acceleratorSeconds: null }],
    ["a map that is a string", { acceleratorSeconds: "7200" }],
    ["a map that is an array", { acceleratorSeconds: ["7200"] }],
  ])("is no time for %s", (_what, job) => {
    expect(hours(job)).toEqual({ total: 0, byAccelerator: {} });
  });

  it("leaves out values that are not a non-negative number of seconds", () => {
    const job = {
      acceleratorSeconds: {
        GOOD: "3600",
        NEGATIVE: "-3600",
        FRACTION_TEXT: "1.5",
        HEX: "0x10",
        SPACED: " 3600",
        EMPTY: "",
        HUGE_TEXT: "9".repeat(40),
        // 19 digits, as an int64 has, but beyond its largest (9223372036854775807).
        BEYOND_INT64_TEXT: "9999999999999999999",
        NEGATIVE_NUMBER: -5,
        FRACTION_NUMBER: 1.5,
        BEYOND_INT64: 1e300,
        NAN: Number.NaN,
        INFINITE: Number.POSITIVE_INFINITY,
        OBJECT: { seconds: "3600" },
        NULL: null,
        BOOLEAN: true,
      },
    };
    expect(hours(job)).toEqual({ total: 1, byAccelerator: { GOOD: 1 } });
  });

  it("keeps an accelerator type named like an Object.prototype key as data", () => {
    const job = JSON.parse('{"acceleratorSeconds": {"__proto__": "3600", "constructor": "7200"}}');
    const { total, byAccelerator } = gpuHoursOf(job);
    expect(total).toBe(3);
    expect([...byAccelerator]).toEqual([
      ["__proto__", 1],
      ["constructor", 2],
    ]);
  });

  it("never throws and never answers a negative or non-finite total, whatever the job", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), (job, seconds) => {
        for (const input of [job, { acceleratorSeconds: seconds }]) {
          const { total } = gpuHoursOf(input);
          expect(Number.isFinite(total) && total >= 0).toBe(true);
        }
      }),
    );
  });
});
