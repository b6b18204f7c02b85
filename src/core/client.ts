import createClient from "openapi-fetch";
import { ACCOUNT_ID_RULE } from "../../generated/names.js";
import type { ApiClient } from "../../generated/runtime.js";
import { checkHeaders, checkSegment, quote } from "../../generated/runtime.js";
import type { paths } from "../../generated/schema.js";
import { readEnv } from "../internal/env.js";
import { checkKeyOrigin } from "../internal/key-origin.js";
import { checkMaxRetries, checkTimeout } from "../internal/limits.js";
import {
  type Fetch,
  type ProbeRequest,
  probeStatus,
  type RequestContext,
  send,
  serializeBody,
} from "../internal/request.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../internal/retry.js";
import { VERSION } from "../version.js";
import { InvalidArgumentError } from "./errors.js";
import { createScrubber, redactUrlCredentials } from "./redact.js";

export const DEFAULT_BASE_URL = "https://api.fireworks.ai";
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_TIMEOUT = 60_000;
/** Lets Fireworks tell this client's traffic apart, as the official SDKs do with theirs. */
const USER_AGENT = `fireworks-rlor/${VERSION}`;
/** The path parameter a bare job id leaves out, and the client fills in. */
const ACCOUNT_PARAMETER = "account_id";

/** Options of `createFireworksClient`; each falls back to its environment variable, then a default. */
export interface ClientOptions {
  /** API key; default `FIREWORKS_API_KEY`. Trimmed; empty counts as missing. */
  apiKey?: string | undefined;
  /** Account for bare job ids; default `FIREWORKS_ACCOUNT_ID`. */
  accountId?: string | undefined;
  /** Default `FIREWORKS_BASE_URL`, else `https://api.fireworks.ai`. Plain http only for loopback hosts. */
  baseUrl?: string | undefined;
  /** Retries after the first attempt (connection errors, timeouts, 408, 409, 429, 5xx); default 2. */
  maxRetries?: number | undefined;
  /** Time limit of each attempt in ms, response body included; default 60000. */
  timeout?: number | undefined;
  /**
   * The function requests are sent with, with fetch's own signature: default `globalThis.fetch`
   * (looked up when the client is created). Pass undici's `fetch` with a dispatcher for proxies
   * or connection pooling.
   */
  fetch?: Fetch | undefined;
  /** Extra headers sent with every request. */
  headers?: Record<string, string> | undefined;
}

/** The resolved configuration of a client (the API key is deliberately not part of it). */
export interface ClientSettings {
  readonly accountId: string | undefined;
  readonly baseUrl: string;
  readonly maxRetries: number;
  readonly timeout: number;
}

/** A client for every generated operation: pass it as their first argument. */
export interface FireworksClient extends ApiClient<paths> {
  readonly settings: ClientSettings;
}

/** Creates a client; throws `InvalidArgumentError` for a missing API key or an invalid option. */
export function createFireworksClient(options: ClientOptions = {}): FireworksClient {
  return createFireworksClientWithPolicy(options, DEFAULT_RETRY_POLICY);
}

/**
 * @internal Not exported from the package entry: tests inject a short backoff, a fixed jitter
 * and a recording sleep through `policy`.
 */
export function createFireworksClientWithPolicy(
  options: ClientOptions,
  policy: RetryPolicy,
  /** How to give a bare id an account, in the client's words (the CLI names its flag). */
  accountHint = "set the client's accountId option or FIREWORKS_ACCOUNT_ID",
): FireworksClient {
  const apiKey = resolveApiKey(options.apiKey);
  const base = resolveBaseUrl(options.baseUrl ?? readEnv("FIREWORKS_BASE_URL") ?? DEFAULT_BASE_URL);
  const accountId = options.accountId ?? readEnv("FIREWORKS_ACCOUNT_ID");
  if (accountId !== undefined) {
    checkSegment(accountId, ACCOUNT_ID_RULE, " (accountId option or FIREWORKS_ACCOUNT_ID)");
  }
  checkHeaders(options.headers, "the headers option");
  const settings: ClientSettings = {
    accountId,
    baseUrl: base.href.replace(/\/$/, ""),
    maxRetries: checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES, "maxRetries"),
    timeout: checkTimeout(options.timeout ?? DEFAULT_TIMEOUT, "timeout"),
  };
  const scrubber = createScrubber([apiKey]);
  const context: RequestContext = {
    fetch: options.fetch ?? globalThis.fetch,
    maxRetries: settings.maxRetries,
    timeout: settings.timeout,
    origin: base.origin,
    policy,
    scrub: scrubber.scrub,
    learn: scrubber.learn,
  };
  const headers = {
    "user-agent": USER_AGENT,
    ...options.headers,
    accept: "application/json",
    authorization: `Bearer ${apiKey}`,
  };
  const fetchClient = createClient<paths>({
    baseUrl: settings.baseUrl,
    headers,
    bodySerializer: serializeBody,
    fetch: (request: Request) => send(context, request),
  });
  const client: FireworksClient = {
    fetchClient,
    settings,
    pathDefault: (parameter) => (parameter === ACCOUNT_PARAMETER ? accountId : undefined),
    pathDefaultHint: () => accountHint,
  };
  SCRUBBERS.set(client, scrubber.scrub);
  PROBES.set(client, (probe) => probeStatus(context, { ...probe, headers }));
  TRANSPORTS.set(client, { fetch: context.fetch, timeout: settings.timeout });
  return client;
}

/** Sends one health probe with the client's headers; answers the HTTP status. */
export type Prober = (probe: Omit<ProbeRequest, "headers">) => Promise<number>;

/** Each client's prober: it holds the API key, so it is kept off the client object too. */
const PROBES = new WeakMap<object, Prober>();

/**
 * @internal The health prober of a client made here. Throws InvalidArgumentError for another
 * object passed as a client: a probe sends the API key, which only such a client holds.
 */
export function proberOf(client: object): Prober {
  const prober = PROBES.get(client);
  if (prober === undefined) {
    throw new InvalidArgumentError(
      "A readiness wait needs a client made by createFireworksClient: the health probe sends its API key",
    );
  }
  return prober;
}

/** Each client's scrub function, kept off the client object so printing a client shows nothing of it. */
const SCRUBBERS = new WeakMap<object, (text: string) => string>();

/**
 * @internal The scrub function of a client made here: it removes the API key and every secret
 * the client has seen (W&B keys sent or received, signed log URLs it returned). For errors built
 * outside the request path, such as JobFailedError and WaitTimeoutError. Another object passed as
 * a client gets a function that changes nothing.
 */
export function scrubberOf(client: object): (text: string) => string {
  return SCRUBBERS.get(client) ?? ((text) => text);
}

/** How a client reaches hosts other than the API (a signed URL's): without its request path. */
export interface Transport {
  /** The client's `fetch` option (or the platform's), bare: no API key, no retries. */
  readonly fetch: Fetch;
  /** The client's per-attempt time limit in ms. */
  readonly timeout: number;
}

/** Each client's transport, kept off the client object as its scrubber is. */
const TRANSPORTS = new WeakMap<object, Transport>();

/**
 * @internal The fetch a client made here was given, and its timeout: for a signed URL, which
 * must be fetched through the same network settings (proxy, dispatcher) but never through the
 * request path, which adds the API key. Another object passed as a client gets the platform's
 * fetch, looked up at each call.
 */
export function transportOf(client: FireworksClient): Transport {
  return (
    TRANSPORTS.get(client) ?? {
      fetch: (url, init) => globalThis.fetch(url, init),
      timeout: client.settings.timeout,
    }
  );
}

function resolveApiKey(option: string | undefined): string {
  const apiKey = option === undefined ? readEnv("FIREWORKS_API_KEY") : option.trim();
  if (apiKey === undefined || apiKey === "") {
    throw new InvalidArgumentError(
      "Missing Fireworks API key: set the FIREWORKS_API_KEY environment variable or pass { apiKey } to createFireworksClient()",
    );
  }
  // An invalid header value would make fetch throw an error quoting the whole header, key included.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new InvalidArgumentError(
      "Invalid Fireworks API key: it contains whitespace, control or non-ASCII characters",
    );
  }
  return apiKey;
}

function resolveBaseUrl(value: string): URL {
  if (!URL.canParse(value)) {
    throw new InvalidArgumentError(
      `Invalid baseUrl ${quote(redactUrlCredentials(value))}: expected an absolute URL such as ${DEFAULT_BASE_URL}`,
    );
  }
  const url = new URL(value);
  if (
    (url.protocol !== "https:" && url.protocol !== "http:") ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    throw new InvalidArgumentError(
      `Invalid baseUrl ${quote(url.origin)}: expected an http(s) URL without credentials, query or fragment, such as ${DEFAULT_BASE_URL}`,
    );
  }
  checkKeyOrigin(url);
  return url;
}
