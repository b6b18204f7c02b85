/**
 * Server-supplied text reaches a terminal: an ESC or a C1 control in a job's status message could
 * move the cursor, rewrite earlier lines or set the window title. Everything the CLI prints goes
 * through these.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const LINE_BREAKS = /[\t\n]+/g;
/** What JSON.stringify leaves raw in strings but a terminal may act on: DEL and C1. */
const JSON_RAW_CONTROLS = /[\u007f-\u009f]/g;

/** Drops C0 controls (except tab and newline), DEL and C1 controls. */
export function stripControls(text: string): string {
  return text.replace(CONTROLS, "");
}

/**
 * Any value from the server as one line of display text. Never throws, whatever the server sent
 * (a number where a string belongs, an object, null): "-" for nothing, JSON for structures.
 */
export function displayText(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  const text = typeof value === "string" ? value : safeJson(value);
  return stripControls(text).replace(LINE_BREAKS, " ").trim() || "-";
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // BigInt or a cycle: cannot come from JSON.parse, but display must not throw on it either.
    return String(value);
  }
}

/** JSON text with DEL and C1 characters escaped as \u00XX: still the same JSON value. */
export function escapeJsonControls(json: string): string {
  return json.replace(
    JSON_RAW_CONTROLS,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A writer that strips control characters from everything written through it. */
export function strippingWriter<T extends { write(text: string): unknown }>(
  stream: T,
): { write(text: string): unknown } {
  return { write: (text: string) => stream.write(stripControls(text)) };
}
