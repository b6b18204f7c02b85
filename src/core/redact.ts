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
 * Deeper JSON than this is not copied but replaced by `"[REDACTED]"`: a job is a few levels deep,
 * and a hostile body nested thousands of levels would otherwise overflow the stack (a RangeError,
 * not one of our errors) in the copy or in `JSON.stringify` of it.
 */
const MAX_JSON_DEPTH = 100;

/**
 * A deep copy of a job (or any JSON value) with secrets such as `wandbConfig.apiKey` replaced by
 * `"[REDACTED]"`, safe to print or log. Unknown fields are kept.
 */
export function redactJob<T>(job: T): T {
  return redactValue(job, keep, 0, { changed: false }) as T;
}

/**
 * Like `redactJob`, and every string is also passed through `scrub`: for server-provided JSON
 * (error `details`) that may echo the API key in any field.
 */
export function redactJson<T>(value: T, scrub: (text: string) => string): T {
  return redactValue(value, scrub, 0, { changed: false }) as T;
}

/** `redactJson`, and whether it changed anything (then the raw text must not be kept). */
export function redactJsonChecked(
  value: unknown,
  scrub: (text: string) => string,
): { value: unknown; changed: boolean } {
  const state = { changed: false };
  return { value: redactValue(value, scrub, 0, state), changed: state.changed };
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

/** Removes known secrets from text; see `createScrubber`. */
export interface Scrubber {
  /** The text with every form of every known secret replaced by `"[REDACTED]"`. */
  readonly scrub: (text: string) => string;
  /**
   * Remembers the secrets a JSON value carries: values of secret keys (`wandbConfig.apiKey`) and
   * signed URLs (`signedUrl` of the public logs), so that text echoing them later is scrubbed.
   */
  readonly learn: (value: unknown) => void;
}

/**
 * Learnt secrets shorter than this are not scrubbed: a one-letter "key" would blank out every
 * message. The API key given to the client is scrubbed whatever its length.
 */
const MIN_LEARNT_LENGTH = 8;

/**
 * How many learnt secrets a scrubber keeps, oldest dropped first: a client polling public logs for
 * days must not grow without bound. Signed URLs expire after 24 h, so old ones matter least.
 */
const MAX_LEARNT = 256;

/** Keys whose string value is a URL that grants access by itself. */
const SIGNED_URL_KEYS = new Set(["signedurl", "signed_url"]);

/**
 * A scrubber for `pinned` secrets (the API key), which also learns secrets from JSON it is shown.
 * Every form a server may echo a secret in is replaced: as is, JSON-escaped (also with Go's
 * HTML-safe `\u003c`-style escapes, which gRPC-gateway servers emit) and URL-encoded, matched
 * without regard to case, since header names arrive lower-cased and percent-escapes vary in case.
 */
export function createScrubber(pinned: readonly string[]): Scrubber {
  const learnt = new Set<string>();
  let pattern = patternFor(pinned);
  /** Adds `secret`; true when it was not known before (the pattern must then be rebuilt). */
  const remember = (secret: string): boolean => {
    if (secret.length < MIN_LEARNT_LENGTH || secret === REDACTED || pinned.includes(secret)) {
      return false;
    }
    const known = learnt.delete(secret);
    learnt.add(secret);
    if (learnt.size > MAX_LEARNT) learnt.delete(learnt.values().next().value ?? "");
    return !known;
  };
  return {
    scrub: (text) => (pattern === undefined ? text : text.replace(pattern, REDACTED)),
    learn: (value) => {
      let added = false;
      for (const secret of secretsIn(value)) added = remember(secret) || added;
      // One rebuild per body, and none for a poll that shows the same job again.
      if (added) pattern = patternFor([...pinned, ...learnt]);
    },
  };
}

/** `scrub`, then also the secrets `value` itself carries (a job's own `wandbConfig.apiKey`). */
export function scrubberWithSecretsOf(
  value: unknown,
  scrub: (text: string) => string = keep,
): (text: string) => string {
  const own = createScrubber([]);
  own.learn(value);
  return (text) => own.scrub(scrub(text));
}

function patternFor(secrets: readonly string[]): RegExp | undefined {
  const forms = new Set<string>();
  for (const secret of secrets) {
    const json = JSON.stringify(secret).slice(1, -1);
    for (const form of [secret, json, goHtmlEscape(json), encodeURIComponent(secret)]) {
      forms.add(form);
    }
  }
  if (forms.size === 0) return undefined;
  // Longest first, so a form that contains another is replaced whole.
  const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(sorted.join("|"), "gi");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Secret strings anywhere in a JSON value; iterative, so no depth can overflow the stack. */
function secretsIn(value: unknown): string[] {
  const found: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== "object" || item === null) continue;
    // One push per element: spreading a huge array would overflow the argument limit.
    if (Array.isArray(item)) {
      for (const element of item) stack.push(element);
      continue;
    }
    // Every response passes through here: no entry arrays, and only objects go on the stack.
    const fields = item as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const field = fields[key];
      if (typeof field === "object" && field !== null) {
        stack.push(field);
      } else if (typeof field === "string") {
        const name = key.toLowerCase();
        if (SECRET_KEYS.has(name)) found.push(field);
        else if (SIGNED_URL_KEYS.has(name)) found.push(...urlParts(field));
      }
    }
  }
  return found;
}

/** Query parameters of a signed URL that grant access: the signature, a session token. */
const SIGNING_PARAMETER = /sig|token|credential|key/i;

/**
 * A signed URL, its query alone, and the value of each parameter that signs it: the signature is
 * the secret part, echoed or not, and a storage host's XML error quotes the query with `&amp;`
 * between parameters, which neither of the others matches.
 */
function urlParts(url: string): string[] {
  const query = url.indexOf("?");
  if (query < 0) return [url];
  const parts = [url, url.slice(query + 1)];
  for (const [name, value] of new URLSearchParams(url.slice(query + 1))) {
    if (SIGNING_PARAMETER.test(name)) parts.push(value);
  }
  return parts;
}

function goHtmlEscape(json: string): string {
  return json.replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026");
}

function keep(text: string): string {
  return text;
}

function redactValue(
  value: unknown,
  scrub: (text: string) => string,
  depth: number,
  state: { changed: boolean },
): unknown {
  if (typeof value === "string") {
    const scrubbed = scrub(value);
    if (scrubbed !== value) state.changed = true;
    return scrubbed;
  }
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_JSON_DEPTH) {
    state.changed = true;
    return REDACTED;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, scrub, depth + 1, state));
  // fromEntries defines own properties, so a "__proto__" key from JSON stays data, not a prototype.
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => {
      if (!isSecret(key, field)) return [key, redactValue(field, scrub, depth + 1, state)];
      state.changed = true;
      return [key, REDACTED];
    }),
  );
}

function isSecret(key: string, field: unknown): boolean {
  return SECRET_KEYS.has(key.toLowerCase()) && field !== null && field !== "";
}
