import type { StatusCode } from "../../generated/operations.js";

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

/**
 * google.rpc codes the fake answers with: the number error bodies carry and the HTTP status the
 * gateway maps each to (the mapping in the spec's StatusCode description).
 */
const GRPC: Readonly<Partial<Record<StatusCode, { code: number; http: number }>>> = {
  INVALID_ARGUMENT: { code: 3, http: 400 },
  NOT_FOUND: { code: 5, http: 404 },
  ALREADY_EXISTS: { code: 6, http: 409 },
  PERMISSION_DENIED: { code: 7, http: 403 },
  RESOURCE_EXHAUSTED: { code: 8, http: 429 },
  FAILED_PRECONDITION: { code: 9, http: 400 },
  UNIMPLEMENTED: { code: 12, http: 501 },
  INTERNAL: { code: 13, http: 500 },
  UNAVAILABLE: { code: 14, http: 503 },
};

/** A gRPC-gateway error reply, `{code, message, details}`, with the code's usual HTTP status. */
export function fakeError(code: StatusCode, message: string): FakeReply {
  const entry = GRPC[code] ?? { code: 2, http: 500 };
  return grpcReply(entry.http, entry.code, message);
}

/** A gRPC-gateway error body under a chosen HTTP status (the gateway's 404 and 405 for routes). */
export function grpcReply(status: number, code: number, message: string): FakeReply {
  return { status, body: { code, message, details: [] } };
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
