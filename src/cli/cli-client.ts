import { ACCOUNT_ID_RULE } from "../../generated/names.js";
import { checkSegment } from "../../generated/runtime.js";
import {
  type ClientOptions,
  createFireworksClientWithPolicy,
  DEFAULT_BASE_URL,
  type FireworksClient,
  scrubberOf,
} from "../core/client.js";
import { InvalidArgumentError } from "../core/errors.js";
import { redactUrlCredentials } from "../core/redact.js";
import { readEnv } from "../internal/env.js";
import { isLoopback } from "../internal/key-origin.js";
import type { Fetch } from "../internal/request.js";
import { DEFAULT_RETRY_POLICY } from "../internal/retry.js";
import type { CliOptions } from "./args.js";
import { debugFetch, loggingRetryPolicy } from "./debug-log.js";
import { type ProxiedFetch, proxyFetch } from "./proxy.js";
import { recordingFetch, type SentRequest } from "./support-report.js";

/** Where the CLI's settings came from, for messages that say what to check. */
export interface ClientOrigin {
  /** `FIREWORKS_API_KEY` or `--api-key`. */
  readonly keyFrom: string;
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /** The proxy variable requests go through, if any (NO_PROXY considered). */
  readonly proxy: string | undefined;
}

export interface CliClient {
  readonly client: FireworksClient;
  readonly origin: ClientOrigin;
  /** Closes the proxy's connections, if any: called once the command is done. */
  readonly close: () => Promise<void>;
}

/** What a CLI user does when a bare job id has no account (the library's hint speaks to code). */
const ACCOUNT_HINT = "use -a/--account-id <account-id> or set FIREWORKS_ACCOUNT_ID";

function apiKey(options: CliOptions): { key: string; from: string } {
  const fromFlag = options.apiKey?.trim();
  if (fromFlag) return { key: fromFlag, from: "--api-key" };
  const key = readEnv("FIREWORKS_API_KEY");
  if (key === undefined) {
    throw new InvalidArgumentError(
      "Missing Fireworks API key: set the FIREWORKS_API_KEY environment variable or use --api-key",
    );
  }
  return { key, from: "FIREWORKS_API_KEY" };
}

function accountId(options: CliOptions): string | undefined {
  const fromFlag = options.accountId;
  const value = fromFlag ?? readEnv("FIREWORKS_ACCOUNT_ID");
  if (value !== undefined) {
    checkSegment(
      value,
      ACCOUNT_ID_RULE,
      fromFlag ? " (-a/--account-id)" : " (FIREWORKS_ACCOUNT_ID)",
    );
  }
  return value;
}

/**
 * The paths of the API start with /v1 and the base URL is what comes before: a base URL that ends
 * in /v1 (as in other tools' settings) would send /v1/v1/…, so it is cut, with a note.
 */
function baseUrl(options: CliOptions, note: (line: string) => void): string {
  const flag = options.baseUrl;
  const given = flag ?? readEnv("FIREWORKS_BASE_URL") ?? DEFAULT_BASE_URL;
  const trimmed = given.replace(/\/v1\/?$/, "");
  if (trimmed !== given) {
    const where = flag === undefined ? "FIREWORKS_BASE_URL" : "--base-url";
    // Credentials in it are refused next, by the client: not printed here either.
    const using = redactUrlCredentials(trimmed);
    note(`note: ${where} ends in /v1, which every path already starts with; using ${using}`);
  }
  return trimmed;
}

/** Fewer than one poll a second against a real API only burns the account's request rate. */
export const MIN_REMOTE_POLL_INTERVAL = 1_000;

/** `url`: the client's base URL, checked by then. */
function checkPollFloor(options: CliOptions, url: URL): void {
  if (!options.wait || options.pollInterval >= MIN_REMOTE_POLL_INTERVAL) return;
  if (isLoopback(url.hostname)) return;
  throw new InvalidArgumentError(
    `--poll-interval: at least 1s against ${url.origin}: each poll is a request, and an account without a payment method may send only 10 requests a minute`,
  );
}

/**
 * The client the CLI sends with: its messages speak CLI, --debug logs, proxies are honoured, and
 * each answered request is noted in `sent` (for `report`).
 */
export async function createCliClient(
  options: CliOptions,
  log: (line: string) => void,
  sent: SentRequest[],
  capture?: Fetch,
): Promise<CliClient> {
  const { key, from } = apiKey(options);
  const url = baseUrl(options, log);
  const account = accountId(options);
  // An invalid base URL goes direct here; creating the client refuses it below.
  const target = URL.canParse(url) ? new URL(url) : undefined;
  const proxied: ProxiedFetch | undefined =
    capture === undefined && target !== undefined ? await proxyFetch(target) : undefined;
  const base = recordingFetch(
    capture ?? proxied?.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    sent,
  );
  const settings: ClientOptions = {
    apiKey: key,
    accountId: account,
    baseUrl: url,
    // The client's own scrubber (it also knows the signed URLs it returned), once it exists.
    fetch: options.debug ? debugFetch(base, log, (text) => scrubberOf(client)(text)) : base,
  };
  if (options.requestTimeout !== undefined) settings.timeout = options.requestTimeout;
  if (options.maxRetries !== undefined) settings.maxRetries = options.maxRetries;
  if (capture !== undefined) settings.maxRetries = 0;
  const policy = options.debug ? loggingRetryPolicy(log) : DEFAULT_RETRY_POLICY;
  const close = async () => proxied?.close();
  let client: FireworksClient;
  try {
    client = createFireworksClientWithPolicy(settings, policy, ACCOUNT_HINT);
    checkPollFloor(options, new URL(client.settings.baseUrl));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    client,
    origin: { keyFrom: from, baseUrl: client.settings.baseUrl, proxy: proxied?.variable },
    close,
  };
}
