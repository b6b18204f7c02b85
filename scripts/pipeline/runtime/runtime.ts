// The small runtime the generated operations and names build on. The generator copies this file
// into its output as it is (as hey-api writes its client core), so generated code imports nothing
// but openapi-fetch and its own files.
import type { Client } from "openapi-fetch";

/** Base class of every error this package throws. */
export class FireworksError extends Error {
  override name = "FireworksError";
}

/** Bad input caught before any request is sent: an id, a name, an option, a missing API key. */
export class InvalidArgumentError extends FireworksError {
  override name = "InvalidArgumentError" as const;
}

/**
 * A list whose page tokens would never end it: the server sent a page token it had sent before
 * (A -> B -> A), or empty pages that each point to another, more than a few in a row.
 */
export class PaginationLoopError extends FireworksError {
  override name = "PaginationLoopError" as const;
  /** The token that repeated, or that the last empty page carried. */
  readonly pageToken: string;
  /** The pages read, the last one included. */
  readonly pages: number;

  constructor(message: string, pageToken: string, pages: number) {
    super(message);
    this.pageToken = pageToken;
    this.pages = pages;
  }
}

/**
 * How a failed attempt may be retried, from the operation's `x-retry` in the spec: `safe` (reads),
 * `idempotent` (repeating it leaves the resource as one call would), `idempotent-with-id` (create
 * with a client-chosen id) and `unsafe` (never retried once the request may have been sent).
 */
export type RetryClass = "safe" | "idempotent" | "idempotent-with-id" | "unsafe";

/** Per-call options every operation takes. */
export interface RequestOptions {
  /** Aborts the call, including waits between retries; never retried. */
  signal?: AbortSignal | undefined;
  /** Time limit of each attempt in ms, response body included; default the client's. */
  timeout?: number | undefined;
  /** Retries after the first attempt; default the client's. */
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
}

/** What one call tells the client's request path: the caller's options, the operation's facts. */
export interface CallContext extends RequestOptions {
  readonly operationId: string;
  readonly retry: RetryClass;
  /** The JSON body as given: what openapi-fetch serialized into the Request. */
  readonly body?: object | undefined;
  /**
   * For an operation whose answer is the resource its path names (`returnsResource`): that
   * name. The request path refuses an answer whose `name` is another.
   */
  readonly resourceName?: string | undefined;
}

/**
 * The `init` key the call context travels under: openapi-fetch copies init keys the Request does
 * not know onto the Request it hands to the client's fetch.
 */
export const CALL_CONTEXT = "fireworksCall";

/**
 * What resolving a reference needs of a client. The resolvers take this, not `ApiClient<Paths>`:
 * relating one `ApiClient<Paths>` to another makes TypeScript measure the variance of
 * openapi-fetch's `Client`, about a second of every type check that reads this file.
 */
export interface PathDefaults {
  /** The value for a path parameter a reference leaves out (a bare id's account), if any. */
  pathDefault(parameter: string): string | undefined;
  /** How to give the client that value, for the error raised when it has none. */
  pathDefaultHint(parameter: string): string;
}

/** What the generated operations need of a client; `createFireworksClient` makes one. */
export interface ApiClient<Paths extends {}> extends PathDefaults {
  /** The openapi-fetch client every request goes through. */
  readonly fetchClient: Client<Paths>;
}

/** RFC 9110 token: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What `Headers` accepts in a value: no line breaks, NUL or other control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Throws `InvalidArgumentError` for a header `fetch` would refuse with an error of its own (a raw
 * TypeError quoting the header). The value is never quoted: it may be a secret. `null` and
 * `undefined` values are allowed: openapi-fetch reads them as "drop this header".
 */
export function checkHeaders(
  headers: Readonly<Record<string, unknown>> | undefined,
  where: string,
): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name)) {
      throw new InvalidArgumentError(
        `Invalid header name ${quote(name)} in ${where}: expected letters, digits and !#$%&'*+-.^_\`|~ only`,
      );
    }
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (
      !values.every(
        (item) => item === null || item === undefined || HEADER_VALUE.test(String(item)),
      )
    ) {
      throw new InvalidArgumentError(
        `Invalid value of header ${quote(name)} in ${where}: it contains a line break or another control or non-Latin-1 character (value not shown)`,
      );
    }
  }
}

/** The init fields that carry one call's options (and its body, if any) through openapi-fetch. */
type CallInit = { headers?: Record<string, string>; [CALL_CONTEXT]: CallContext };

/**
 * The init fields of one call: its headers, its context for the request path and its body. The
 * body goes into the context too, so the request path re-sends and inspects the value itself
 * rather than reading the Request's body stream back.
 */
export function callInit(
  operationId: string,
  retry: RetryClass,
  options: RequestOptions | undefined,
): CallInit;
export function callInit<Body extends object>(
  operationId: string,
  retry: RetryClass,
  options: RequestOptions | undefined,
  body: Body,
): CallInit & { body: Body };
export function callInit(
  operationId: string,
  retry: RetryClass,
  options: RequestOptions | undefined,
  body?: object,
): CallInit & { body?: object } {
  const headers = options?.headers;
  // Checked before openapi-fetch builds the Request, whose own error would quote the value.
  checkHeaders(headers, "the call's headers option");
  const context: CallContext = { ...options, operationId, retry, body };
  const init: CallInit & { body?: object } = { [CALL_CONTEXT]: context };
  if (headers !== undefined) init.headers = headers;
  if (body !== undefined) init.body = body;
  return init;
}

/**
 * The name of the resource of `pattern` that path parameters (by parameter name, as sent) name:
 * `accounts/acme/rlorTrainerJobs/job-1`.
 */
export function nameOfPath(
  pattern: ResourcePattern,
  path: Readonly<Record<string, string | undefined>>,
): string {
  return pattern.segments
    .map((segment) => (typeof segment === "string" ? segment : (path[segment.name] ?? "")))
    .join("/");
}

/**
 * The init of a call whose answer is the resource its path names: the request path then refuses
 * an answer naming another (another job, or the same id in another account).
 */
export function expectingResource<Init extends CallInit>(
  pattern: ResourcePattern,
  path: Readonly<Record<string, string>>,
  init: Init,
): Init {
  return {
    ...init,
    [CALL_CONTEXT]: { ...init[CALL_CONTEXT], resourceName: nameOfPath(pattern, path) },
  };
}

/** The body of a successful call; a failure a client let through is an error, not undefined. */
export function resultOf<T>(result: { data?: T; response: Response }): T {
  if (result.data === undefined) {
    throw new FireworksError(`HTTP ${result.response.status}: the response has no JSON body`);
  }
  return result.data;
}

/** The fields whose value is not `undefined`: optional query parameters are left out, not empty. */
export function definedOnly<T extends object>(
  value: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** The rules of one path parameter, from its schema in the spec. */
export interface SegmentRule {
  /** What the value is, for messages: "RLOR trainer job id". */
  readonly title: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** An ECMA-262 pattern, compiled with the `u` flag on first use. */
  readonly pattern: string | undefined;
  /** The rule in words: `1-128 characters without "/"…`. */
  readonly description: string | undefined;
  readonly example: string | undefined;
}

/** One variable of a resource name pattern such as `accounts/{account_id}`. */
export interface PatternParameter {
  /** The path parameter: `account_id`. */
  readonly name: string;
  /** Its key in a reference object: `accountId`. */
  readonly key: string;
  readonly rule: SegmentRule;
}

/** An AIP-122 resource name pattern: literal collection ids and variables, in order. */
export interface ResourcePattern {
  /** What the resource is, for messages: "RLOR trainer job". */
  readonly title: string;
  /** `accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}` */
  readonly template: string;
  readonly segments: readonly (string | PatternParameter)[];
}

const compiled = new Map<string, RegExp>();

/** A spec pattern as a RegExp; the generator compiles every one with it, so none fails here. */
export function compilePattern(source: string): RegExp {
  let regex = compiled.get(source);
  if (regex === undefined) {
    regex = new RegExp(source, "u");
    compiled.set(source, regex);
  }
  return regex;
}

/** Quotes input for a message: escaped, and shortened so a huge value cannot flood logs. */
export function quote(value: string): string {
  const short = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(short).replace(
    // Invisible format characters and lone surrogates would not show in a terminal.
    /[\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function codePoint(char: string): string {
  const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  return `U+${hex}`;
}

/** Why `value` breaks `rule`, or undefined when it is fine as one path segment. */
function segmentProblem(value: unknown, rule: SegmentRule): string | undefined {
  if (typeof value !== "string") return `must be a string, got ${typeof value}`;
  if (value.length < rule.minLength) return value === "" ? "it is empty" : "it is too short";
  // URL parsing would remove these as dot-segments, and "/" would change the path: never sendable.
  if (value === "." || value === "..") return "it is a relative path segment";
  if (value.length > rule.maxLength) return `it is ${value.length} characters long`;
  if (value.includes("/")) return 'it contains "/"';
  if (rule.pattern === undefined) return undefined;
  const regex = compilePattern(rule.pattern);
  if (regex.test(value)) return undefined;
  const bad = [...value].find((char) => !regex.test(char));
  return bad === undefined
    ? `it does not match ${rule.pattern}`
    : `it contains ${describeChar(bad)}`;
}

/** A character a pattern refused, named so a reader sees what it is even when it is invisible. */
function describeChar(char: string): string {
  const kind = /\s/.test(char)
    ? "whitespace"
    : /\p{Cc}/u.test(char)
      ? "a control character"
      : /\p{Cs}/u.test(char)
        ? "a lone surrogate"
        : `the character ${quote(char)}`;
  return `${kind} (${codePoint(char)})`;
}

/** Throws `InvalidArgumentError` unless `value` keeps `rule`; `where` is added after the value. */
export function checkSegment(
  value: unknown,
  rule: SegmentRule,
  where = "",
): asserts value is string {
  const problem = segmentProblem(value, rule);
  if (problem === undefined) return;
  const shown = typeof value === "string" ? quote(value) : String(value);
  const expected = rule.description ?? `${rule.minLength}-${rule.maxLength} characters`;
  const example = rule.example === undefined ? "" : `, such as ${quote(rule.example)}`;
  throw new InvalidArgumentError(
    `Invalid ${rule.title} ${shown}${where}: ${problem}; expected ${expected}${example}`,
  );
}

function parameters(pattern: ResourcePattern): PatternParameter[] {
  return pattern.segments.filter((segment) => typeof segment !== "string");
}

/** Parses a full resource name into its parts; throws `InvalidArgumentError` on anything else. */
export function parseName<Parts>(pattern: ResourcePattern, name: unknown): Parts {
  if (typeof name !== "string") {
    throw new InvalidArgumentError(
      `${pattern.title} name must be a string of the form ${pattern.template}, got ${typeof name}`,
    );
  }
  const parts = name.split("/");
  const fits =
    parts.length === pattern.segments.length &&
    pattern.segments.every((segment, i) => typeof segment !== "string" || parts[i] === segment);
  if (!fits) {
    throw new InvalidArgumentError(
      `Invalid ${pattern.title} name ${quote(name)}: expected ${pattern.template}`,
    );
  }
  const result: Record<string, string> = {};
  pattern.segments.forEach((segment, i) => {
    if (typeof segment === "string") return;
    const value = parts[i];
    checkSegment(value, segment.rule, ` in name ${quote(name)}`);
    result[segment.key] = value;
  });
  return result as unknown as Parts;
}

/** Formats the parts as a full resource name; throws `InvalidArgumentError` on an invalid part. */
export function formatName(pattern: ResourcePattern, parts: object): string {
  return pattern.segments
    .map((segment) => {
      if (typeof segment === "string") return segment;
      const value: unknown = (parts as Record<string, unknown>)[segment.key];
      checkSegment(value, segment.rule);
      return value;
    })
    .join("/");
}

/**
 * The path parameters a reference names: a full name or an object of parts is used as given (it
 * names its own account); a bare id takes the other parts from the client, or is refused with the
 * way to set them.
 */
export function resolveReference(
  client: PathDefaults,
  pattern: ResourcePattern,
  reference: unknown,
): Record<string, string> {
  const parts = referenceParts(client, pattern, reference);
  return Object.fromEntries(parameters(pattern).map((p) => [p.name, parts[p.key] ?? ""]));
}

function referenceParts(
  client: PathDefaults,
  pattern: ResourcePattern,
  reference: unknown,
): Record<string, string> {
  const variables = parameters(pattern);
  const last = variables[variables.length - 1];
  if (typeof reference === "string" && last !== undefined && !reference.includes("/")) {
    checkSegment(reference, last.rule);
    const parts: Record<string, string> = { [last.key]: reference };
    for (const parameter of variables.slice(0, -1)) {
      const value = client.pathDefault(parameter.name);
      if (value === undefined) {
        throw new InvalidArgumentError(
          `No ${parameter.rule.title.replace(/ id$/, "")} for ${pattern.title} id ${quote(reference)}: pass the full name ${pattern.template}, or ${client.pathDefaultHint(parameter.name)}`,
        );
      }
      parts[parameter.key] = value;
    }
    return parts;
  }
  if (typeof reference === "string") return parseName<Record<string, string>>(pattern, reference);
  if (reference === undefined && last !== undefined && variables.length === 1) {
    return referenceParts(client, pattern, defaultOf(client, pattern, last));
  }
  if (typeof reference === "object" && reference !== null) {
    const given = reference as Record<string, unknown>;
    for (const parameter of variables) checkSegment(given[parameter.key], parameter.rule);
    return Object.fromEntries(variables.map((p) => [p.key, String(given[p.key])]));
  }
  const keys = variables.map((p) => p.key).join(", ");
  throw new InvalidArgumentError(
    `${pattern.title} must be an id, a name of the form ${pattern.template}, or { ${keys} }; got ${reference === null ? "null" : typeof reference}`,
  );
}

/**
 * The path parameters of an operation whose path is not `collection/{id}` pairs, given as one
 * object of parts, each checked as a reference's parts are.
 */
export function resolveParameters(
  parameters: readonly PatternParameter[],
  given: unknown,
): Record<string, string> {
  if (typeof given !== "object" || given === null) {
    const keys = parameters.map((p) => p.key).join(", ");
    throw new InvalidArgumentError(
      `Path parameters must be an object { ${keys} }; got ${given === null ? "null" : typeof given}`,
    );
  }
  const values = given as Record<string, unknown>;
  return Object.fromEntries(
    parameters.map((parameter) => {
      const value = values[parameter.key];
      checkSegment(value, parameter.rule);
      return [parameter.name, value];
    }),
  );
}

/** The client's value for a one-part reference that was left out (a list's account). */
function defaultOf(
  client: PathDefaults,
  pattern: ResourcePattern,
  parameter: PatternParameter,
): string {
  const value = client.pathDefault(parameter.name);
  if (value === undefined) {
    throw new InvalidArgumentError(
      `No ${pattern.title} given: pass one (${pattern.template}), or ${client.pathDefaultHint(parameter.name)}`,
    );
  }
  return value;
}

/** Empty pages carrying a token a list follows in a row before taking the server to loop. */
const MAX_EMPTY_PAGES_IN_A_ROW = 3;

/**
 * A 53-bit hash of a page token (cyrb53): a list remembers every token it followed in a few
 * bytes each, however long the server makes them.
 */
function tokenKey(token: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Every page's items, fetching the next page only when the caller gets that far. The
 * empty-string `nextPageToken` the server sends ends the list, as an absent one does. A token
 * the list already followed, or a fourth empty page in a row that carries one, throws
 * `PaginationLoopError` instead of fetching on: a server could otherwise keep a list going forever.
 */
export async function* paginatePages<Page extends { nextPageToken?: string | undefined }, Item>(
  first: string | undefined,
  fetchPage: (pageToken: string | undefined) => Promise<Page>,
  items: (page: Page) => readonly Item[] | undefined,
): AsyncGenerator<readonly Item[], void, undefined> {
  const followed = new Set<number>(first ? [tokenKey(first)] : []);
  let token = first;
  let pages = 0;
  let emptyInARow = 0;
  for (;;) {
    const page = await fetchPage(token);
    pages++;
    const list: unknown = items(page) ?? [];
    // The server's answer is untrusted: a non-array would be iterated letter by letter, or throw.
    if (!Array.isArray(list)) {
      throw new FireworksError(
        `The server sent a page whose items are not a list (${typeof list})`,
      );
    }
    yield list as readonly Item[];
    const next: unknown = page.nextPageToken;
    if (typeof next !== "string" || next === "") return;
    emptyInARow = list.length === 0 ? emptyInARow + 1 : 0;
    const key = tokenKey(next);
    if (followed.has(key)) {
      throw new PaginationLoopError(
        `The server sent page token ${quote(next)} again after ${pages} pages; stopping the list`,
        next,
        pages,
      );
    }
    if (emptyInARow > MAX_EMPTY_PAGES_IN_A_ROW) {
      throw new PaginationLoopError(
        `The server sent ${emptyInARow} empty pages in a row, the last with page token ${quote(next)}, after ${pages} pages; stopping the list`,
        next,
        pages,
      );
    }
    followed.add(key);
    token = next;
  }
}

/** Every item of every page, as `paginatePages` reads them. */
export async function* paginate<Page extends { nextPageToken?: string | undefined }, Item>(
  first: string | undefined,
  fetchPage: (pageToken: string | undefined) => Promise<Page>,
  items: (page: Page) => readonly Item[] | undefined,
): AsyncGenerator<Item, void, undefined> {
  for await (const list of paginatePages(first, fetchPage, items)) yield* list;
}

/** A query parameter of an operation, for the command line and the fake server. */
export interface QueryEntry {
  readonly name: string;
  /** The TypeScript type of the value: `string`, `number`, `boolean` or a union of literals. */
  readonly type: string;
  readonly required: boolean;
  readonly description?: string | undefined;
}

/** One operation as the spec describes it: the command line and the fake server work from these. */
export interface OperationEntry {
  readonly operationId: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | "TRACE";
  readonly path: string;
  readonly summary: string | undefined;
  /**
   * The resource the operation acts on, or (with `onParent`) the parent of what it lists;
   * undefined when its path is not `collection/{id}` pairs.
   */
  readonly resource: ResourcePattern | undefined;
  readonly onParent: boolean;
  readonly query: readonly QueryEntry[];
  /** `none`: no body; `empty`: `{}`; `object`: a JSON object the caller gives. */
  readonly body: "none" | "empty" | "object";
  /** `empty`: the answer is `{}`; `object`: a JSON object worth returning. */
  readonly result: "empty" | "object";
  /**
   * True when the answer is the resource itself (the schema the resource's GET answers with):
   * its `name` must be the one the path names.
   */
  readonly returnsResource: boolean;
  readonly retry: RetryClass;
  readonly retryIdParameter: string | undefined;
  /** For a paged list: the array property that holds the items. */
  readonly items: string | undefined;
}
