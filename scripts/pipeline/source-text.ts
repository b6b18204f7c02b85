// Spec text inside generated TypeScript. The spec is data: whatever it says, it is emitted as a
// string literal, a quoted property key or comment text, and never ends one or reads as code.

/**
 * What JSON.stringify leaves raw but a reader or a parser should not meet raw: control and format
 * characters (bidi overrides could make code read otherwise than it runs, CVE-2021-42574), line
 * and paragraph separators (U+2028, U+2029) and lone surrogates.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** True for a name that can stand bare after a dot or as a property key. */
export function isPlainIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A JSON value as a TypeScript expression or literal type, double-quoted strings escaped. */
export function literal(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value).replace(INVISIBLE, escapeChar);
}

/** A property key in an object literal or a type: bare where it is an identifier, else quoted. */
export function propertyKey(name: string): string {
  return isPlainIdentifier(name) ? name : literal(name);
}

/** `object.name` or `object["a-b"]`; with `?.`, `object?.name` or `object?.["a-b"]`. */
export function memberAccess(object: string, name: string, chain: "." | "?." = "."): string {
  if (isPlainIdentifier(name)) return `${object}${chain}${name}`;
  return `${object}${chain === "?." ? "?." : ""}[${literal(name)}]`;
}

/** Text for inside a comment: `*\/` cannot close it and no character is invisible or a line break. */
export function commentText(text: string): string {
  return text.replace(INVISIBLE, escapeChar).replaceAll("*/", "*\\/");
}
