import { boundedValue, cutText, DISPLAY_LIMIT } from "./print-limits.js";

/**
 * Server-supplied text reaches a terminal: an ESC or a C1 control in a job's status message could
 * move the cursor, rewrite earlier lines or set the window title, and a bidirectional control
 * reorders what is shown (`invoice\u202Etxt.exe` reads as `invoiceexe.txt`: "Trojan Source",
 * CVE-2021-42574). Everything the CLI prints goes through these.
 */

/**
 * The bidirectional controls: the embeddings and overrides (U+202A-U+202E), the isolates
 * (U+2066-U+2069) and the marks (U+200E, U+200F, U+061C).
 */
const BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069";
const CONTROLS = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${BIDI}]`, "g");
const LINE_BREAKS = /[\t\n]+/g;
/** What JSON.stringify leaves raw in strings but a terminal may act on: DEL, C1 and bidi. */
const JSON_RAW_CONTROLS = new RegExp(`[\\u007f-\\u009f${BIDI}]`, "g");

/** Drops C0 controls (except tab and newline), DEL, C1 and bidirectional controls. */
export function stripControls(text: string): string {
  return text.replace(CONTROLS, "");
}

/**
 * Any value from the server as one line of display text. Never throws, whatever the server sent
 * (a number where a string belongs, an object, null): "-" for nothing, JSON for structures; at
 * most DISPLAY_LIMIT characters, the rest cut and marked.
 */
export function displayText(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  const text =
    typeof value === "string"
      ? cutText(value, DISPLAY_LIMIT)
      : cutText(safeJson(boundedValue(value, DISPLAY_LIMIT)), DISPLAY_LIMIT);
  return stripControls(text).replace(LINE_BREAKS, " ").trim() || "-";
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A BigInt: cannot come from JSON.parse, but display must not throw on it either.
    return String(value);
  }
}

/** JSON text with DEL, C1 and bidi characters escaped as \uXXXX: still the same JSON value. */
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
