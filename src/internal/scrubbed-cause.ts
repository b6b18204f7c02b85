/**
 * How many causes deep a copy goes: undici nests two (TypeError "fetch failed" → the socket
 * error); a custom fetch may nest more, and a cycle must not loop.
 */
const MAX_CAUSE_DEPTH = 5;

/**
 * A copy of a thrown value, safe to keep as an error's `cause`: message, name, stack and `code`
 * of each level passed through `scrub`, and nothing else. A fetch error (above all one from a
 * custom `fetch` option) may quote the URL, the request headers or the body; keeping the original
 * object would put the API key one `error.cause` away from a log. `code` is kept because it says
 * whether the request was sent at all (ECONNREFUSED, ...). Never throws: every read of the thrown
 * value goes through `read`, whatever its getters or a Proxy's traps do.
 */
export function scrubbedCause(thrown: unknown, scrub: (text: string) => string, depth = 0): Error {
  const message = scrub(messageOf(thrown));
  if (!isError(thrown)) return new Error(message);
  const inner = read(thrown, "cause");
  const cause =
    inner !== undefined && depth < MAX_CAUSE_DEPTH
      ? scrubbedCause(inner, scrub, depth + 1)
      : undefined;
  const copy = new Error(message, cause === undefined ? undefined : { cause });
  // As on a native error: name is not enumerable, `code` (a Node system error's) is.
  Object.defineProperty(copy, "name", {
    value: scrub(textOf(read(thrown, "name")) ?? "Error"),
    writable: true,
    configurable: true,
  });
  copy.stack = scrub(textOf(read(thrown, "stack")) ?? `${copy.name}: ${message}`);
  const code = textOf(read(thrown, "code"));
  if (code !== undefined) {
    Object.defineProperty(copy, "code", { value: scrub(code), enumerable: true });
  }
  return copy;
}

/**
 * A thrown value in a line, not yet scrubbed; never throws. undici reports "fetch failed" and
 * hides the useful part (ECONNRESET, ...) in `cause`, which is added.
 */
export function describeThrown(thrown: unknown): string {
  const message = messageOf(thrown);
  if (!isError(thrown)) return message;
  const cause = read(thrown, "cause");
  if (!isError(cause)) return message;
  const code = textOf(read(cause, "code"));
  return `${message} (${code === undefined ? "" : `${code}: `}${messageOf(cause)})`;
}

/** `value instanceof type`, false where even asking throws (a revoked Proxy, a throwing trap). */
export function isInstance<T>(
  value: unknown,
  type: abstract new (...args: never[]) => T,
): value is T {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

function isError(value: unknown): value is Error {
  return isInstance(value, Error);
}

/** A property of a thrown value; undefined where its getter or a Proxy trap throws. */
function read(thrown: object, key: string): unknown {
  try {
    return (thrown as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function messageOf(thrown: unknown): string {
  if (typeof thrown === "string") return thrown;
  if (isError(thrown)) return textOf(read(thrown, "message")) ?? "";
  try {
    // Not String(thrown): a thrown object's own toString could throw, or print anything.
    return Object.prototype.toString.call(thrown);
  } catch {
    return `a thrown ${typeof thrown}`;
  }
}
