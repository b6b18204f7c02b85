import { REDACTED, redactJson, scrubberWithSecretsOf } from "../core/redact.js";
import type { Fetch } from "../internal/request.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../internal/retry.js";
import { formatRequestText, viewRequest } from "./http-view.js";
import { displayText } from "./sanitize.js";

/** Enough of a body to debug with; the rest is left unread by the log (the client reads it all). */
const BODY_PREVIEW_BYTES = 4096;

/** Up to BODY_PREVIEW_BYTES of the body, read from a clone so the client still gets all of it. */
async function preview(response: Response): Promise<{ text: string; cut: boolean }> {
  const reader = response.clone().body?.getReader();
  if (reader === undefined) return { text: "", cut: false };
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), cut: false };
      size += value.byteLength;
      text += decoder.decode(value, { stream: true });
      if (size >= BODY_PREVIEW_BYTES) return { text: text.slice(0, BODY_PREVIEW_BYTES), cut: true };
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

/** The body with every secret gone: API key (as sent or echoed), wandb keys, signed URLs. */
function redactedBody(text: string, cut: boolean, scrub: (text: string) => string): string {
  if (text === "") return "(empty)";
  if (!cut) {
    try {
      const parsed: unknown = JSON.parse(text);
      // The secrets the body itself carries (a signed log URL) go too, wherever they appear.
      return JSON.stringify(redactJson(parsed, scrubberWithSecretsOf(parsed, scrub)));
    } catch {
      // Not JSON (a proxy's HTML page): shown as text below.
    }
  }
  // Unparsed text may hold a signed URL too: drop anything that looks like one.
  const shown = scrub(text).replace(
    /https?:\/\/\S*[?&](X-Goog-Signature|Signature|sig)=\S*/gi,
    REDACTED,
  );
  return `${displayText(shown)}${cut ? " …(cut)" : ""}`;
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
    const request = scrub(formatRequestText(viewRequest(url, init)).trimEnd());
    log(`> [attempt ${attempt}] ${request.replaceAll("\n", "\n> ")}`);
    const started = performance.now();
    const elapsed = () => `${Math.round(performance.now() - started)} ms`;
    let response: Response;
    try {
      response = await base(url, init);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`< no response after ${elapsed()}: ${displayText(scrub(message))}`);
      throw error;
    }
    const requestId = response.headers.get("x-request-id");
    const body = await preview(response).catch(() => ({ text: "", cut: false }));
    log(
      `< ${response.status} ${displayText(response.statusText)} in ${elapsed()}` +
        (requestId ? ` (request id ${displayText(scrub(requestId))})` : ""),
    );
    log(`< body: ${redactedBody(body.text, body.cut, scrub)}`);
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
