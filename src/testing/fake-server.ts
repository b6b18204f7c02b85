import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { OPERATIONS } from "../../generated/operation-table.js";
import type { OperationEntry } from "../../generated/runtime.js";
import { rpcCodeNumber } from "../core/errors.js";
import { defaultBehaviours } from "./behaviours.js";
import { createDispatcher, type FakeBehaviour } from "./dispatch.js";
import type {
  FakeJobBody,
  FakeJobInit,
  FakeLifecycle,
  FakeResumePlan,
  FakeStatus,
} from "./fake-jobs.js";
import { healthReply } from "./health-route.js";
import { FakeJobStore } from "./job-store.js";
import { type FakeLogStorageOptions, startFakeLogStorage } from "./log-storage.js";
import { closeServer, listenOnLoopback } from "./loopback.js";
import { type FakeReply, grpcReply, toWire, type WireReply } from "./replies.js";

export interface FakeFireworksOptions {
  /** The only API key the server accepts. Default "fw-fake-key". */
  apiKey?: string;
  /** The only account the server serves. Default "fake-account". */
  accountId?: string;
  /** Jobs to start with (PAUSED unless stated). */
  jobs?: readonly FakeJobInit[];
  /** How resumed jobs move, unless a job says otherwise. */
  steps?: FakeResumePlan;
  /** How jobs move after create, cancel and delete, unless a job says otherwise. */
  lifecycle?: FakeLifecycle;
  /**
   * Behaviours by operationId, over the built-in ones: to change what an operation does, or
   * to serve one the table has and the fake does not know yet (which answers 501 without).
   */
  behaviours?: Readonly<Record<string, FakeBehaviour>>;
  /**
   * Health probes of a trainer answered 404 each time its job reaches JOB_STATE_RUNNING, before
   * it answers 200, unless a job says otherwise (`FakeJobInit.notReadyProbes`). Default 0.
   */
  notReadyProbes?: number;
  /** Port on 127.0.0.1. Default 0 (a free port). */
  port?: number;
  /** How the log storage behind publicLogs' signed URLs behaves (see `FakeJobInit.log`). */
  logs?: FakeLogStorageOptions;
}

/** One request the server received, in arrival order. */
export interface FakeRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** As sent; "" for one refused as larger than FAKE_MAX_REQUEST_BODY_BYTES. */
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
  /**
   * The origin of the log storage publicLogs' signed URLs point to: a loopback server of its own,
   * not `baseUrl`. It refuses requests that carry an Authorization header.
   */
  logOrigin: string;
  /** Everything the log storage received so far. */
  logRequests: FakeRequest[];
  addJob(init: FakeJobInit): FakeJobBody;
  /** The stored job; reading it does not move it along. */
  getJob(id: string): FakeJobBody | undefined;
  /** Forces a job's state now (e.g. JOB_STATE_DELETED), dropping any scripted steps. */
  setJobState(id: string, state: string, status?: FakeStatus): FakeJobBody;
  /** Answers the next `count` requests (default 1) with `fault` instead of serving them. */
  failNext(fault: FakeFault, count?: number): void;
  /** Sets what an operation does from now on; throws for an operationId not in the table. */
  handle(operationId: string, behaviour: FakeBehaviour): void;
  close(): Promise<void>;
}

const JSON_HEADERS = { "content-type": "application/json" };

function apiKeyError(requestId: string): FakeReply {
  return {
    status: 401,
    body: {
      error: {
        message: "The API key you provided is invalid.",
        param: null,
        code: "UNAUTHORIZED",
        type: "error",
      },
      request_id: requestId,
    },
  };
}

/**
 * The largest request body the fake server takes: 4 MiB, what a gRPC server receives by
 * default. A larger one is answered 413 with a google.rpc error (RESOURCE_EXHAUSTED) and is
 * not kept: a test that sends one in a loop must not fill the server's memory.
 */
export const FAKE_MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

/** The body as text, or undefined when it is larger than the limit: read to its end, not kept. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= FAKE_MAX_REQUEST_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on("end", () =>
      resolve(
        size > FAKE_MAX_REQUEST_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8"),
      ),
    );
    req.on("error", reject);
  });
}

const TOO_LARGE = grpcReply(
  413,
  rpcCodeNumber("RESOURCE_EXHAUSTED"),
  `request body larger than ${FAKE_MAX_REQUEST_BODY_BYTES} bytes`,
);

/**
 * Starts an in-process stand-in for api.fireworks.ai's RLOR trainer job endpoints on 127.0.0.1.
 * Requests are routed and checked from the generated operation table; jobs live in memory and
 * walk through scripted states. The gateway's route to each job's trainer health probe is served
 * too (`notReadyProbes`).
 */
export function startFakeFireworks(options: FakeFireworksOptions = {}): Promise<FakeFireworks> {
  return serveFake(options, OPERATIONS);
}

/** startFakeFireworks over any operation table: tests give it operations the spec lacks. */
export async function serveFake(
  options: FakeFireworksOptions,
  operations: readonly OperationEntry[],
): Promise<FakeFireworks> {
  const apiKey = options.apiKey ?? "fw-fake-key";
  const accountId = options.accountId ?? "fake-account";
  const store = new FakeJobStore(
    accountId,
    options.steps ?? {},
    options.lifecycle ?? {},
    options.notReadyProbes,
  );
  const storage = await startFakeLogStorage(
    options.logs ?? {},
    accountId,
    (id) => store.peek(id)?.state,
  );
  const addJob = (init: FakeJobInit): FakeJobBody => {
    const body = store.add(init);
    if (init.log !== undefined) storage.setLog(init.id, init.log);
    return body;
  };
  for (const job of options.jobs ?? []) addJob(job);
  const requests: FakeRequest[] = [];
  const faults: FakeFault[] = [];
  const dispatcher = createDispatcher(operations, accountId);
  const builtIn = Object.entries(defaultBehaviours(store, accountId, storage.sign));
  for (const [operationId, behaviour] of builtIn) {
    // The built-in behaviours cover the spec's operations; a table without one leaves it out.
    if (operations.some((entry) => entry.operationId === operationId)) {
      dispatcher.handle(operationId, behaviour);
    }
  }
  for (const [operationId, behaviour] of Object.entries(options.behaviours ?? {})) {
    dispatcher.handle(operationId, behaviour);
  }

  async function reply(
    request: FakeRequest,
    requestId: string,
    tooLarge: boolean,
  ): Promise<WireReply> {
    // Refused before anything else looks at it, as a gateway in front of the API would.
    if (tooLarge) return toWire(TOO_LARGE);
    const fault = faults.shift();
    if (fault)
      return { status: fault.status, body: fault.body ?? "", headers: fault.headers ?? {} };
    if (request.headers.authorization !== `Bearer ${apiKey}`) return toWire(apiKeyError(requestId));
    const health = healthReply(request.method, request.url, store, accountId);
    return toWire(health ?? (await dispatcher.dispatch(request, fake)));
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const request = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: body ?? "",
    };
    requests.push(request);
    const requestId = randomUUID();
    const { status, body: text, headers } = await reply(request, requestId, body === undefined);
    res.writeHead(status, { ...JSON_HEADERS, "x-request-id": requestId, ...headers });
    res.end(text);
  }

  const server = createServer((req, res) => {
    respond(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
      res.end(JSON.stringify({ code: 13, message: "", details: [] }));
    });
  });
  let baseUrl: string;
  try {
    baseUrl = await listenOnLoopback(server, options.port);
  } catch (error) {
    await storage.close();
    throw error;
  }

  const fake: FakeFireworks = {
    baseUrl,
    apiKey,
    accountId,
    requests,
    logOrigin: storage.origin,
    logRequests: storage.requests,
    addJob,
    getJob: (id) => store.peek(id),
    setJobState: (id, state, status) => store.setState(id, state, status),
    failNext: (fault, count = 1) => {
      for (let i = 0; i < count; i += 1) faults.push(fault);
    },
    handle: (operationId, behaviour) => dispatcher.handle(operationId, behaviour),
    close: async () => {
      await Promise.all([closeServer(server), storage.close()]);
    },
  };
  return fake;
}
