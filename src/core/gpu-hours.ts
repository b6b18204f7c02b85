import { isJsonObject } from "../internal/json.js";

/** A job's accelerator time, in hours, by accelerator type and in all. */
export interface GpuHours {
  /** Hours of every accelerator type together. */
  readonly total: number;
  /** Hours by accelerator type (`NVIDIA_H100_80GB`), in the order the job lists them. */
  readonly byAccelerator: ReadonlyMap<string, number>;
}

/** The largest int64 as a double (2^63 - 1 rounds up to it). */
const INT64_MAX = 2 ** 63;

/**
 * The seconds the API sends as an int64 decimal string (a whole number in int64's range is taken
 * too); else undefined.
 */
function secondsOf(value: unknown): number | undefined {
  // int64 as protobuf's JSON writes it: digits only, at most 19 of them (and no more than the max).
  const seconds = typeof value === "string" && /^\d{1,19}$/.test(value) ? Number(value) : value;
  return typeof seconds === "number" &&
    Number.isInteger(seconds) &&
    seconds >= 0 &&
    seconds <= INT64_MAX
    ? seconds
    : undefined;
}

/**
 * GPU-hours of a job: its `acceleratorSeconds` (accelerator type -> seconds, int64 strings)
 * summed per accelerator type, in hours. The job is server input, read without trusting it: a
 * missing or null map is no time; a value that is not a non-negative number of seconds (a
 * negative, a fraction as text, NaN, an object) is left out.
 */
export function gpuHoursOf(job: unknown): GpuHours {
  const seconds = isJsonObject(job) ? job.acceleratorSeconds : undefined;
  const byAccelerator = new Map<string, number>();
  let total = 0;
  if (isJsonObject(seconds)) {
    for (const [accelerator, value] of Object.entries(seconds)) {
      const counted = secondsOf(value);
      if (counted === undefined) continue;
      const hours = counted / 3600;
      // JSON object keys are unique: each accelerator type comes once.
      byAccelerator.set(accelerator, hours);
      total += hours;
    }
  }
  return { total, byAccelerator };
}
