import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import {
  type ClientOptions,
  createFireworksClient,
  type FireworksClient,
} from "../../src/index.js";

/** A client of `server` as most tests want one: key "test-key", account "acme", no retries. */
export function clientOf(server: FaultServer, options: ClientOptions = {}): FireworksClient {
  return createFireworksClient({
    apiKey: "test-key",
    accountId: "acme",
    baseUrl: server.url,
    maxRetries: 0,
    ...options,
  });
}

/** A request as the server received it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as sent (still percent-encoded). */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the server does with one request; it runs once the request body has been read. */
export type Step = (response: ServerResponse, request: IncomingMessage, body: string) => void;

export interface FaultServer {
  /** `http://<host>:<port>`, usable as a client `baseUrl`. */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Queues steps, one per incoming request, in order; when the queue is empty every request gets `fallback`. */
  script(...steps: Step[]): void;
  close(): Promise<void>;
}

/** Gives each test of the calling file a fresh fault server, closed after the test. */
export function useFaultServer(onStart: (server: FaultServer) => void): void {
  let current: FaultServer | undefined;
  beforeEach(async () => {
    current = await startFaultServer();
    onStart(current);
  });
  afterEach(async () => {
    await current?.close();
  });
}

/**
 * One fault server for every test of the calling file (property tests send hundreds of requests),
 * its request log cleared before each test, closed after the last.
 */
export function useFileFaultServer(onStart: (server: FaultServer) => void): void {
  let current: FaultServer | undefined;
  beforeAll(async () => {
    current = await startFaultServer();
    onStart(current);
  });
  beforeEach(() => {
    if (current) current.requests.length = 0;
  });
  afterAll(async () => {
    await current?.close();
  });
}

/**
 * A node:http server on a random port whose answers the test scripts request by request, to
 * produce the faults a real network and the proxies in front of the API produce.
 */
export async function startFaultServer(
  host = "127.0.0.1",
  fallback: Step = namedJob(),
): Promise<FaultServer> {
  const queue: Step[] = [];
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body,
      });
      (queue.shift() ?? fallback)(response, request, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests,
    script: (...steps) => queue.push(...steps),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A job as the server would send it, with fields and enum values our spec does not know. */
export function sampleJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "accounts/acme/rlorTrainerJobs/job-1",
    state: "JOB_STATE_RUNNING",
    wandbConfig: { enabled: true, apiKey: "wandb-secret", project: "p" },
    acceleratorSeconds: { NVIDIA_H100_80GB: "3600" },
    completedTime: null,
    ...overrides,
  };
}

/** `accounts/a/rlorTrainerJobs/j` of a request path on a job (`/v1/…/j:resume`), decoded. */
function jobNameOf(url: string): string | undefined {
  const match = /\/(accounts\/[^/]+\/rlorTrainerJobs\/[^/:?]+)(?::\w+)?(?:\?.*)?$/.exec(url);
  return match?.[1]?.split("/").map(decodeURIComponent).join("/");
}

/**
 * A 200 with `sampleJob()`, named as the job the request path names (a real server answers a
 * GET or resume with that job); other paths get job-1's.
 */
export function namedJob(overrides: Record<string, unknown> = {}): Step {
  return (response, request) => {
    const name = jobNameOf(request.url ?? "");
    json(200, sampleJob({ ...(name === undefined ? {} : { name }), ...overrides }))(
      response,
      request,
      "",
    );
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Step {
  return text(status, JSON.stringify(body), { "content-type": "application/json", ...headers });
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Step {
  return (response) => {
    response.writeHead(status, headers);
    response.end(body);
  };
}

/** Closes the connection without a response. */
export function reset(): Step {
  return (_response, request) => request.socket.destroy();
}

/** Never answers; the client's attempt timeout has to end it. */
export function hang(): Step {
  return () => undefined;
}

/**
 * Never answers, and moves fake time (vi.useFakeTimers with setTimeout) on by `ms` once the request
 * is in: the client's attempt timer, set before the request was sent, ends it without a real wait.
 */
export function hangPast(ms: number): Step {
  return () => vi.advanceTimersByTime(ms);
}

/** Declares a longer body than it sends, then drops the connection mid-body. */
export function cutOff(status: number, partial: string): Step {
  return (response, request) => {
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(partial.length + 100),
    });
    response.write(partial, () => request.socket.destroy());
  };
}

export function redirect(status: number, location: string): Step {
  return text(status, "", { location });
}

/**
 * A 200 whose body is `bytes` long: declared up front with Content-Length (and never sent), or
 * streamed chunked in 1 MiB pieces with no length announced.
 */
export function oversized(bytes: number, framing: "content-length" | "chunked"): Step {
  return (response) => {
    // The client hangs up once it has seen enough; the writes still queued then fail, as expected.
    response.on("error", () => undefined);
    if (framing === "content-length") {
      response.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(bytes),
      });
      response.flushHeaders();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(1024 * 1024, " ");
    for (let sent = 0; sent < bytes; sent += chunk.byteLength) response.write(chunk);
    response.end();
  };
}
