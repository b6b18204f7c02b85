import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RLOR_TRAINER_JOB_ID_RULE } from "../../generated/names.js";
import { checkSegment } from "../../generated/runtime.js";
import {
  type FakeJobBody,
  type FakeJobInit,
  FakeJobStore,
  type FakeResumePlan,
  type FakeStatus,
} from "./fake-jobs.js";

export interface FakeFireworksOptions {
  /** The only API key the server accepts. Default "fw-fake-key". */
  apiKey?: string;
  /** The only account the server serves. Default "fake-account". */
  accountId?: string;
  /** Jobs to start with (PAUSED unless stated). */
  jobs?: readonly FakeJobInit[];
  /** How resumed jobs move, unless a job says otherwise. */
  steps?: FakeResumePlan;
  /** Port on 127.0.0.1. Default 0 (a free port). */
  port?: number;
}

/** One request the server received, in arrival order. */
export interface FakeRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A canned response for the next request(s), to exercise clients' error handling. */
export interface FakeFault {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface FakeFireworks {
  /** e.g. http://127.0.0.1:41234 — pass as `baseUrl` / FIREWORKS_BASE_URL. */
  baseUrl: string;
  apiKey: string;
  accountId: string;
  /** Everything received so far (faults included). */
  requests: FakeRequest[];
  addJob(init: FakeJobInit): FakeJobBody;
  /** The stored job; reading it does not move it along. */
  getJob(id: string): FakeJobBody | undefined;
  /** Forces a job's state now (e.g. JOB_STATE_DELETED), dropping any scripted steps. */
  setJobState(id: string, state: string, status?: FakeStatus): FakeJobBody;
  /** Answers the next `count` requests (default 1) with `fault` instead of serving them. */
  failNext(fault: FakeFault, count?: number): void;
  close(): Promise<void>;
}

const JOB_PATH = /^\/v1\/accounts\/([^/]+)\/rlorTrainerJobs\/([^/:]+)(:resume)?$/;

const JSON_HEADERS = { "content-type": "application/json" };

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

function grpcError(status: number, code: number, message: string): Reply {
  return { status, body: JSON.stringify({ code, message, details: [] }) };
}

function apiKeyError(requestId: string): Reply {
  return {
    status: 401,
    body: JSON.stringify({
      error: {
        message: "The API key you provided is invalid.",
        param: null,
        code: "UNAUTHORIZED",
        type: "error",
      },
      request_id: requestId,
    }),
  };
}

/** A path segment decoded, or undefined for a malformed `%` escape. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Refuses, as 400 INVALID_ARGUMENT, any job id the client itself would refuse to send. */
function jobIdError(id: string): Reply | undefined {
  try {
    checkSegment(id, RLOR_TRAINER_JOB_ID_RULE);
    return undefined;
  } catch (error) {
    return grpcError(400, 3, error instanceof Error ? error.message : String(error));
  }
}

function jobReply(body: FakeJobBody): Reply {
  return { status: 200, body: JSON.stringify(body) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Checks a resume body the way the gateway does: a JSON object with no unknown fields. */
function resumeBodyError(raw: string): Reply | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return grpcError(400, 3, "proto: syntax error (line 1:1): unexpected token");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return grpcError(400, 3, "proto: syntax error (line 1:1): unexpected token");
  }
  const [unknownField] = Object.keys(parsed);
  return unknownField === undefined
    ? undefined
    : grpcError(400, 3, `proto: (line 1:2): unknown field "${unknownField}"`);
}

/**
 * Starts an in-process stand-in for api.fireworks.ai's RLOR trainer job endpoints (get and
 * resume) on 127.0.0.1. Jobs live in memory; a resumed job walks through scripted states.
 */
export async function startFakeFireworks(
  options: FakeFireworksOptions = {},
): Promise<FakeFireworks> {
  const apiKey = options.apiKey ?? "fw-fake-key";
  const accountId = options.accountId ?? "fake-account";
  const store = new FakeJobStore(accountId, options.steps ?? {});
  for (const job of options.jobs ?? []) store.add(job);
  const requests: FakeRequest[] = [];
  const faults: FakeFault[] = [];

  function route(req: IncomingMessage, body: string, requestId: string): Reply {
    const fault = faults.shift();
    if (fault)
      return { status: fault.status, body: fault.body ?? "", headers: fault.headers ?? {} };
    if (req.headers.authorization !== `Bearer ${apiKey}`) return apiKeyError(requestId);
    // The path as sent, not URL-normalised: ".." must reach the id check, not resolve away.
    const [path = ""] = (req.url ?? "/").split("?");
    const match = JOB_PATH.exec(path);
    if (!match) return grpcError(404, 5, "Not Found");
    const [, rawAccount = "", rawId = "", resume] = match;
    const method = resume ? "POST" : "GET";
    if (req.method !== method) return grpcError(405, 12, "Method Not Allowed");
    const account = decodeSegment(rawAccount);
    const jobId = decodeSegment(rawId);
    if (account === undefined || jobId === undefined) {
      return grpcError(400, 3, `invalid percent-encoding in path ${JSON.stringify(path)}`);
    }
    if (account !== accountId) return grpcError(403, 7, "");
    const idError = jobIdError(jobId);
    if (idError) return idError;
    const notFound = grpcError(
      404,
      5,
      `RlorTrainerJob accounts/${accountId}/rlorTrainerJobs/${jobId} not found`,
    );
    if (!resume) {
      const job = store.read(jobId);
      return job ? jobReply(job) : notFound;
    }
    if (!store.has(jobId)) return notFound;
    const bodyError = resumeBodyError(body);
    if (bodyError) return bodyError;
    const outcome = store.resume(jobId);
    if (!outcome) return notFound;
    return outcome.ok
      ? jobReply(outcome.body)
      : grpcError(400, 9, `job is in state ${outcome.state} and cannot be resumed`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    const requestId = randomUUID();
    const reply = route(req, body, requestId);
    res.writeHead(reply.status, { ...JSON_HEADERS, "x-request-id": requestId, ...reply.headers });
    res.end(reply.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
      res.end(JSON.stringify({ code: 13, message: "", details: [] }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    accountId,
    requests,
    addJob: (init) => store.add(init),
    getJob: (id) => store.peek(id),
    setJobState: (id, state, status) => store.setState(id, state, status),
    failNext: (fault, count = 1) => {
      for (let i = 0; i < count; i += 1) faults.push(fault);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
