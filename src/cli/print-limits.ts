/**
 * How much of a server value the CLI prints. A value is printed whole unless it is nested deeper
 * than MAX_PRINT_DEPTH levels or is larger than the limit of where it is printed: then what lies
 * past the limit is cut and marked `[truncated: …]`. Printing then holds bounded memory and never
 * overflows the stack: a 5,000-deep array made `-o text` throw a RangeError, and a 600 kB body of
 * deeply nested small items printed as 19.5 M characters of indentation in `-o json`.
 */

/** Deeper than this is cut: a job is a few levels deep. */
export const MAX_PRINT_DEPTH = 32;

/** The most characters one value shows in text and name output (a field, a table cell). */
export const DISPLAY_LIMIT = 4096;

/** About the most characters one JSON document (`-o json`) prints, indentation included. */
export const JSON_LIMIT = 8 * 1024 * 1024;

const TOO_DEEP = `[truncated: deeper than ${MAX_PRINT_DEPTH} levels]`;

/** `text`, cut to its first `limit` characters and marked when longer. */
export function cutText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  // Not between the two halves of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(limit - 1)) ? limit - 1 : limit;
  return `${text.slice(0, Math.max(end, 0))}…[truncated: ${text.length} characters in all]`;
}

/**
 * A copy of a JSON value that prints (indented two spaces a level) in about `limit` characters:
 * nothing deeper than MAX_PRINT_DEPTH, long strings cut, and once the characters are spent, the
 * items and fields left are replaced by one marker. Only what is kept is visited.
 */
export function boundedValue(value: unknown, limit: number): unknown {
  return bound(value, 0, { left: limit });
}

function bound(value: unknown, depth: number, budget: { left: number }): unknown {
  if (typeof value === "string") {
    const kept = cutText(value, Math.max(budget.left, 0));
    budget.left -= kept.length + 2;
    return kept;
  }
  if (typeof value !== "object" || value === null) {
    budget.left -= String(value).length;
    return value;
  }
  if (depth >= MAX_PRINT_DEPTH) {
    budget.left -= TOO_DEEP.length;
    return TOO_DEEP;
  }
  // Each item or field costs its line's indentation, a comma and a newline.
  const lineCost = 2 * (depth + 1) + 2;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const [index, item] of value.entries()) {
      if (budget.left <= 0) {
        items.push(`[truncated: ${value.length - index} more items]`);
        break;
      }
      budget.left -= lineCost;
      items.push(bound(item, depth + 1, budget));
    }
    return items;
  }
  const keys = Object.keys(value);
  const fields: Record<string, unknown> = {};
  for (const [index, key] of keys.entries()) {
    if (budget.left <= 0) {
      fields["…"] = `[truncated: ${keys.length - index} more fields]`;
      break;
    }
    budget.left -= lineCost + key.length + 4;
    fields[key] = bound((value as Record<string, unknown>)[key], depth + 1, budget);
  }
  return fields;
}
