import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  errorFromResponse,
  FireworksError,
  InvalidArgumentError,
} from "../core/errors.js";
import { httpTransport } from "./http-transport.js";
import type { RequestLike } from "./light-request.js";
import { isRetryableStatus, type RetryPolicy, retryDelay } from "./retry.js";

/** A fetch-compatible function the client sends through (the `fetch` client option). */
export type Transport = (input: string, init: RequestInit) => Promise<Response>;

export interface AttemptLimits {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Per-attempt time limit in ms, covering the response body too. */
  readonly timeout: number;
}

/** Everything the fetch path needs, fixed when the client is created. */
export interface RequestContext extends AttemptLimits {
  readonly transport: Transport | undefined;
  /** Origin of the base URL, the only one the API key is sent to. */
  readonly origin: string;
  readonly policy: RetryPolicy;
  /** Removes the API key from server-provided text before it goes into an error. */
  readonly scrub: (text: string) => string;
}

const MAX_REDIRECTS = 5;

/**
 * The one request path: every call of a client goes through here. Sends with a per-attempt
 * timeout, retries what is worth retrying, follows same-origin redirects only, and turns every
 * response that is not a 2xx JSON object into a typed error. A 2xx response is returned with its
 * body already read and parsed, so openapi-fetch never meets invalid JSON.
 */
export async function send(
  context: RequestContext,
  request: RequestLike,
  limits: AttemptLimits = context,
): Promise<Response> {
  const signal = request.signal ?? undefined;
  let url = request.url;
  checkOrigin(context.origin, url);
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    // A stream can be read only once; everything else openapi-fetch builds is re-sent as is.
    body:
      request.body instanceof ReadableStream
        ? await new Response(request.body).arrayBuffer()
        : request.body,
    redirect: "manual",
    signal: null,
  };
  let retry = 0;
  let redirects = 0;
  for (;;) {
    if (signal?.aborted) throw userAbort(signal);
    let response: Response;
    try {
      response = await attempt(context, url, init, signal, limits.timeout);
    } catch (error) {
      if (retry >= limits.maxRetries || !isRetryable(error)) throw error;
      await backoff(context.policy, retry, error, signal);
      retry++;
      continue;
    }
    if (!isRedirect(response)) return response;
    url = followRedirect(context, response, url, init, ++redirects);
  }
}

/**
 * Middleware may rewrite the URL: the request (and the API key in it) must still go to the base
 * URL's origin only. Cheap prefix test first, as this runs on every call.
 */
function checkOrigin(origin: string, url: string): void {
  if (url.startsWith(origin) && url.charAt(origin.length) === "/") return;
  const target = URL.canParse(url) ? new URL(url).origin : "an invalid URL";
  if (target === origin) return;
  throw new InvalidArgumentError(
    `Refusing to send a request to ${target}: the client sends its API key only to ${origin} (its baseUrl)`,
  );
}

async function attempt(
  context: RequestContext,
  url: string,
  init: RequestInit,
  signal: AbortSignal | undefined,
  timeout: number,
): Promise<Response> {
  const controller = new AbortController();
  init.signal = controller.signal;
  const timer = setTimeout(abortOnTimeout, timeout, controller);
  const forward = signal === undefined ? undefined : forwardAbort(signal, controller);
  try {
    const response = await (context.transport ?? httpTransport)(url, init);
    if (isRedirect(response)) return response;
    const text = await response.text();
    if (response.ok) {
      const parsed = parseObject(text);
      if (parsed !== undefined) return withParsedBody(response, text, parsed);
    }
    throw errorFromResponse(response, text, context.scrub);
  } catch (error) {
    throw classify(error, controller.signal, signal, timeout, context.scrub);
  } finally {
    clearTimeout(timer);
    if (forward !== undefined) signal?.removeEventListener("abort", forward);
  }
}

function abortOnTimeout(controller: AbortController): void {
  controller.abort();
}

function forwardAbort(signal: AbortSignal, controller: AbortController): () => void {
  const listener = (): void => controller.abort(signal.reason);
  signal.addEventListener("abort", listener, { once: true });
  return listener;
}

function classify(
  error: unknown,
  attemptSignal: AbortSignal,
  signal: AbortSignal | undefined,
  timeout: number,
  scrub: (text: string) => string,
): FireworksError {
  if (error instanceof FireworksError) return error;
  if (signal?.aborted) return userAbort(signal);
  if (attemptSignal.aborted) return new APITimeoutError(`Request timed out after ${timeout} ms`);
  return new APIConnectionError(scrub(`Connection error: ${describeCause(error)}`), {
    cause: error,
  });
}

/** undici reports "fetch failed" and hides the useful part (ECONNRESET, ...) in `cause`. */
function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (!(cause instanceof Error)) return error.message;
  const code = "code" in cause && typeof cause.code === "string" ? `${cause.code}: ` : "";
  return `${error.message} (${code}${cause.message})`;
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

async function backoff(
  policy: RetryPolicy,
  retry: number,
  error: unknown,
  signal: AbortSignal | undefined,
): Promise<void> {
  const delay = retryDelay(retry, error instanceof APIError ? error.headers : undefined, policy);
  try {
    await policy.sleep(delay, signal);
  } catch (reason) {
    // The sleep only fails when the caller's signal aborts it.
    throw signal === undefined ? reason : userAbort(signal);
  }
}

function isRedirect(response: Response): boolean {
  return response.status >= 300 && response.status < 400 && response.headers.has("location");
}

/**
 * Returns the URL to request next. Only same-origin redirects are followed: the API key must
 * never reach another host, and a silent hop to another origin would also move the request body.
 */
function followRedirect(
  context: RequestContext,
  response: Response,
  url: string,
  init: RequestInit,
  count: number,
): string {
  void response.body?.cancel().catch(() => undefined);
  const from = new URL(url);
  const target = new URL(response.headers.get("location") ?? "", from);
  if (target.origin !== from.origin) {
    throw errorFromResponse(
      response,
      "",
      context.scrub,
      `refused to follow a redirect to another origin (${target.origin}); the API key is only sent to ${from.origin}`,
    );
  }
  if (count > MAX_REDIRECTS) {
    throw errorFromResponse(
      response,
      "",
      context.scrub,
      `too many redirects (more than ${MAX_REDIRECTS})`,
    );
  }
  if (
    response.status === 303 ||
    ((response.status === 301 || response.status === 302) && init.method === "POST")
  ) {
    // Fetch-standard method change: the redirected request is a GET without the body.
    const headers = new Headers(init.headers);
    headers.delete("content-type");
    init.method = "GET";
    init.body = null;
    init.headers = headers;
  }
  return target.href;
}

const PARSED = Symbol("parsed");
const RAW = Symbol("raw");

interface ParsedResponse extends Response {
  readonly [PARSED]: object;
  readonly [RAW]: string;
}

function parseObject(text: string): object | undefined {
  if (text === "") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Lets openapi-fetch's `json()`/`text()` read the body this path already consumed. */
function withParsedBody(response: Response, text: string, parsed: object): Response {
  return Object.assign(response, {
    [PARSED]: parsed,
    [RAW]: text,
    json: parsedJson,
    text: parsedText,
  });
}

function parsedJson(this: ParsedResponse): Promise<object> {
  return Promise.resolve(this[PARSED]);
}

function parsedText(this: ParsedResponse): Promise<string> {
  return Promise.resolve(this[RAW]);
}
