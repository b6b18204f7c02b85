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
 * whether the request was sent at all (ECONNREFUSED, ...).
 */
export function scrubbedCause(thrown: unknown, scrub: (text: string) => string, depth = 0): Error {
  const message = scrub(messageOf(thrown));
  if (!(thrown instanceof Error)) return new Error(message);
  const cause =
    thrown.cause !== undefined && depth < MAX_CAUSE_DEPTH
      ? scrubbedCause(thrown.cause, scrub, depth + 1)
      : undefined;
  const copy = new Error(message, cause === undefined ? undefined : { cause });
  // As on a native error: name is not enumerable, `code` (a Node system error's) is.
  Object.defineProperty(copy, "name", {
    value: scrub(thrown.name),
    writable: true,
    configurable: true,
  });
  copy.stack = scrub(thrown.stack ?? `${copy.name}: ${message}`);
  const code: unknown = "code" in thrown ? thrown.code : undefined;
  if (typeof code === "string") {
    Object.defineProperty(copy, "code", { value: scrub(code), enumerable: true });
  }
  return copy;
}

function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === "string") return thrown;
  // Not String(thrown): a thrown object's own toString could throw, or print anything.
  return Object.prototype.toString.call(thrown);
}
