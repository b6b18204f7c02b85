import { CALL_CONTEXT, type CallContext, quote, type RetryClass } from "../../generated/runtime.js";
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  errorFromResponse,
  FireworksError,
  InvalidArgumentError,
  ResponseTooLargeError,
  UnexpectedResourceError,
} from "../core/errors.js";
import { scrubberWithSecretsOf } from "../core/redact.js";
import { RacingAbortController, whenAborted } from "./abort.js";
import { parseJsonObject } from "./json.js";
import { checkMaxRetries, checkTimeout } from "./limits.js";
import { isReconcilable, reconcile } from "./reconcile.js";
import { hasRetryAfter, isRetryableStatus, type RetryPolicy, retryDelay } from "./retry.js";
import { describeThrown, isInstance, scrubbedCause } from "./scrubbed-cause.js";

/** A function with fetch's own signature, as the client calls it: the `fetch` client option. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Everything the request path needs, fixed when the client is created. */
export interface RequestContext {
  readonly fetch: Fetch;
  /** Retries after the first attempt, unless a call says otherwise. */
  readonly maxRetries: number;
  /** Per-attempt time limit in ms, covering the response body too, unless a call says otherwise. */
  readonly timeout: number;
  /** Origin of the base URL, the only one the API key is sent to. */
  readonly origin: string;
  readonly policy: RetryPolicy;
  /** Removes the API key (and the secrets learnt) from server-provided text before it goes into an error. */
  readonly scrub: (text: string) => string;
  /**
   * Remembers the secrets a JSON body sent or received carries (a W&B key, a signed log URL), so
   * that `scrub` removes them from any later error too.
   */
  readonly learn: (value: unknown) => void;
}

/** No response this client reads may be larger: a body that is, is refused unread. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The retry class of a request without a call context (sent through `client.fetchClient`
 * directly, or a Request a middleware made anew): its method's, as RFC 9110 defines them. A POST
 * may be a train step or a create without an id, so it is retried only when it surely never left.
 */
function plainCall(method: string): CallContext {
  const retry: RetryClass =
    method === "GET" || method === "HEAD"
      ? "safe"
      : method === "PUT" || method === "DELETE"
        ? "idempotent"
        : "unsafe";
  return { operationId: "request", retry };
}

/**
 * The one request path: every call of a client goes through here. Sends with a per-attempt
 * timeout, retries what the operation's retry class allows, refuses redirects, and turns every
 * response that is not a 2xx JSON object into a typed error. A 2xx response is returned with its
 * body already read and parsed, so openapi-fetch never meets invalid JSON.
 */
export async function send(context: RequestContext, request: Request): Promise<Response> {
  const call =
    (request as Request & { [CALL_CONTEXT]?: CallContext })[CALL_CONTEXT] ??
    plainCall(request.method);
  checkOrigin(context.origin, request.url);
  const { body, value } = await requestBody(call, request);
  context.learn(value);
  return sendCall(withOwnSecrets(context, value), call, request.url, {
    method: request.method,
    headers: request.headers,
    body,
    redirect: "manual",
  });
}

/** The JSON client's one body serializer: what the Request carries and what `send` re-sends. */
export function serializeBody(body: unknown): string {
  return JSON.stringify(body);
}

/**
 * The body every attempt sends, and the value whose secrets scrubbing learns. A call's own body
 * serializes again to the bytes the Request carries (both use serializeBody), faster than reading
 * the Request's stream back; the body of a request without a call context (one sent through
 * `client.fetchClient` directly, or made by a middleware) is read as is.
 */
async function requestBody(
  call: CallContext,
  request: Request,
): Promise<{ body: string | ArrayBuffer | null; value: unknown }> {
  if (call.body !== undefined) return { body: serializeBody(call.body), value: call.body };
  if (request.body === null) return { body: null, value: undefined };
  const bytes = await request.arrayBuffer();
  return { body: bytes, value: parseJsonObject(new TextDecoder().decode(bytes)) };
}

/**
 * The context, scrubbing this call's errors of the secrets its own body carries however many
 * others the client learnt since (the client's memory of them is bounded). Made on the first
 * error only: a call that succeeds pays nothing.
 */
function withOwnSecrets(context: RequestContext, value: unknown): RequestContext {
  if (typeof value !== "object" || value === null) return context;
  let own: ((text: string) => string) | undefined;
  const scrub = (text: string) => {
    own ??= scrubberWithSecretsOf(value, context.scrub);
    return own(text);
  };
  return { ...context, scrub };
}

/**
 * The attempts of one call. A refusal that answers a retry after an attempt that may have
 * reached the server is settled by reading the resource (reconcile.ts), through this same path.
 */
async function sendCall(
  context: RequestContext,
  call: CallContext,
  url: string,
  init: RequestInit,
): Promise<Response> {
  const maxRetries = checkMaxRetries(call.maxRetries ?? context.maxRetries, "maxRetries");
  const timeout = checkTimeout(call.timeout ?? context.timeout, "timeout");
  const signal = call.signal;
  let ambiguous = false;
  for (let retry = 0; ; retry++) {
    if (signal?.aborted) throw userAbort(signal);
    try {
      return await attempt(context, url, init, { signal, timeout, name: call.resourceName });
    } catch (error) {
      if (ambiguous && error instanceof APIError && isReconcilable(call, error)) {
        return reconcile(error, call, url, init, (read, readUrl, readInit) =>
          sendCall(context, read, readUrl, readInit),
        );
      }
      if (retry >= maxRetries || !mayRetry(call.retry, error)) throw error;
      ambiguous ||= mayHaveArrived(error);
      await backoff(context.policy, retry, error, signal);
    }
  }
}

const NO_ORIGINS: ReadonlySet<string> = new Set();

/**
 * Middleware may rewrite the URL: the request (and the API key in it) must still go to the base
 * URL's origin only.
 */
function checkOrigin(origin: string, url: string, trusted: ReadonlySet<string> = NO_ORIGINS): void {
  if (url.startsWith(origin) && url.charAt(origin.length) === "/") return;
  const target = URL.canParse(url) ? new URL(url).origin : "an invalid URL";
  if (target === origin || trusted.has(target)) return;
  throw new InvalidArgumentError(
    `Refusing to send a request to ${target}: the client sends its API key only to ${origin} (its baseUrl)`,
  );
}

/** A health probe, as the client hands it to the request path. */
export interface ProbeRequest {
  readonly url: string;
  /** The client's own headers, its API key included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal | undefined;
  /** The probe's time limit in ms. */
  readonly timeout: number;
  /** Origins besides the base URL's that the caller trusts with the API key. */
  readonly trustedOrigins: ReadonlySet<string>;
}

/**
 * A health probe through the request path: the client's fetch, its origin rule (widened only
 * by the origins the caller trusts), its redirect refusal and error types, one attempt (a
 * probe's retry is the next poll). Answers the status; the body is the trainer's, not the
 * API's JSON, and is not read.
 */
export async function probeStatus(context: RequestContext, probe: ProbeRequest): Promise<number> {
  checkOrigin(context.origin, probe.url, probe.trustedOrigins);
  if (probe.signal?.aborted) throw userAbort(probe.signal);
  const init: RequestInit = { method: "GET", headers: probe.headers, redirect: "manual" };
  const limits = {
    signal: probe.signal,
    timeout: probe.timeout,
    name: undefined,
    statusOnly: true,
  };
  return (await attempt(context, probe.url, init, limits)).status;
}

/** What one attempt of a call needs besides the request: its limits, the name it must answer with. */
interface AttemptLimits {
  readonly signal: AbortSignal | undefined;
  readonly timeout: number;
  /** The resource name the answer must carry, for a call whose answer is that resource. */
  readonly name: string | undefined;
  /** Answer any response that is not a redirect as it came, body unread (a health probe's). */
  readonly statusOnly?: boolean | undefined;
}

async function attempt(
  context: RequestContext,
  url: string,
  init: RequestInit,
  { signal, timeout, name, statusOnly }: AttemptLimits,
): Promise<Response> {
  const controller = new RacingAbortController();
  const timer = setTimeout(abortOnTimeout, timeout, controller);
  const stopForwarding = whenAborted(signal, () => controller.abort(signal?.reason));
  try {
    // Raced against the attempt's abort: a custom fetch that ignores its signal is timed out too.
    const response = await controller.race(
      context.fetch(url, { ...init, signal: controller.signal }),
      discardBody,
    );
    if (isRedirect(response)) {
      discardBody(response);
      throw errorFromResponse(response, "", context.scrub, redirectProblem(response, url));
    }
    if (statusOnly) {
      discardBody(response);
      return response;
    }
    const { text, bytes } = await controller.race(readText(response, context.scrub));
    if (response.ok) {
      const parsed = parseJsonObject(text);
      if (parsed !== undefined) {
        context.learn(parsed);
        const problem = otherResourceProblem(parsed, name);
        if (problem === undefined) return parsedResponse(response, text, bytes, parsed);
        throw errorFromResponse(response, text, context.scrub, problem, UnexpectedResourceError);
      }
    }
    throw errorFromResponse(response, text, context.scrub);
  } catch (error) {
    throw classify(error, controller.signal, signal, timeout, context.scrub);
  } finally {
    clearTimeout(timer);
    stopForwarding();
  }
}

/**
 * Why an answer is not the resource the call named, or undefined when it is (or carries no
 * `name`, as a read mask may leave out). Another job, or the same id in another account, taken
 * for the one asked for would have a wait end, or a resume succeed, on someone else's job.
 */
function otherResourceProblem(answer: object, expected: string | undefined): string | undefined {
  if (expected === undefined || !("name" in answer) || answer.name === expected) return undefined;
  const { name } = answer;
  const got = typeof name === "string" ? quote(name) : name === null ? "null" : `a ${typeof name}`;
  return `the answer names ${got}, not ${quote(expected)}, the resource asked for`;
}

/** A response that came after its attempt ended: nobody reads it. */
function discardBody(response: Response): void {
  void response.body?.cancel().catch(() => undefined);
}

function abortOnTimeout(controller: RacingAbortController): void {
  controller.abort();
}

/** The body as text and its size in bytes, refused unread beyond MAX_BODY_BYTES (decompressed). */
async function readText(
  response: Response,
  scrub: (text: string) => string,
): Promise<{ text: string; bytes: number }> {
  const tooLarge = () =>
    errorFromResponse(
      response,
      "",
      scrub,
      `the response body is larger than ${MAX_BODY_BYTES} bytes`,
      ResponseTooLargeError,
    );
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > MAX_BODY_BYTES) {
    discardBody(response);
    throw tooLarge();
  }
  // An uncompressed body of a declared length cannot grow past it: the platform's own reader is
  // the fast path. A compressed or unsized one is counted as it inflates.
  const encoding = response.headers.get("content-encoding");
  if (Number.isFinite(declared) && (encoding === null || encoding === "identity")) {
    return { text: await response.text(), bytes: declared };
  }
  const reader = response.body?.getReader();
  if (reader === undefined) return { text: "", bytes: 0 };
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), bytes };
    bytes += value.byteLength;
    if (bytes > MAX_BODY_BYTES) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

function classify(
  error: unknown,
  attemptSignal: AbortSignal,
  signal: AbortSignal | undefined,
  timeout: number,
  scrub: (text: string) => string,
): FireworksError {
  // Ours are errors this path threw itself; anything else (a hostile Proxy even) is only read
  // through scrubbedCause and describeThrown, which never throw.
  if (isInstance(error, FireworksError)) return error;
  if (signal?.aborted) return userAbort(signal);
  if (attemptSignal.aborted) return new APITimeoutError(`Request timed out after ${timeout} ms`);
  return new APIConnectionError(scrub(`Connection error: ${describeThrown(error)}`), {
    cause: scrubbedCause(error, scrub),
  });
}

function userAbort(signal: AbortSignal): APIUserAbortError {
  return new APIUserAbortError("Request aborted by the caller", { cause: signal.reason });
}

/** Whether a failed attempt is worth another: connection errors, timeouts, 408, 409, 429, 5xx. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof APIConnectionError ||
    (error instanceof APIError && isRetryableStatus(error.status))
  );
}

/**
 * Connection errors that prove the request never left: nothing reached the server. A proxy that
 * closed the connection during CONNECT (undici's UND_ERR_PRX_CONN) had no tunnel to send it in.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_PRX_CONN",
]);

function neverSent(error: unknown): boolean {
  if (!(error instanceof APIConnectionError) || error instanceof APITimeoutError) return false;
  const cause: unknown = error.cause instanceof Error ? error.cause.cause : undefined;
  return cause instanceof Error && "code" in cause && NOT_SENT_CODES.has(String(cause.code));
}

/**
 * Whether a failed attempt may be retried, by the call's retry class. An unsafe call (one that
 * must not run twice) only when it surely never arrived. A create with a client-chosen id
 * (idempotent-with-id) is not retried on 409, which says the id is taken: a retry would get the
 * same 409 and could then mistake it for its own earlier success; nor on a 429 without a
 * Retry-After, which means capacity or quota is exhausted, so the server's reason is reported.
 */
function mayRetry(retry: RetryClass, error: unknown): boolean {
  if (retry === "unsafe") return neverSent(error);
  if (retry === "idempotent-with-id" && error instanceof APIError) {
    if (error.status === 409) return false;
    if (error.status === 429 && !hasRetryAfter(error)) return false;
  }
  return isRetryable(error);
}

/**
 * Whether a failed attempt may have been applied although it failed: it may have reached the
 * server (a timeout, a connection dropped after sending) or the server failed midway (5xx). A
 * 408, 409 or 429 is the server saying it did not act.
 */
function mayHaveArrived(error: unknown): boolean {
  if (error instanceof APIConnectionError) return !neverSent(error);
  return error instanceof APIError && error.status >= 500;
}

async function backoff(
  policy: RetryPolicy,
  retry: number,
  error: unknown,
  signal: AbortSignal | undefined,
): Promise<void> {
  const delay = retryDelay(retry, error instanceof APIError ? error : undefined, policy);
  try {
    await policy.sleep(delay, signal);
  } catch (reason) {
    // The sleep only fails when the caller's signal aborts it.
    throw signal === undefined ? reason : userAbort(signal);
  }
}

/** `redirect: "manual"`: a 3xx, or a browser's opaque redirect (status 0). */
function isRedirect(response: Response): boolean {
  return response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);
}

function redirectProblem(response: Response, url: string): string {
  const location = response.headers.get("location");
  const target =
    location !== null && URL.canParse(location, url) ? new URL(location, url) : undefined;
  const where = target === undefined ? "" : ` to ${target.origin}`;
  return `refused to follow a redirect${where}: the API does not redirect, and the API key is only sent to ${new URL(url).origin}`;
}

/**
 * A fresh response over the text already read, so middleware may `clone()` it; its `json()` gives
 * the value already parsed instead of parsing the text again.
 */
function parsedResponse(response: Response, text: string, bytes: number, parsed: object): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-encoding");
  // The decoded text's length in bytes, as read: the wire's, unless the body was compressed.
  headers.set("content-length", String(bytes));
  const fresh = new Response(text, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
  Object.defineProperty(fresh, "json", { value: () => Promise.resolve(parsed) });
  return fresh;
}
