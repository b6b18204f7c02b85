import { ANCHOR_LENGTH, SecretMemory, type Spans } from "../internal/secret-memory.js";

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
 * `"[REDACTED]"`, safe to print or log: the values of secret keys, and those values wherever
 * else they appear in it (a W&B key echoed in `status.message`). Unknown fields are kept.
 */
export function redactJob<T>(job: T): T {
  const own = ownSecretsOf(job, false);
  return redactValue(job, (text) => scrubWith(text, undefined, own), 0, { changed: false }) as T;
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
   * Remembers the secrets a JSON value carries: values of secret keys (`wandbConfig.apiKey`),
   * signed URLs (`signedUrl` of the public logs) and their query and signature alone, so that
   * text echoing them later is scrubbed.
   */
  readonly learn: (value: unknown) => void;
}

/** Keys whose string value is a URL that grants access by itself. */
const SIGNED_URL_KEYS = new Set(["signedurl", "signed_url"]);

/**
 * Query parameters that carry a signed URL's signature (GCS `X-Goog-Signature`, S3
 * `X-Amz-Signature`, `Signature`, Azure's `sig`): a secret on their own, echoed or not.
 */
const SIGNATURE_NAME = String.raw`(?:[\w-]*signature|sig)`;

/**
 * URLs in unparsed text: each is dropped when it carries a signature parameter. Two steps, each
 * linear: one pattern for both backtracks over the rest of the text at every `http`.
 */
const URL_IN_TEXT = /https?:\/\/\S+/gi;
const SIGNATURE_IN_URL = new RegExp(`[?&]${SIGNATURE_NAME}=`, "i");

/** A URL as is, or `"[REDACTED]"` when it is signed. */
function redactSigned(url: string): string {
  return SIGNATURE_IN_URL.test(url) ? REDACTED : url;
}

const NOTHING_PINNED: readonly string[] = [];

/**
 * A scrubber for `pinned` secrets (the API key, scrubbed whatever its length and never
 * forgotten), which also learns secrets from JSON it is shown. Every form a server may echo a
 * secret in is replaced: as is, JSON-escaped (also with Go's HTML-safe `\u003c`-style escapes,
 * which gRPC-gateway servers emit) and URL-encoded, matched without regard to ASCII case, since
 * header names arrive lower-cased and percent-escapes vary in case. Learnt secrets are kept as
 * fingerprints (see SecretMemory): about 140 bytes each whatever their length, the
 * MAX_REMEMBERED most recently seen, learning one costs no rebuild and scrubbing one pass.
 */
export function createScrubber(pinned: readonly string[]): Scrubber {
  const pattern = patternFor(pinned);
  const memory = new SecretMemory();
  return {
    scrub: (text) => scrubWith(text, pattern, memory),
    learn: (value) => {
      for (const secret of secretsIn(value, true)) rememberLearnt(memory, secret, pinned);
    },
  };
}

/** `scrub`, then also the secrets `value` itself carries (a job's own `wandbConfig.apiKey`). */
export function scrubberWithSecretsOf(
  value: unknown,
  scrub: (text: string) => string = keep,
): (text: string) => string {
  const own = ownSecretsOf(value, true);
  return (text) => scrubWith(scrub(text), undefined, own);
}

/** Every secret `value` carries (with `urls`, signed URLs too), all of them: no limit. */
function ownSecretsOf(value: unknown, urls: boolean): SecretMemory {
  const own = new SecretMemory(Number.POSITIVE_INFINITY);
  for (const secret of secretsIn(value, urls)) rememberLearnt(own, secret, NOTHING_PINNED);
  return own;
}

/**
 * Unparsed text (a proxy's page) without the secrets a scrubber knows, nor anything that looks
 * like a signed URL, a secret key's value or a URL's credentials, known or not.
 */
export function scrubUnparsed(text: string, scrub: (text: string) => string): string {
  return redactUrlCredentials(
    scrub(text).replace(URL_IN_TEXT, redactSigned).replace(SECRET_FIELD_IN_TEXT, redactField),
  );
}

/**
 * The user-info part (`user:password@`) of every URL in a text: after `://`, up to the last `@`
 * before the authority ends, as URL parsers take it, so an `@` in the password does not leave
 * its rest. Linear: a match starts only at a `://`, and its scan stops at the next `/`. (Matching
 * the scheme too started a scan at every `.` or `-` of a long word: quadratic, minutes for 1 MB.)
 */
const URL_CREDENTIALS = /:\/\/[^\s/?#]*@/g;

/**
 * `text` with the credentials of every URL in it (`https://user:password@host`) replaced by
 * `"[REDACTED]"`: for a URL given by the user (a base URL) that is printed back.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `://${REDACTED}@`);
}

/** `"apiKey": "…"` (or `api_key=…`) in text that is not JSON as a whole. */
const SECRET_FIELD_IN_TEXT =
  /(["']?(?:api_?key)["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"?|[^\s"',;&}]+)/gi;

function redactField(_match: string, name: string, value: string): string {
  return value.startsWith('"') ? `${name}"${REDACTED}"` : `${name}${REDACTED}`;
}

function rememberLearnt(memory: SecretMemory, secret: string, pinned: readonly string[]): void {
  if (secret.length < ANCHOR_LENGTH || secret === REDACTED || pinned.includes(secret)) return;
  memory.remember(secret, writtenForms);
}

function scrubWith(text: string, pattern: RegExp | undefined, memory: SecretMemory): string {
  const spans: Spans = [];
  if (pattern !== undefined) {
    for (const match of text.matchAll(pattern))
      spans.push(match.index, match.index + match[0].length);
  }
  memory.find(text, spans);
  return spans.length === 0 ? text : replaceSpans(text, spans);
}

/** `text` with each span (and any overlap of spans, as one) replaced by `"[REDACTED]"`. */
function replaceSpans(text: string, spans: Spans): string {
  const order = Array.from({ length: spans.length / 2 }, (_, pair) => pair * 2).sort(
    (a, b) => (spans[a] ?? 0) - (spans[b] ?? 0),
  );
  let result = "";
  let done = 0;
  for (const pair of order) {
    const start = spans[pair] ?? 0;
    const end = spans[pair + 1] ?? 0;
    if (end <= done) continue;
    result += `${text.slice(done, Math.max(start, done))}${start >= done ? REDACTED : ""}`;
    done = end;
  }
  return result + text.slice(done);
}

/** Every way a server may write `secret`: as is, JSON-escaped (plain and Go's), URL-encoded. */
function writtenForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [secret, json, goHtmlEscape(json)];
  try {
    forms.push(encodeURIComponent(secret));
  } catch {
    // A lone surrogate has no URL encoding (URIError): nothing can echo the key in that form.
  }
  return forms;
}

function patternFor(secrets: readonly string[]): RegExp | undefined {
  const forms = new Set<string>();
  for (const secret of secrets) for (const form of writtenForms(secret)) forms.add(form);
  if (forms.size === 0) return undefined;
  // Longest first, so a form that contains another is replaced whole.
  const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(sorted.join("|"), "gi");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Secret strings anywhere in a JSON value (with `urls`, signed URLs and their parts too);
 * iterative, so no depth can overflow the stack.
 */
function secretsIn(value: unknown, urls: boolean): string[] {
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
        else if (urls && SIGNED_URL_KEYS.has(name)) found.push(...urlParts(field));
      }
    }
  }
  return found;
}

/**
 * Query parameters of a signed URL that grant access: the signature, a session token, the
 * credential. Not `X-Goog-SignedHeaders`/`X-Amz-SignedHeaders`, which only list header names
 * (`content-type;host`): learnt as a secret, that list would be blanked out of ordinary text.
 */
const SIGNING_PARAMETER = /sig(?!nedheaders)|token|credential|key/i;

/**
 * A signed URL, its query alone, and the value of each parameter that signs it (as sent and
 * decoded): the signature is the secret part, echoed with its URL or without, and a storage
 * host's XML error quotes the query with `&amp;` between parameters, which neither of the others
 * matches.
 */
function urlParts(url: string): string[] {
  const query = url.indexOf("?");
  if (query < 0) return [url];
  const parts = [url, url.slice(query + 1)];
  for (const parameter of url.slice(query + 1).split("&")) {
    const equals = parameter.indexOf("=");
    if (equals < 0 || !SIGNING_PARAMETER.test(parameter.slice(0, equals))) continue;
    const value = parameter.slice(equals + 1);
    parts.push(value, decodedOrSame(value));
  }
  return parts;
}

function decodedOrSame(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
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
    Object.entries(value).map(([raw, field]) => {
      // A server may echo a secret as a key too.
      const key = redactValue(raw, scrub, depth, state) as string;
      if (!SECRET_KEYS.has(key.toLowerCase())) {
        return [key, redactValue(field, scrub, depth + 1, state)];
      }
      // Changed even when empty: the raw text may hold the key twice, and JSON.parse keeps the
      // last, so only text written from the parsed value is free of the one it dropped.
      state.changed = true;
      return [key, field === null || field === "" ? field : REDACTED];
    }),
  );
}
