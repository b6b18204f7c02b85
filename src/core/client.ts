import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/schema.js";
import { readEnv } from "../internal/env.js";
import { checkHeaders } from "../internal/header-check.js";
import { checkKeyOrigin } from "../internal/key-origin.js";
import { LightRequest } from "../internal/light-request.js";
import {
  type AttemptLimits,
  type RequestContext,
  send,
  type Transport,
} from "../internal/request.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../internal/retry.js";
import { MAX_TIMER_MS } from "../internal/timer-limit.js";
import { VERSION } from "../version.js";
import { InvalidArgumentError } from "./errors.js";
import { checkId } from "./names.js";
import { secretScrubber } from "./redact.js";

export const DEFAULT_BASE_URL = "https://api.fireworks.ai";
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_TIMEOUT = 60_000;
/** Lets Fireworks tell this client's traffic apart, as the official SDKs do with theirs. */
const USER_AGENT = `fireworks-rlor/${VERSION}`;

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
  /** A fetch-compatible function to send requests with; default a keep-alive node:http(s) transport. */
  fetch?: Transport | undefined;
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

const CLIENT_STATE: unique symbol = Symbol("fireworks-rlor.client");

interface ClientState {
  readonly settings: ClientSettings;
  readonly context: RequestContext;
}

/** An openapi-fetch client for the RLOR trainer job paths whose every request goes through the safe request path. */
export type FireworksClient = Client<paths> & { readonly [CLIENT_STATE]: ClientState };

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
): FireworksClient {
  const apiKey = resolveApiKey(options.apiKey);
  const base = resolveBaseUrl(options.baseUrl ?? readEnv("FIREWORKS_BASE_URL") ?? DEFAULT_BASE_URL);
  const accountId = options.accountId ?? readEnv("FIREWORKS_ACCOUNT_ID");
  if (accountId !== undefined)
    checkId(accountId, "account id", " (accountId option or FIREWORKS_ACCOUNT_ID)");
  checkHeaders(options.headers, "the headers option");
  const settings: ClientSettings = {
    accountId,
    baseUrl: base.href.replace(/\/$/, ""),
    maxRetries: checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES, "maxRetries"),
    timeout: checkTimeout(options.timeout ?? DEFAULT_TIMEOUT, "timeout"),
  };
  const context: RequestContext = {
    transport: options.fetch,
    maxRetries: settings.maxRetries,
    timeout: settings.timeout,
    origin: base.origin,
    policy,
    scrub: secretScrubber(apiKey),
  };
  const client = createClient<paths>({
    baseUrl: settings.baseUrl,
    headers: {
      "user-agent": USER_AGENT,
      ...options.headers,
      accept: "application/json",
      authorization: `Bearer ${apiKey}`,
    },
    Request: LightRequest as unknown as typeof Request,
    fetch: (request: Request) => send(context, request),
  });
  // Non-enumerable, so printing or serialising a client shows no configuration.
  Object.defineProperty(client, CLIENT_STATE, {
    value: { settings, context } satisfies ClientState,
  });
  return client as FireworksClient;
}

/** The resolved settings of a client created by `createFireworksClient`. */
export function getClientSettings(client: FireworksClient): ClientSettings {
  return stateOf(client).settings;
}

/**
 * A per-call fetch for openapi-fetch's `fetch` option that uses other limits than the client's;
 * only built when a call overrides `timeout` or `maxRetries`.
 */
export function fetchWithLimits(
  client: FireworksClient,
  limits: { maxRetries?: number | undefined; timeout?: number | undefined },
): (request: Request) => Promise<Response> {
  const { context } = stateOf(client);
  const resolved: AttemptLimits = {
    maxRetries:
      limits.maxRetries === undefined
        ? context.maxRetries
        : checkMaxRetries(limits.maxRetries, "maxRetries"),
    timeout:
      limits.timeout === undefined ? context.timeout : checkTimeout(limits.timeout, "timeout"),
  };
  return (request) => send(context, request, resolved);
}

function stateOf(client: FireworksClient): ClientState {
  const state = (client as Partial<FireworksClient>)[CLIENT_STATE];
  if (state === undefined) {
    throw new InvalidArgumentError("Expected a client made by createFireworksClient()");
  }
  return state;
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
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(
      `Invalid baseUrl ${JSON.stringify(value)}: expected an absolute URL such as ${DEFAULT_BASE_URL}`,
    );
  }
  if (
    (url.protocol !== "https:" && url.protocol !== "http:") ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    throw new InvalidArgumentError(
      `Invalid baseUrl ${JSON.stringify(url.origin)}: expected an http(s) URL without credentials, query or fragment, such as ${DEFAULT_BASE_URL}`,
    );
  }
  checkKeyOrigin(url);
  return url;
}

function checkMaxRetries(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(
      `Invalid ${name} ${String(value)}: expected a whole number >= 0`,
    );
  }
  return value;
}

function checkTimeout(value: number, name: string): number {
  if (typeof value !== "number" || !(value > 0 && value <= MAX_TIMER_MS)) {
    throw new InvalidArgumentError(
      `Invalid ${name} ${String(value)}: expected milliseconds, > 0 and <= ${MAX_TIMER_MS}`,
    );
  }
  return value;
}
