import type { JobState, ProtobufAny, RlorTrainerJob } from "../../generated/operations.js";
import { FireworksError } from "../../generated/runtime.js";
import { redactHeaders, redactJob, redactJson } from "./redact.js";

// The base class and the bad-input error live in the generated runtime, which throws the latter.
export { FireworksError, InvalidArgumentError } from "../../generated/runtime.js";

/** The server answered with a non-2xx status, or with a 2xx whose body is not a JSON object. */
export class APIError extends FireworksError {
  override name = "APIError";
  /** HTTP status. */
  readonly status: number;
  /**
   * google.rpc code name (`NOT_FOUND`, `INVALID_ARGUMENT`, ...) from a gRPC-gateway body, or the
   * `error.code` string of the API-key envelope (`UNAUTHORIZED`); undefined when the body has none.
   */
  readonly code: string | undefined;
  /** `details` of a gRPC-gateway body (protobuf `Any` objects); empty otherwise. */
  readonly details: readonly ProtobufAny[];
  /** `x-request-id` response header, else the envelope's `request_id`: quote it to Fireworks support. */
  readonly requestId: string | undefined;
  /** Response headers, lower-cased; credentials and cookies are redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** Raw response body text, kept even when it is not JSON. */
  readonly body: string;

  constructor(message: string, response: APIErrorFields) {
    super(message);
    this.status = response.status;
    this.code = response.code;
    this.details = response.details;
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
}

export class BadRequestError extends APIError {
  override name = "BadRequestError";
}
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}
export class ConflictError extends APIError {
  override name = "ConflictError";
}
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

/**
 * A response body over the size limit, refused unread (decompressed size counts). Not retried:
 * the same request would get the same body.
 */
export class ResponseTooLargeError extends APIError {
  override name = "ResponseTooLargeError";
}

/** No usable response: DNS, refused or reset connection, a body cut off mid-read. */
export class APIConnectionError extends FireworksError {
  override name = "APIConnectionError";
}

/** An attempt took longer than the `timeout` (ms) and no retry was left. */
export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError";
}

/** The caller's `AbortSignal` fired; never retried. */
export class APIUserAbortError extends FireworksError {
  override name = "APIUserAbortError";
}

/** A waited-for job ended in a failed state, or was deleted. `job` is redacted. */
export class JobFailedError extends FireworksError {
  override name = "JobFailedError";
  readonly job: RlorTrainerJob;
  readonly state: JobState | undefined;
  /** `status.message` of the job, when the server gave one. */
  readonly statusMessage: string | undefined;
  /** True when the job was deleted or archived rather than failed. */
  readonly deleted: boolean;

  constructor(job: RlorTrainerJob, options?: { deleted?: boolean }) {
    const deleted = options?.deleted ?? false;
    const statusMessage = job.status?.message || undefined;
    const what = deleted ? "was deleted" : "failed";
    super(
      `RLOR trainer job ${job.name ?? "(unnamed)"} ${what} (${job.state ?? "no state"})` +
        (statusMessage ? `: ${statusMessage}` : ""),
    );
    this.job = redactJob(job);
    this.state = job.state;
    this.statusMessage = statusMessage;
    this.deleted = deleted;
  }
}

/** Waiting ran out of time. `job` is the last job seen (redacted), if any. */
export class WaitTimeoutError extends FireworksError {
  override name = "WaitTimeoutError";
  readonly job: RlorTrainerJob | undefined;
  /** The wait timeout in ms. */
  readonly timeout: number;

  constructor(job: RlorTrainerJob | undefined, timeout: number) {
    super(
      `Timed out after ${timeout} ms waiting for RLOR trainer job ${job?.name ?? ""}`.trimEnd() +
        (job?.state ? ` (last state ${job.state})` : ""),
    );
    this.job = job === undefined ? undefined : redactJob(job);
    this.timeout = timeout;
  }
}

/** google.rpc.Code names by number (google/rpc/code.proto). */
const RPC_CODE_NAMES: readonly string[] = [
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
];

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
  const { text, parsed } = redactBody(body, scrub);
  const fields = readErrorBody(parsed);
  const headers = redactHeaders(
    Array.from(response.headers, ([name, value]): [string, string] => [name, scrub(value)]),
  );
  const errorFields: APIErrorFields = {
    status: response.status,
    code: fields.code,
    details: fields.details,
    requestId: headers["x-request-id"] ?? fields.requestId,
    headers,
    body: text,
  };
  const message = scrub(
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
 * The body with secrets removed, as text and parsed. A server may echo the API key anywhere
 * (`details` too), so every field is read from scrubbed text; parsed strings are scrubbed again
 * because an escape the text scrub does not know (`\u0041`) only turns into the key on parsing.
 * When that, or a secret field such as a job's `wandbConfig.apiKey`, changed the parsed body, the
 * text is re-serialised from it, as the raw text would still hold the secret.
 */
function redactBody(
  body: string,
  scrub: (text: string) => string,
): { text: string; parsed: unknown } {
  const text = scrub(body);
  const parsed = parseJson(text);
  if (parsed === undefined) return { text, parsed };
  const redacted = redactJson(parsed, scrub);
  const serialised = JSON.stringify(redacted);
  return { text: serialised === JSON.stringify(parsed) ? text : serialised, parsed: redacted };
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

/** Reads both server shapes: gRPC-gateway `{code, message, details}` and `{error: {...}, request_id}`. */
function readErrorBody(parsed: unknown): ErrorBodyFields {
  if (!isRecord(parsed)) return NO_FIELDS;
  const envelope = parsed.error;
  if (isRecord(envelope)) {
    return {
      code: stringOrUndefined(envelope.code),
      message: stringOrUndefined(envelope.message),
      details: [],
      requestId: stringOrUndefined(parsed.request_id),
    };
  }
  return {
    code: rpcCodeName(parsed.code),
    message: stringOrUndefined(parsed.message),
    details: Array.isArray(parsed.details) ? parsed.details.filter(isRecord) : [],
    requestId: stringOrUndefined(parsed.request_id),
  };
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
