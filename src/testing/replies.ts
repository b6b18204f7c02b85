import type { ProtobufAny, StatusCode } from "../../generated/operations.js";
import { rpcCodeNumber } from "../core/errors.js";

/** What a behaviour answers: a status (default 200), a body sent as JSON (default `{}`), headers. */
export interface FakeReply {
  /** HTTP status. Default 200. */
  status?: number;
  /** Sent as JSON. Default `{}`. */
  body?: unknown;
  /** Set on the response, over the defaults (content-type, x-request-id). */
  headers?: Record<string, string>;
}

/** A reply as it goes on the wire. */
export interface WireReply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** The HTTP status gRPC-gateway maps each google.rpc code to (runtime/errors.go HTTPStatusFromCode). */
const HTTP_STATUS: Readonly<Record<StatusCode, number>> = {
  OK: 200,
  CANCELLED: 499,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500,
  UNAUTHENTICATED: 401,
};

/**
 * A gRPC-gateway error reply, `{code, message, details}`, with the code's usual HTTP status;
 * `details` may carry a `fakeErrorInfo` or a `fakeRetryInfo`.
 */
export function fakeError(
  code: StatusCode,
  message: string,
  details: readonly ProtobufAny[] = [],
): FakeReply {
  return grpcReply(HTTP_STATUS[code], rpcCodeNumber(code), message, details);
}

/** A gRPC-gateway error body under a chosen HTTP status (the gateway's 404 and 405 for routes). */
export function grpcReply(
  status: number,
  code: number,
  message: string,
  details: readonly ProtobufAny[] = [],
): FakeReply {
  return { status, body: { code, message, details } };
}

export function notFound(accountId: string, jobId: string): FakeReply {
  return fakeError(
    "NOT_FOUND",
    `RlorTrainerJob accounts/${accountId}/rlorTrainerJobs/${jobId} not found`,
  );
}

export function toWire(reply: FakeReply): WireReply {
  return {
    status: reply.status ?? 200,
    body: JSON.stringify(reply.body ?? {}),
    headers: reply.headers ?? {},
  };
}
