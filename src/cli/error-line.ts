import { APIError } from "../core/errors.js";

/** Collapses a message onto one line, so every error is exactly one line of stderr. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/**
 * "<Class>: <message> (request id <id>)". API errors' messages already start with the HTTP
 * status and the google.rpc code name ("404 NOT_FOUND: ...").
 */
export function formatErrorLine(error: unknown): string {
  if (!(error instanceof Error)) return `Error: ${oneLine(String(error))}`;
  const requestId =
    error instanceof APIError && error.requestId ? ` (request id ${error.requestId})` : "";
  return `${error.name}: ${oneLine(error.message)}${requestId}`;
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
