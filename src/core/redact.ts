/** What replaces a secret value. */
export const REDACTED = "[REDACTED]";

/**
 * Keys whose values are secrets wherever they appear (compared lower-cased). `wandbConfig.apiKey`
 * comes back in job responses; matching the key name at any depth also covers fields the API adds.
 */
const SECRET_KEYS = new Set(["apikey", "api_key"]);

/** Header names (lower-case) whose values are never printed, logged or put in an error. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
]);

/** Credential headers whose leading auth scheme (`Bearer`) is kept: it says which kind was sent. */
const SCHEME_HEADERS: ReadonlySet<string> = new Set(["authorization", "proxy-authorization"]);

/**
 * A deep copy of a job (or any JSON value) with secrets such as `wandbConfig.apiKey` replaced by
 * `"[REDACTED]"`, safe to print or log. Unknown fields are kept.
 */
export function redactJob<T>(job: T): T {
  return redactValue(job, keep) as T;
}

/**
 * Like `redactJob`, and every string is also passed through `scrub`: for server-provided JSON
 * (error `details`) that may echo the API key in any field.
 */
export function redactJson<T>(value: T, scrub: (text: string) => string): T {
  return redactValue(value, scrub) as T;
}

/**
 * Headers as a plain record, safe to print: values of `SECRET_HEADERS` are replaced by
 * `"[REDACTED]"` (`"Bearer [REDACTED]"` for an authorization header). Names are kept as given.
 */
export function redactHeaders(
  headers: Iterable<[string, string]> | Record<string, string>,
): Record<string, string> {
  const entries = Symbol.iterator in headers ? headers : Object.entries(headers);
  const record: Record<string, string> = {};
  for (const [name, value] of entries) record[name] = redactHeader(name.toLowerCase(), value);
  return record;
}

function redactHeader(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name)) return value;
  const scheme = SCHEME_HEADERS.has(name) ? /^([A-Za-z][\w-]*) +\S/.exec(value)?.[1] : undefined;
  return scheme === undefined ? REDACTED : `${scheme} ${REDACTED}`;
}

/**
 * Replaces every form in which `secret` may show up in server text: as is, JSON-escaped (also
 * with Go's HTML-safe `\u003c`-style escapes, which gRPC-gateway servers emit) and URL-encoded.
 */
export function secretScrubber(secret: string): (text: string) => string {
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [...new Set([secret, json, goHtmlEscape(json), encodeURIComponent(secret)])].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => forms.reduce((scrubbed, form) => scrubbed.replaceAll(form, REDACTED), text);
}

function goHtmlEscape(json: string): string {
  return json.replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026");
}

function keep(text: string): string {
  return text;
}

function redactValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, scrub));
  if (typeof value !== "object" || value === null) return value;
  // fromEntries defines own properties, so a "__proto__" key from JSON stays data, not a prototype.
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      isSecret(key, field) ? REDACTED : redactValue(field, scrub),
    ]),
  );
}

function isSecret(key: string, field: unknown): boolean {
  return SECRET_KEYS.has(key.toLowerCase()) && field !== null && field !== "";
}
