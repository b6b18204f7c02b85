import type { RlorTrainerJobRef } from "../../generated/names.js";
import {
  getRlorTrainerJob,
  getRlorTrainerJobPublicLogs,
  type RlorTrainerJob,
} from "../../generated/operations.js";
import { RacingAbortController, whenAborted } from "../internal/abort.js";
import { isLoopback } from "../internal/key-origin.js";
import { isRetryable } from "../internal/request.js";
import { isRetryableStatus, sleep } from "../internal/retry.js";
import { describeThrown, isInstance, scrubbedCause } from "../internal/scrubbed-cause.js";
import { type FireworksClient, scrubberOf, type Transport, transportOf } from "./client.js";
import { APIUserAbortError, type FireworksError, InvalidArgumentError } from "./errors.js";
import { LogStorageError } from "./log-storage-error.js";
import { createScrubber } from "./redact.js";
import { checkPollInterval, DEFAULT_POLL_INTERVAL, jittered } from "./wait.js";
import { isResting } from "./wait-tracker.js";

/** Options of `followRlorTrainerJobLogs`. */
export interface FollowLogsOptions {
  /**
   * Keep reading until the job rests (PAUSED, or a state it cannot leave on its own: COMPLETED,
   * FAILED, CANCELLED, EXPIRED, EARLY_STOPPED, DELETING, DELETED, ARCHIVED), then read what is
   * left and end. Default true; false reads the log as it is now, once, and never polls the job.
   */
  follow?: boolean | undefined;
  /** Time between polls in ms, with ±10 % jitter. Default 5000. */
  pollInterval?: number | undefined;
  /** Aborting ends the iteration at once (even mid-sleep) with an APIUserAbortError. */
  signal?: AbortSignal | undefined;
  /**
   * Called when a poll of the job or a read of the log fails with an error that says nothing
   * about the job (a connection error, a timeout, 408, 429, 5xx); the next poll tries again.
   */
  onPollError?: ((error: FireworksError) => void) | undefined;
  /** The most bytes one read of the log asks for (and takes); more are read at once after. */
  maxBytesPerRead?: number | undefined;
}

/** 8 MiB: one read's limit, unless `maxBytesPerRead` says otherwise. */
export const DEFAULT_LOG_READ_BYTES = 8 * 1024 * 1024;

/** A signed URL lives 24 h (publicLogs' promise), unless its own query says less. */
const URL_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A new URL is asked for once this share of its lifetime has passed (about 21.6 h of 24 h). */
const RENEW_AFTER = 0.9;
/** Statuses with which a storage host refuses a signed URL (expired or bad signature). */
const REFUSALS: ReadonlySet<number> = new Set([400, 401, 403]);
/** A line longer than this is passed on before its end arrives (characters). */
const MAX_HELD_LINE = 64 * 1024;
/** Reads after the job has come to rest that may fail before the failure ends the iteration. */
const FINAL_READ_ATTEMPTS = 3;
/** How much of a refusal's body goes into the error (characters, secrets scrubbed). */
const ERROR_SNIPPET = 300;
/** How much of a refusal's body is read, to scrub before it is cut to ERROR_SNIPPET. */
const ERROR_BODY_BYTES = 16 * 1024;

interface FollowPlan {
  readonly follow: boolean;
  readonly pollInterval: number;
  readonly maxBytes: number;
  readonly signal: AbortSignal | undefined;
  readonly onPollError: FollowLogsOptions["onPollError"];
}

function checkFollowOptions(options: FollowLogsOptions): FollowPlan {
  const pollInterval = checkPollInterval(options.pollInterval ?? DEFAULT_POLL_INTERVAL);
  const maxBytes = options.maxBytesPerRead ?? DEFAULT_LOG_READ_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new InvalidArgumentError(
      `maxBytesPerRead: expected a whole number >= 1, got ${maxBytes}`,
    );
  }
  return {
    follow: options.follow ?? true,
    pollInterval,
    maxBytes,
    signal: options.signal,
    onPollError: options.onPollError,
  };
}

/**
 * The job's log as text, in the order it was written, each byte once: read from the signed URL
 * `getRlorTrainerJobPublicLogs` answers, then (with `follow`, the default) again from where the
 * last read ended (`Range: bytes=<offset>-`) every poll interval, until the job rests; then what
 * is left, and the iteration ends. Text comes in whole lines (a line longer than 64 Ki characters
 * or the last one may come in parts), as the log holds it: control characters included.
 *
 * The request to the storage host goes through the client's `fetch` option, with the client's
 * timeout, but never through its request path: it carries no API key and no client header. A new
 * URL is asked for when the storage host refuses the one in hand (400, 401, 403) and when it nears
 * its end. The signed URL never appears in an error, and is removed from the text should the
 * storage host echo it there. Throws InvalidArgumentError for bad options before any request.
 */
export function followRlorTrainerJobLogs(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  options: FollowLogsOptions = {},
): AsyncGenerator<string, void, undefined> {
  const plan = checkFollowOptions(options);
  return followLog(client, job, plan);
}

function abortError(cause: unknown): APIUserAbortError {
  return new APIUserAbortError("Reading the RLOR trainer job's log was aborted", { cause });
}

async function* followLog(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  plan: FollowPlan,
): AsyncGenerator<string, void, undefined> {
  if (plan.signal?.aborted) throw abortError(plan.signal.reason);
  const log = new SignedLog(client, job, plan);
  const text = new LogText(log.scrub);
  if (!plan.follow) {
    for await (const bytes of log.drain()) yield* nonEmpty(text.push(bytes));
    yield* nonEmpty(text.end());
    return;
  }
  let resting = false;
  let failedFinalReads = 0;
  for (;;) {
    if (!resting) {
      const current = await pollJob(client, job, plan);
      resting = typeof current?.state === "string" && isResting(current.state);
    }
    try {
      for await (const bytes of log.drain()) yield* nonEmpty(text.push(bytes));
      if (resting) {
        yield* nonEmpty(text.end());
        return;
      }
    } catch (error) {
      if (plan.signal?.aborted) throw abortError(error);
      if (!isPassing(error) || (resting && ++failedFinalReads >= FINAL_READ_ATTEMPTS)) throw error;
      plan.onPollError?.(error as FireworksError);
    }
    await pause(plan);
  }
}

function* nonEmpty(text: string): Generator<string, void, undefined> {
  if (text !== "") yield text;
}

/** Whether a failure says nothing about the job or the log, so the next poll may work. */
function isPassing(error: unknown): boolean {
  if (error instanceof LogStorageError) {
    return error.status === undefined || isRetryableStatus(error.status);
  }
  return isRetryable(error);
}

async function pause(plan: FollowPlan): Promise<void> {
  try {
    await sleep(jittered(plan.pollInterval), plan.signal);
  } catch (error) {
    throw abortError(error);
  }
}

/** The job, or undefined when the poll failed in passing (reported to `onPollError`). */
async function pollJob(
  client: FireworksClient,
  job: RlorTrainerJobRef,
  plan: FollowPlan,
): Promise<RlorTrainerJob | undefined> {
  try {
    return await getRlorTrainerJob(client, job, { signal: plan.signal });
  } catch (error) {
    if (plan.signal?.aborted) throw abortError(error);
    if (!isRetryable(error)) throw error;
    plan.onPollError?.(error as FireworksError);
    return undefined;
  }
}

/** Log bytes as text: decoded across reads, and scrubbed of secrets a whole line at a time. */
class LogText {
  readonly #decoder = new TextDecoder();
  readonly #scrub: (text: string) => string;
  #held = "";

  constructor(scrub: (text: string) => string) {
    this.#scrub = scrub;
  }

  /** The complete lines so far; the start of a line stays until its end arrives. */
  push(bytes: Uint8Array): string {
    const text = this.#held + this.#decoder.decode(bytes, { stream: true });
    // What is held has no line break: the last one is in what just came.
    const cut = text.lastIndexOf("\n") + 1;
    this.#held = text.slice(cut);
    let lines = text.slice(0, cut);
    if (this.#held.length > MAX_HELD_LINE) {
      // Passed on up to its last space, so that a secret in it is not cut in two (and missed).
      const word = /\S*$/.exec(this.#held)?.[0] ?? "";
      const at =
        word.length < this.#held.length ? this.#held.length - word.length : this.#held.length;
      lines += this.#held.slice(0, at);
      this.#held = this.#held.slice(at);
    }
    return this.#scrub(lines);
  }

  /** Whatever is held: the last line, without its end. */
  end(): string {
    const rest = this.#held + this.#decoder.decode();
    this.#held = "";
    return this.#scrub(rest);
  }
}

/** The log behind its signed URL: where the reads have got to, and the URL they use. */
class SignedLog {
  readonly #client: FireworksClient;
  readonly #job: RlorTrainerJobRef;
  readonly #plan: FollowPlan;
  readonly #transport: Transport;
  readonly #secrets = createScrubber([]);
  readonly #clientScrub: (text: string) => string;
  #url: string | undefined;
  #renewAt = 0;
  /** Bytes of the log passed on so far: where the next read starts. */
  #offset = 0;

  constructor(client: FireworksClient, job: RlorTrainerJobRef, plan: FollowPlan) {
    this.#client = client;
    this.#job = job;
    this.#plan = plan;
    this.#transport = transportOf(client);
    this.#clientScrub = scrubberOf(client);
  }

  /** Removes the API key and every signed URL seen (and their signatures) from text. */
  readonly scrub = (text: string): string => this.#secrets.scrub(this.#clientScrub(text));

  /** What the log holds past the offset, one read at a time; a short read is the last. */
  async *drain(): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const bytes = await this.#read();
      this.#offset += bytes.byteLength;
      if (bytes.byteLength > 0) yield bytes;
      if (bytes.byteLength < this.#plan.maxBytes) return;
    }
  }

  async #read(): Promise<Uint8Array> {
    if (this.#url === undefined || Date.now() >= this.#renewAt) await this.#renew();
    try {
      return await this.#attempt(this.#url ?? "");
    } catch (error) {
      if (!(error instanceof LogStorageError && REFUSALS.has(error.status ?? 0))) throw error;
    }
    // Refused: the URL expired early, or the host rotated its keys. One new URL, one more try.
    await this.#renew();
    return this.#attempt(this.#url ?? "");
  }

  async #renew(): Promise<void> {
    const { signedUrl } = await getRlorTrainerJobPublicLogs(this.#client, this.#job, {
      signal: this.#plan.signal,
    });
    if (typeof signedUrl === "string") this.#secrets.learn({ signedUrl });
    const url = usableUrl(signedUrl);
    this.#url = url.href;
    this.#renewAt = Date.now() + lifetimeOf(url) * RENEW_AFTER;
  }

  /** One request for the bytes past the offset, its body included, within the client's timeout. */
  async #attempt(url: string): Promise<Uint8Array> {
    const { signal } = this.#plan;
    const controller = new RacingAbortController();
    const timer = setTimeout(() => controller.abort(), this.#transport.timeout);
    const stop = whenAborted(signal, () => controller.abort(signal?.reason));
    try {
      // Each step raced against the read's signal: a custom fetch that ignores it, or a body it
      // never ends, is timed out all the same, as on the request path.
      const response = await controller.race(
        this.#transport.fetch(url, {
          method: "GET",
          headers: {
            range: `bytes=${this.#offset}-${this.#offset + this.#plan.maxBytes - 1}`,
            // Offsets count the stored bytes: a compressed answer would count others.
            "accept-encoding": "identity",
          },
          redirect: "manual",
          signal: controller.signal,
        }),
        discard,
      );
      return await controller.race(this.#take(response));
    } catch (error) {
      // What a custom fetch threw is only read through isInstance and describeThrown, which
      // never throw, whatever its getters or a Proxy's traps do.
      if (isInstance(error, LogStorageError)) throw error;
      if (signal?.aborted) throw abortError(error);
      if (controller.signal.aborted) {
        throw new LogStorageError(
          `Reading the log timed out after ${this.#transport.timeout} ms (the client's timeout)`,
        );
      }
      const message = describeThrown(error);
      throw new LogStorageError(this.scrub(`Could not reach the log storage host: ${message}`), {
        cause: scrubbedCause(error, this.scrub),
      });
    } finally {
      clearTimeout(timer);
      stop();
    }
  }

  /** The bytes past the offset in an answer: 206 from where asked, 200 whole, 416 none. */
  async #take(response: Response): Promise<Uint8Array> {
    const { status } = response;
    if (status === 416) {
      await discard(response);
      return new Uint8Array(0);
    }
    if (status === 200) return readBytes(response, this.#offset, this.#plan.maxBytes);
    if (status === 206) {
      const start = rangeStart(response.headers.get("content-range")) ?? this.#offset;
      if (start > this.#offset) {
        await discard(response);
        throw new LogStorageError(
          `The log storage host answered bytes from ${start}, not ${this.#offset} as asked`,
          { status },
        );
      }
      return readBytes(response, this.#offset - start, this.#plan.maxBytes);
    }
    const redirect = status >= 300 && status < 400;
    const body = redirect ? "a redirect, which is not followed" : await this.#errorBody(response);
    throw new LogStorageError(
      this.scrub(`The log storage host answered ${status} ${response.statusText}`.trimEnd()) +
        (body ? `: ${body}` : ""),
      { status },
    );
  }

  /**
   * The start of a refusal's body, secrets scrubbed before it is cut: a secret cut in two would
   * no longer be recognised. A body longer than was read loses its last word for the same reason.
   */
  async #errorBody(response: Response): Promise<string> {
    const bytes = await readBytes(response, 0, ERROR_BODY_BYTES);
    let text = new TextDecoder().decode(bytes);
    if (bytes.byteLength === ERROR_BODY_BYTES) text = text.replace(/\S*$/, "");
    const scrubbed = this.scrub(text.replace(/\s+/g, " ").trim());
    return scrubbed.length > ERROR_SNIPPET ? `${scrubbed.slice(0, ERROR_SNIPPET)}…` : scrubbed;
  }
}

/** The URL parsed, when it is one a log may be read from: https, or http on a loopback host. */
function usableUrl(signedUrl: unknown): URL {
  const url = typeof signedUrl === "string" && URL.canParse(signedUrl) ? new URL(signedUrl) : null;
  if (
    url !== null &&
    (url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname)))
  ) {
    return url;
  }
  // Not quoted: whatever it is, it may still be a credential.
  throw new LogStorageError(
    "publicLogs answered no usable signed URL (expected an https URL in signedUrl)",
  );
}

/** How long a URL is valid from now: its X-Goog-Expires or X-Amz-Expires seconds, at most 24 h. */
function lifetimeOf(url: URL): number {
  const text = url.searchParams.get("X-Goog-Expires") ?? url.searchParams.get("X-Amz-Expires");
  const seconds = text !== null && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
  return seconds === undefined ? URL_LIFETIME_MS : Math.min(URL_LIFETIME_MS, seconds * 1000);
}

/** The first byte of `bytes <first>-<last>/<size>`. */
function rangeStart(header: string | null): number | undefined {
  const match = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(header?.trim() ?? "");
  return match ? Number(match[1]) : undefined;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/**
 * Up to `max` bytes of the body after its first `skip`: what is skipped is counted, never kept,
 * and the rest of the body is left unread.
 */
async function readBytes(response: Response, skip: number, max: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array(0);
  const kept: Uint8Array[] = [];
  let toSkip = skip;
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      const start = Math.min(toSkip, value.byteLength);
      toSkip -= start;
      const part = value.subarray(start, start + max - size);
      if (part.byteLength > 0) kept.push(part);
      size += part.byteLength;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of kept) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return bytes;
}
