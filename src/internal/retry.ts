import { retryInfoDelay } from "../core/rpc-details.js";
import { whenAborted } from "./abort.js";

/** How long to wait between attempts. Tests inject a short `baseDelay`, a fixed `random` and a recording `sleep`. */
export interface RetryPolicy {
  /** Delay before the first retry, ms; doubles per retry. */
  readonly baseDelay: number;
  /** Cap of the doubling, ms. */
  readonly maxDelay: number;
  /** Jitter source in [0, 1): each backoff is reduced by up to 25 %. */
  readonly random: () => number;
  /** Waits `ms`, rejecting with the signal's reason when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelay: 500,
  maxDelay: 8000,
  random: Math.random,
  sleep,
};

/** The longest server-requested wait honoured; longer (or unparsable) values fall back to backoff. */
const MAX_RETRY_AFTER_MS = 60_000;

const MAX_JITTER = 0.25;

/** What a refusal says about when to retry: its headers, and its details' google.rpc.RetryInfo. */
export interface RetryHints {
  readonly headers: Readonly<Record<string, string>>;
  readonly details: readonly unknown[];
}

/** Statuses worth another attempt: timeouts, conflicts from transitional states, rate limits, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The wait before retry number `retry` (0 = first retry): the server's `retry-after-ms`, else
 * `Retry-After` (seconds or HTTP date), else a RetryInfo's `retryDelay`, when 0 < value <= 60 s;
 * else jittered exponential backoff.
 */
export function retryDelay(
  retry: number,
  refusal: RetryHints | undefined,
  policy: RetryPolicy,
): number {
  const requested =
    refusal === undefined
      ? undefined
      : (retryAfter(refusal.headers) ?? retryInfoDelay(refusal.details));
  if (requested !== undefined && requested > 0 && requested <= MAX_RETRY_AFTER_MS) return requested;
  const backoff = Math.min(policy.baseDelay * 2 ** retry, policy.maxDelay);
  return backoff * (1 - policy.random() * MAX_JITTER);
}

/**
 * Whether the server said when to retry: `retry-after-ms` or `Retry-After`, usable or not, or a
 * RetryInfo with a valid delay.
 */
export function hasRetryAfter({ headers, details }: RetryHints): boolean {
  return (
    headers["retry-after-ms"] !== undefined ||
    headers["retry-after"] !== undefined ||
    retryInfoDelay(details) !== undefined
  );
}

function retryAfter(headers: Readonly<Record<string, string>>): number | undefined {
  const ms = headers["retry-after-ms"];
  if (ms !== undefined && ms.trim() !== "" && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers["retry-after"]?.trim();
  if (value === undefined || value === "") return undefined;
  if (Number.isFinite(Number(value))) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - Date.now();
}

/** The one abort-aware sleep: resolves after `ms`, or rejects with the signal's reason. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, ms);
    const stop = whenAborted(signal, () => {
      clearTimeout(timer);
      reject(signal?.reason);
    });
  });
}
