import { redactJson, scrubberWithSecretsOf, scrubUnparsed } from "../core/redact.js";
import { type Fetch, MAX_BODY_BYTES } from "../internal/request.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../internal/retry.js";
import { describeThrown } from "../internal/scrubbed-cause.js";
import { formatRequestText, viewRequest } from "./http-view.js";
import { displayText } from "./sanitize.js";

/** Enough of a body to debug with: longer ones are cut, once redacted whole. */
const BODY_PREVIEW_CHARS = 4096;

/**
 * The whole body, read from a clone so the client still gets it; undefined past the size the
 * client reads (it refuses such a body unread), so the log holds no more than the client does.
 */
async function wholeBody(response: Response): Promise<string | undefined> {
  const reader = response.clone().body?.getReader();
  if (reader === undefined) return "";
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) return undefined;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

/**
 * The body with every secret gone (API key as sent or echoed, W&B keys and signed URLs, the
 * body's own too: `scrub` knows them), redacted whole before it is cut: a cut first would leave
 * part of a secret that straddles it, and a body cut short cannot be parsed to find its own.
 */
function redactedBody(
  text: string | undefined,
  parsed: unknown,
  scrub: (text: string) => string,
): string {
  if (text === undefined) return `(over ${MAX_BODY_BYTES} bytes: not shown)`;
  if (text === "") return "(empty)";
  const shown = displayText(
    parsed === undefined ? scrubUnparsed(text, scrub) : JSON.stringify(redactJson(parsed, scrub)),
  );
  return shown.length > BODY_PREVIEW_CHARS ? `${shown.slice(0, BODY_PREVIEW_CHARS)} …(cut)` : shown;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON (a proxy's HTML page): shown as text.
    return undefined;
  }
}

/**
 * --debug: each attempt on stderr (request without secrets, status, duration, request id,
 * body redacted). Wraps the fetch the client sends with, so debugging changes nothing sent.
 */
export function debugFetch(
  base: Fetch,
  log: (line: string) => void,
  scrub: (text: string) => string,
): Fetch {
  let attempt = 0;
  return async (url, init) => {
    attempt++;
    // A log read's URL is a signed one: the scrubber knows it from the publicLogs answer.
    const request = formatRequestText(viewRequest(url, init, scrub)).trimEnd();
    log(`> [attempt ${attempt}] ${request.replaceAll("\n", "\n> ")}`);
    const started = performance.now();
    const elapsed = () => `${Math.round(performance.now() - started)} ms`;
    let response: Response;
    try {
      response = await base(url, init);
    } catch (error) {
      log(`< no response after ${elapsed()}: ${displayText(scrub(describeThrown(error)))}`);
      throw error;
    }
    const requestId = response.headers.get("x-request-id");
    const body = await wholeBody(response).catch(() => "");
    const parsed = parseJson(body);
    // The client learns the answer's secrets only after this: its status line and request id
    // lose those the body carries (a W&B key the client has not seen) as the body does.
    const scrubAnswer = parsed === undefined ? scrub : scrubberWithSecretsOf(parsed, scrub);
    log(
      `< ${response.status} ${displayText(scrubAnswer(response.statusText))} in ${elapsed()}` +
        (requestId ? ` (request id ${displayText(scrubAnswer(requestId))})` : ""),
    );
    log(`< body: ${redactedBody(body, parsed, scrubAnswer)}`);
    return response;
  };
}

/** The client's retry policy, with each backoff logged before it is slept. */
export function loggingRetryPolicy(log: (line: string) => void): RetryPolicy {
  return {
    ...DEFAULT_RETRY_POLICY,
    sleep: (ms, signal) => {
      log(`retrying in ${Math.round(ms)} ms (backoff)`);
      return DEFAULT_RETRY_POLICY.sleep(ms, signal);
    },
  };
}
