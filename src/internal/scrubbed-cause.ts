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
  const copy = new Error(scrub(messageOf(thrown)));
  if (!(thrown instanceof Error)) return copy;
  copy.name = scrub(thrown.name);
  copy.stack = scrub(thrown.stack ?? `${copy.name}: ${copy.message}`);
  const code: unknown = "code" in thrown ? thrown.code : undefined;
  if (typeof code === "string")
    Object.defineProperty(copy, "code", { value: scrub(code), enumerable: true });
  if (thrown.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    copy.cause = scrubbedCause(thrown.cause, scrub, depth + 1);
  }
  return copy;
}

function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === "string") return thrown;
  // Not String(thrown): a thrown object's own toString could throw, or print anything.
  return Object.prototype.toString.call(thrown);
}
