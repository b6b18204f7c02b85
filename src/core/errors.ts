import type {
  JobState,
  ProtobufAny,
  RlorTrainerJob,
  StatusCode,
} from "../../generated/operations.js";
import { FireworksError } from "../../generated/runtime.js";
import { isJsonObject, stringOrUndefined } from "../internal/json.js";
import {
  redactHeaders,
  redactJson,
  redactJsonChecked,
  scrubberWithSecretsOf,
  scrubUnparsed,
} from "./redact.js";
import { type ErrorReason, errorReasonOf } from "./rpc-details.js";

// The base class, the bad-input error and the looping-list error live in the generated runtime,
// which throws the latter two.
export {
  FireworksError,
  InvalidArgumentError,
  PaginationLoopError,
} from "../../generated/runtime.js";

/**
 * A google.rpc code name (`NOT_FOUND`, ...), or another string the server sent (the API-key
 * envelope's `UNAUTHORIZED`, or a code newer than the spec): autocompletes, never rejects.
 */
export type APIErrorCode = StatusCode | "UNAUTHORIZED" | (string & {});

/** The `name` of an APIError and of each of its subclasses: a literal, to narrow on. */
export type APIErrorName =
  | "APIError"
  | "BadRequestError"
  | "AuthenticationError"
  | "PermissionDeniedError"
  | "NotFoundError"
  | "ConflictError"
  | "RateLimitError"
  | "InternalServerError"
  | "ResponseTooLargeError"
  | "UnexpectedResourceError";

/**
 * The server answered with a non-2xx status, or with a 2xx whose body is not a JSON object.
 * `reason`, `domain` and `metadata` come from a google.rpc.ErrorInfo in `details`.
 */
export class APIError extends FireworksError implements ErrorReason {
  override name: APIErrorName = "APIError";
  /** HTTP status. */
  readonly status: number;
  /**
   * google.rpc code name (`NOT_FOUND`, `INVALID_ARGUMENT`, ...) from a gRPC-gateway body, or the
   * `error.code` string of the API-key envelope (`UNAUTHORIZED`); undefined when the body has none.
   */
  readonly code: APIErrorCode | undefined;
  /** `details` of either error body (protobuf `Any` objects), secrets redacted; empty otherwise. */
  readonly details: readonly ProtobufAny[];
  readonly reason: string | undefined;
  readonly domain: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  /** `x-request-id` response header, else the envelope's `request_id`: quote it to Fireworks support. */
  readonly requestId: string | undefined;
  /** Response headers, lower-cased; credentials and cookies are redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** Raw response body text, kept even when it is not JSON. */
  readonly body: string;
  /**
   * True when this refusal answered a retry, and an earlier attempt of the same call may have
   * reached the server (it timed out, the connection dropped after sending, or a 5xx came back):
   * that attempt may have taken effect although this one was refused. The client first reads the
   * resource to settle it (see the README, "Retries and timeouts"); this error means the read did
   * not show the call's effect, or the read failed.
   */
  readonly afterAmbiguousAttempt: boolean;

  constructor(message: string, response: APIErrorFields) {
    super(message);
    this.afterAmbiguousAttempt = response.afterAmbiguousAttempt ?? false;
    this.status = response.status;
    this.code = response.code;
    this.details = response.details;
    const why = errorReasonOf(response.details);
    this.reason = why.reason;
    this.domain = why.domain;
    this.metadata = why.metadata;
    this.requestId = response.requestId;
    this.headers = response.headers;
    this.body = response.body;
  }
}

/** What the response-to-error mapping extracts from a response. */
export interface APIErrorFields {
  status: number;
  code: string | undefined;
  details: readonly ProtobufAny[];
  requestId: string | undefined;
  headers: Readonly<Record<string, string>>;
  body: string;
  afterAmbiguousAttempt?: boolean | undefined;
}

/**
 * The same refusal, marked as following an attempt whose outcome is unknown: same class and
 * fields, with `afterAmbiguousAttempt` set and a sentence saying so in the message.
 */
export function markAfterAmbiguousAttempt(error: APIError): APIError {
  if (error.afterAmbiguousAttempt) return error;
  const ErrorClass = error.constructor as APIErrorClass;
  return new ErrorClass(
    `${error.message} (this answered a retry: an earlier attempt may have reached the server, and its outcome is unknown)`,
    { ...error, afterAmbiguousAttempt: true },
  );
}

export class BadRequestError extends APIError {
  override name = "BadRequestError" as const;
}
export class AuthenticationError extends APIError {
  override name = "AuthenticationError" as const;
}
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError" as const;
}
export class NotFoundError extends APIError {
  override name = "NotFoundError" as const;
}
export class ConflictError extends APIError {
  override name = "ConflictError" as const;
}
export class RateLimitError extends APIError {
  override name = "RateLimitError" as const;
}
export class InternalServerError extends APIError {
  override name = "InternalServerError" as const;
}

/**
 * A response body over the size limit, refused unread (decompressed size counts). Not retried:
 * the same request would get the same body.
 */
export class ResponseTooLargeError extends APIError {
  override name = "ResponseTooLargeError" as const;
}

/**
 * A 2xx answer that is another resource than the one the call named: another job, or the same id
 * in another account. Never taken for the job asked for (a wait does not end on it); not retried.
 */
export class UnexpectedResourceError extends APIError {
  override name = "UnexpectedResourceError" as const;
}

/** No usable response: DNS, refused or reset connection, a body cut off mid-read. */
export class APIConnectionError extends FireworksError {
  override name: "APIConnectionError" | "APITimeoutError" = "APIConnectionError";
}

/** An attempt took longer than the `timeout` (ms) and no retry was left. */
export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError" as const;
}

/** The caller's `AbortSignal` fired; never retried. */
export class APIUserAbortError extends FireworksError {
  override name = "APIUserAbortError" as const;
}

/** Removes secrets from text; the client's comes from `scrubberOf(client)`. */
export type Scrub = (text: string) => string;

/**
 * A waited-for job ended in a failed state, or was deleted. `job` is redacted, and message,
 * `statusMessage` and `job` are passed through `scrub` (plus the job's own secrets, such as its
 * `wandbConfig.apiKey`): a server may echo a key into `status.message`. `reason`, `domain` and
 * `metadata` come from a google.rpc.ErrorInfo in the job's `status.details`.
 */
export class JobFailedError extends FireworksError implements ErrorReason {
  override name = "JobFailedError" as const;
  readonly job: RlorTrainerJob;
  /** The job's state; undefined when the server sent none, or something other than a string. */
  readonly state: JobState | undefined;
  /** `status.message` of the job, when the server gave one. */
  readonly statusMessage: string | undefined;
  /** True when the job was deleted or archived rather than failed. */
  readonly deleted: boolean;
  readonly reason: string | undefined;
  readonly domain: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;

  constructor(job: RlorTrainerJob, options?: { deleted?: boolean; scrub?: Scrub | undefined }) {
    const deleted = options?.deleted ?? false;
    const scrub = scrubberWithSecretsOf(job, options?.scrub);
    const status: unknown = fieldOf(job, "status");
    const message: unknown = fieldOf(status, "message");
    const statusMessage =
      typeof message === "string" && message !== "" ? scrub(message) : undefined;
    const what = deleted ? "was deleted" : "failed";
    super(
      scrub(
        `RLOR trainer job ${nameOf(job)} ${what} (${stateOf(job) ?? "no state"})` +
          (statusMessage ? `: ${statusMessage}` : ""),
      ),
    );
    this.job = redactJson(job, scrub);
    this.state = stateOf(job);
    this.statusMessage = statusMessage;
    this.deleted = deleted;
    const why = errorReasonOf(fieldOf(fieldOf(this.job, "status"), "details"));
    this.reason = why.reason;
    this.domain = why.domain;
    this.metadata = why.metadata;
  }
}

/**
 * The budget of a wait that ran out: `timeout` (all time outside JOB_STATE_PENDING, or all time
 * for a wait without a pending budget) or `pendingTimeout` (time in PENDING, queued for capacity).
 * Each is the name of the wait option that raises it.
 */
export type WaitBudget = "timeout" | "pendingTimeout";

/** What the message says ran out, per budget. */
const BUDGET_WORDS: Readonly<Record<WaitBudget, string>> = {
  timeout: "",
  pendingTimeout: " in JOB_STATE_PENDING (queued for capacity)",
};

/**
 * Waiting ran out of time. `job` is the last job seen (redacted, scrubbed as in JobFailedError);
 * `budget` says which limit ran out, and the message names the option that raises it.
 */
export class WaitTimeoutError extends FireworksError {
  override name = "WaitTimeoutError" as const;
  readonly job: RlorTrainerJob | undefined;
  /** The limit that ran out, in ms. */
  readonly timeout: number;
  /** Which budget ran out: the wait option that raises it. */
  readonly budget: WaitBudget;

  constructor(
    job: RlorTrainerJob | undefined,
    timeout: number,
    options?: { scrub?: Scrub | undefined; budget?: WaitBudget | undefined },
  ) {
    const scrub = scrubberWithSecretsOf(job, options?.scrub);
    const budget = options?.budget ?? "timeout";
    const state = job === undefined ? undefined : stateOf(job);
    super(
      scrub(
        `Timed out after ${timeout} ms${BUDGET_WORDS[budget]} waiting for RLOR trainer job ${job === undefined ? "" : nameOf(job)}`.trimEnd() +
          (state ? ` (last state ${state})` : "") +
          `; the \`${budget}\` option raises this limit`,
      ),
    );
    this.job = job === undefined ? undefined : redactJson(job, scrub);
    this.timeout = timeout;
    this.budget = budget;
  }
}

/**
 * A job stayed JOB_STATE_RUNNING while nothing that shows progress changed (its `updateTime`, its
 * `jobProgress`) for `stallTimeout` ms: a trainer that hangs, burning GPU hours, looks healthy to
 * its state alone. `job` is the last job seen (redacted, scrubbed as in JobFailedError).
 */
export class JobStalledError extends FireworksError {
  override name = "JobStalledError" as const;
  readonly job: RlorTrainerJob;
  /** The limit in ms (the wait's `stallTimeout`). */
  readonly stallTimeout: number;
  /**
   * What was last seen changing: `updateTime` or `jobProgress` (both, comma-separated, when they
   * changed together), `health probe` (a ready wait's probe answered otherwise than the poll
   * before), or `state` when nothing changed since the job was first seen RUNNING.
   */
  readonly lastChange: string;
  /** When that change was seen (this machine's clock). */
  readonly since: Date;

  constructor(job: RlorTrainerJob, stall: StallFields, options?: { scrub?: Scrub | undefined }) {
    const scrub = scrubberWithSecretsOf(job, options?.scrub);
    super(
      scrub(
        `RLOR trainer job ${nameOf(job)} made no progress for ${stall.stallTimeout} ms while JOB_STATE_RUNNING: its last change (${stall.lastChange}) was seen at ${stall.since.toISOString()}; the \`stallTimeout\` option sets this limit`,
      ),
    );
    this.job = redactJson(job, scrub);
    this.stallTimeout = stall.stallTimeout;
    this.lastChange = stall.lastChange;
    this.since = stall.since;
  }
}

/** What a stall watch saw: see JobStalledError. */
export interface StallFields {
  stallTimeout: number;
  lastChange: string;
  since: Date;
}

// A job is server input: its fields may have any JSON type, whatever the spec says.
function fieldOf(value: unknown, key: string): unknown {
  return isJsonObject(value) ? value[key] : undefined;
}

function nameOf(job: RlorTrainerJob): string {
  const name: unknown = fieldOf(job, "name");
  return typeof name === "string" && name !== "" ? name : "(unnamed)";
}

function stateOf(job: RlorTrainerJob): JobState | undefined {
  const state: unknown = fieldOf(job, "state");
  return typeof state === "string" && state !== "" ? (state as JobState) : undefined;
}

/**
 * google.rpc.Code names by number (google/rpc/code.proto). The spec lists the same names
 * (`STATUS_CODES`) in another order, so the numbers are written here, the names checked against it.
 */
const RPC_CODE_NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const satisfies readonly StatusCode[];

/** The google.rpc number of a status code name (the fake server's error bodies carry it). */
export function rpcCodeNumber(name: (typeof RPC_CODE_NAMES)[number]): number {
  return RPC_CODE_NAMES.indexOf(name);
}

type APIErrorClass = new (message: string, fields: APIErrorFields) => APIError;

const CLASS_BY_STATUS: Readonly<Record<number, APIErrorClass>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

const SNIPPET_LENGTH = 200;

/** The response parts the mapping reads; a `Response` satisfies it. */
export interface ResponseHead {
  status: number;
  statusText: string;
  headers: Headers;
}

/**
 * The one place that turns a response into an error: a non-2xx status, a 2xx whose body is not a
 * JSON object, or (with `problem`) a response the request path refuses, such as a cross-origin
 * redirect. `body` is the raw text already read; `scrub` removes secrets (the API key) from server
 * text before it is stored.
 */
export function errorFromResponse(
  response: ResponseHead,
  body: string,
  scrub: (text: string) => string = (text) => text,
  problem?: string,
  errorClass?: APIErrorClass,
): APIError {
  const { text, parsed, scrubAll } = redactBody(body, scrub);
  const fields = readErrorBody(parsed);
  // A server may echo a secret as a header name too, not only as a value. Header values are
  // unparsed text: a signed URL (a redirect's Location) or URL credentials go, known or not.
  const headers = redactHeaders(
    Array.from(response.headers, ([name, value]): [string, string] => [
      scrubAll(name),
      scrubUnparsed(value, scrubAll),
    ]),
  );
  const errorFields: APIErrorFields = {
    status: response.status,
    code: fields.code,
    details: fields.details,
    requestId: headers["x-request-id"] ?? fields.requestId,
    headers,
    body: text,
  };
  const message = scrubAll(
    problem === undefined
      ? describe(response, text, parsed, fields)
      : `${head(response, fields)}: ${problem}`,
  );
  const ErrorClass =
    errorClass ??
    (response.status >= 500 ? InternalServerError : (CLASS_BY_STATUS[response.status] ?? APIError));
  return new ErrorClass(message, errorFields);
}

/**
 * The body with secrets removed, as text and parsed, and the scrub for everything else of the
 * response: the client's, plus the secrets the body itself carries (a W&B key or a signed URL the
 * client never saw, echoed in the message). A server may echo the API key anywhere (`details`
 * too), so every field is read from scrubbed text; parsed strings are scrubbed again because an
 * escape the text scrub does not know (`\u0041`) only turns into the key on parsing. When that,
 * or a secret field such as a job's `wandbConfig.apiKey`, changed the parsed body, the text is
 * re-serialised from it, as the raw text would still hold the secret.
 */
function redactBody(
  body: string,
  scrub: (text: string) => string,
): { text: string; parsed: unknown; scrubAll: (text: string) => string } {
  const text = scrub(body);
  const parsed = parseJson(text);
  // Not JSON (a proxy's page, a body cut off): what looks like a secret goes, known or not.
  if (parsed === undefined) return { text: scrubUnparsed(body, scrub), parsed, scrubAll: scrub };
  const scrubAll = scrubberWithSecretsOf(parsed, scrub);
  const redacted = redactJsonChecked(parsed, scrubAll);
  return {
    text: redacted.changed ? JSON.stringify(redacted.value) : text,
    parsed: redacted.value,
    scrubAll,
  };
}

interface ErrorBodyFields {
  code: string | undefined;
  message: string | undefined;
  details: readonly ProtobufAny[];
  requestId: string | undefined;
}

const NO_FIELDS: ErrorBodyFields = {
  code: undefined,
  message: undefined,
  details: [],
  requestId: undefined,
};

/**
 * Reads both server shapes: gRPC-gateway `{code, message, details}` and the envelope
 * `{error: {...}, request_id}`, whose code is the API-key error's string (`UNAUTHORIZED`) or, in
 * Google's JSON error form, the HTTP number beside the code's name in `status`.
 */
function readErrorBody(parsed: unknown): ErrorBodyFields {
  if (!isJsonObject(parsed)) return NO_FIELDS;
  const envelope = parsed.error;
  if (isJsonObject(envelope)) {
    return {
      code: stringOrUndefined(envelope.code) ?? stringOrUndefined(envelope.status),
      message: stringOrUndefined(envelope.message),
      details: detailsOf(envelope.details),
      requestId: stringOrUndefined(parsed.request_id),
    };
  }
  return {
    code: rpcCodeName(parsed.code),
    message: stringOrUndefined(parsed.message),
    details: detailsOf(parsed.details),
    requestId: stringOrUndefined(parsed.request_id),
  };
}

function detailsOf(details: unknown): ProtobufAny[] {
  return Array.isArray(details) ? details.filter(isJsonObject) : [];
}

function rpcCodeName(code: unknown): string | undefined {
  if (typeof code === "number") return RPC_CODE_NAMES[code];
  return stringOrUndefined(code);
}

function describe(
  response: ResponseHead,
  body: string,
  parsed: unknown,
  fields: ErrorBodyFields,
): string {
  const start = head(response, fields);
  if (response.status < 300) {
    const got = body === "" ? "an empty body" : `${contentType(response)}: ${snippet(body)}`;
    return `${start}: expected a JSON object in the response body, got ${got}`;
  }
  if (fields.message) return `${start}: ${fields.message}`;
  if (body === "") return `${start}: empty response body`;
  if (parsed === undefined)
    return `${start}: response body is not JSON (${contentType(response)}): ${snippet(body)}`;
  if (fields.code) return start;
  return `${start}: unrecognised error body: ${snippet(body)}`;
}

function head(response: ResponseHead, fields: ErrorBodyFields): string {
  return `${response.status} ${fields.code ?? response.statusText}`.trimEnd();
}

function contentType(response: ResponseHead): string {
  return response.headers.get("content-type") ?? "no content-type";
}

/** First characters of a body, tags and runs of whitespace collapsed so HTML pages stay readable. */
function snippet(body: string): string {
  const text = body
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}…` : text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
