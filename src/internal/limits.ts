import { InvalidArgumentError } from "../core/errors.js";

/** setTimeout's limit (about 596h): a longer delay fires at once, so no timer may be set longer. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function checkMaxRetries(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(
      `Invalid ${name} ${String(value)}: expected a whole number >= 0`,
    );
  }
  return value;
}

export function checkTimeout(value: number, name: string): number {
  if (typeof value !== "number" || !(value > 0 && value <= MAX_TIMER_MS)) {
    throw new InvalidArgumentError(
      `Invalid ${name} ${String(value)}: expected milliseconds, > 0 and <= ${MAX_TIMER_MS}`,
    );
  }
  return value;
}
