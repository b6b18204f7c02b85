import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  JobFailedError,
  PermissionDeniedError,
} from "../core/errors.js";
import type { ClientOrigin } from "./cli-client.js";
import { stripControls } from "./sanitize.js";

/**
 * An error in the CLI's words: `line` replaces the library's message, `hints` say what to do
 * next. The exit code is the cause's.
 */
export class Explained extends Error {
  override name = "Explained";
  override readonly cause: unknown;
  readonly line: string;
  readonly hints: readonly string[];
  constructor(cause: unknown, line: string, hints: readonly string[] = []) {
    super(line, { cause });
    this.cause = cause;
    this.line = line;
    this.hints = hints;
  }
}

/** Collapses a message onto one line, so every error is exactly one line of stderr. */
function oneLine(text: string): string {
  return stripControls(text.replace(/\s*[\r\n]+\s*/g, " ")).trim();
}

/**
 * "<Class>: <message> (request id <id>) (reason: <reason>)". API errors' messages already start
 * with the HTTP status and the google.rpc code name ("404 NOT_FOUND: ..."); the reason is the
 * server's ErrorInfo classification, last so that scripts find it at the end.
 */
export function formatErrorLine(error: unknown): string {
  if (error instanceof Explained) {
    const name = error.cause instanceof Error ? error.cause.name : "Error";
    return `${name}: ${oneLine(error.line)}${reasonOf(error.cause)}`;
  }
  if (!(error instanceof Error)) return `Error: ${oneLine(String(error))}`;
  const requestId =
    error instanceof APIError && error.requestId ? ` (request id ${oneLine(error.requestId)})` : "";
  return `${error.name}: ${oneLine(error.message)}${requestId}${reasonOf(error)}`;
}

function reasonOf(error: unknown): string {
  const reason =
    error instanceof APIError || error instanceof JobFailedError ? error.reason : undefined;
  return reason === undefined ? "" : ` (reason: ${oneLine(reason)})`;
}

/** What to do next, for the errors a CLI user can act on. */
export function errorHints(error: unknown, origin: ClientOrigin | undefined): readonly string[] {
  if (error instanceof Explained) return error.hints;
  if (origin === undefined) return [];
  if (error instanceof AuthenticationError) {
    return [
      `The API key from ${origin.keyFrom} was rejected: check that it is a current key of the account.`,
    ];
  }
  if (error instanceof PermissionDeniedError) {
    return [`The API key from ${origin.keyFrom} may not act on this account or job.`];
  }
  if (error instanceof APITimeoutError) {
    return [
      `A request to ${origin.baseUrl} took longer than its limit: raise it with --request-timeout (default 60s), or check the network.`,
    ];
  }
  if (error instanceof APIConnectionError) {
    const via = origin.proxy
      ? ` (through the proxy in ${origin.proxy}, unless NO_PROXY matches)`
      : "";
    return [
      `Could not reach ${origin.baseUrl}${via}: check --base-url (or FIREWORKS_BASE_URL) and the network.`,
    ];
  }
  return [];
}

/** The stack and the cause chain, for --debug. */
export function formatErrorDetail(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    lines.push(
      depth === 0 ? "" : "caused by:",
      current instanceof Error ? (current.stack ?? String(current)) : String(current),
    );
    current = current instanceof Error ? current.cause : undefined;
  }
  return `${lines.filter(Boolean).join("\n")}\n`;
}
