import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ClientOptions, createFireworksClientWithPolicy } from "../../src/core/client.js";
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  type FireworksClient,
  getRlorTrainerJob,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  ResponseTooLargeError,
  resumeRlorTrainerJob,
} from "../../src/index.js";
import {
  cutOff,
  type FaultServer,
  hang,
  hangPast,
  json,
  oversized,
  reset,
  sampleJob,
  text,
  useFaultServer,
} from "../helpers/fault-server.js";
import { type RecordingPolicy, recordingPolicy } from "../helpers/retry-recorder.js";

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});

afterEach(() => {
  vi.useRealTimers();
});

function clientFor(policy: RecordingPolicy, options: ClientOptions = {}) {
  return createFireworksClientWithPolicy(
    { apiKey: "test-key", accountId: "acme", baseUrl: server.url, ...options },
    policy,
  );
}

const gateway = (status: number, code: number) =>
  json(status, { code, message: `failure ${status}`, details: [] });

/** Every retryable status with the error class it ends in when no retry is left. */
const RETRYABLE = [
  [408, APIError],
  [409, ConflictError],
  [429, RateLimitError],
  [500, InternalServerError],
  [502, InternalServerError],
  [503, InternalServerError],
  [504, InternalServerError],
] as const;

/** Both operations, whose retry classes (get: safe, resume: idempotent) are both retried. */
const OPERATIONS = [
  ["get", (client: FireworksClient) => getRlorTrainerJob(client, "job-1")],
  ["resume", (client: FireworksClient) => resumeRlorTrainerJob(client, "job-1")],
] as const;

describe("retries", () => {
  it.each(
    OPERATIONS.flatMap(([operation, call]) =>
      RETRYABLE.map(([status]) => [status, operation, call] as const),
    ),
  )("retries %i and succeeds on the third attempt (%s)", async (status, _operation, call) => {
    server.script(gateway(status, 14), gateway(status, 14));
    const policy = recordingPolicy();
    const job = await call(clientFor(policy));
    expect(job.name).toBe("accounts/acme/rlorTrainerJobs/job-1");
    expect(server.requests).toHaveLength(3);
    expect(policy.delays).toEqual([10, 20]);
  });

  it.each(RETRYABLE)("gives up on %i after maxRetries + 1 attempts", async (status, ErrorClass) => {
    server.script(gateway(status, 14), gateway(status, 14), gateway(status, 14));
    const error = await resumeRlorTrainerJob(clientFor(recordingPolicy()), "job-1").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, message: expect.stringContaining(`failure ${status}`) });
    expect(server.requests).toHaveLength(3);
  });

  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [404, NotFoundError],
  ])("does not retry %i", async (status, ErrorClass) => {
    server.script(gateway(status, 3));
    await expect(getRlorTrainerJob(clientFor(recordingPolicy()), "job-1")).rejects.toBeInstanceOf(
      ErrorClass,
    );
    expect(server.requests).toHaveLength(1);
  });

  it("re-sends the body, the key and per-call headers intact on every attempt", async () => {
    server.script(gateway(503, 14), reset());
    await resumeRlorTrainerJob(clientFor(recordingPolicy()), "job-1", {
      headers: { "x-trace": "t-1" },
    });
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests) {
      expect(request).toMatchObject({
        method: "POST",
        url: "/v1/accounts/acme/rlorTrainerJobs/job-1:resume",
        body: "{}",
      });
      expect(request.headers).toMatchObject({
        authorization: "Bearer test-key",
        "content-type": "application/json",
        "x-trace": "t-1",
      });
    }
  });

  it.each(OPERATIONS)(
    "retries a reset connection, then reports APIConnectionError (%s)",
    async (_operation, call) => {
      server.script(reset(), reset(), reset());
      const error = await call(clientFor(recordingPolicy())).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error).not.toBeInstanceOf(APITimeoutError);
      expect((error as Error).message).toMatch(/^Connection error: /);
      expect(server.requests).toHaveLength(3);
    },
  );

  it("retries a body cut off mid-way", async () => {
    server.script(cutOff(200, '{"name": "accounts/acme/rl'));
    const job = await getRlorTrainerJob(clientFor(recordingPolicy()), "job-1");
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(server.requests).toHaveLength(2);
  });

  it("times out a silent server per attempt and retries it", async () => {
    // On fake time only `hangPast` runs the attempt timers out: no real wait, no early timeout.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    server.script(hangPast(100), hangPast(100));
    const error = await getRlorTrainerJob(
      clientFor(recordingPolicy(), { timeout: 100, maxRetries: 1 }),
      "job-1",
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe("Request timed out after 100 ms");
    expect(server.requests).toHaveLength(2);
  });

  it("per-call timeout and maxRetries override the client's", async () => {
    // 50 ms of fake time ends the per-call timeout, not the client's 60 s one.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    server.script(hangPast(50));
    const client = clientFor(recordingPolicy(), { timeout: 60_000, maxRetries: 5 });
    await expect(
      getRlorTrainerJob(client, "job-1", { timeout: 50, maxRetries: 0 }),
    ).rejects.toBeInstanceOf(APITimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it("maxRetries 0 makes exactly one attempt", async () => {
    server.script(gateway(503, 14));
    await expect(
      getRlorTrainerJob(
        // Without the cap, the declared body never comes: the timeout then ends the test early.
        clientFor(recordingPolicy(), { maxRetries: 0, timeout: 5_000 }),
        "job-1",
      ),
    ).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("backoff", () => {
  const failures = (count: number) => Array.from({ length: count }, () => gateway(503, 14));

  it("doubles from the base delay up to the cap without jitter", async () => {
    server.script(...failures(7));
    const policy = recordingPolicy({ random: () => 0 });
    await expect(
      getRlorTrainerJob(clientFor(policy, { maxRetries: 6 }), "job-1"),
    ).rejects.toBeInstanceOf(InternalServerError);
    expect(policy.delays).toEqual([10, 20, 40, 80, 160, 160]);
    expect(server.requests).toHaveLength(7);
  });

  it("jitter takes off at most 25 %", async () => {
    server.script(...failures(5));
    const policy = recordingPolicy({ random: () => 0.999_999 });
    await expect(
      getRlorTrainerJob(clientFor(policy, { maxRetries: 4 }), "job-1"),
    ).rejects.toBeInstanceOf(InternalServerError);
    const nominal = [10, 20, 40, 80];
    expect(policy.delays).toHaveLength(nominal.length);
    policy.delays.forEach((delay, i) => {
      const full = nominal[i] ?? Number.NaN;
      expect(delay).toBeGreaterThan(full * 0.75);
      expect(delay).toBeLessThanOrEqual(full);
    });
  });

  it("uses the production schedule by default: 0.5 s doubling to 8 s", async () => {
    const { DEFAULT_RETRY_POLICY, retryDelay } = await import("../../src/internal/retry.js");
    const fixed = { ...DEFAULT_RETRY_POLICY, random: () => 0 };
    expect([0, 1, 2, 3, 4, 5].map((retry) => retryDelay(retry, undefined, fixed))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(retryDelay(0, undefined, { ...DEFAULT_RETRY_POLICY, random: () => 0.5 })).toBe(437.5);
  });
});

describe("Retry-After", () => {
  async function delayFor(headers: Record<string, string>): Promise<number | undefined> {
    server.script(json(429, { code: 8, message: "slow down" }, headers));
    const policy = recordingPolicy();
    await getRlorTrainerJob(clientFor(policy), "job-1");
    expect(server.requests).toHaveLength(2);
    return policy.delays[0];
  }

  it("honours retry-after-ms", async () => {
    expect(await delayFor({ "retry-after-ms": "250", "retry-after": "7" })).toBe(250);
  });

  it("honours Retry-After in seconds", async () => {
    expect(await delayFor({ "retry-after": "3" })).toBe(3000);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    const delay = await delayFor({ "retry-after": date });
    // HTTP dates have whole seconds, so up to 1 s is lost; the rest is slack for a slow machine.
    expect(delay).toBeGreaterThan(25_000);
    expect(delay).toBeLessThanOrEqual(30_000);
  });

  it.each([["61"], ["0"], ["-5"], ["soon"], [new Date(Date.now() - 10_000).toUTCString()]])(
    "falls back to backoff for Retry-After %s",
    async (value) => {
      expect(await delayFor({ "retry-after": value })).toBe(10);
    },
  );

  it("falls back to backoff beyond 60 s in retry-after-ms", async () => {
    expect(await delayFor({ "retry-after-ms": "60001" })).toBe(10);
  });
});

describe("caller abort", () => {
  it("sends nothing when the signal is already aborted", async () => {
    const error = await getRlorTrainerJob(clientFor(recordingPolicy()), "job-1", {
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it("aborts a pending attempt and never retries it", async () => {
    server.script(hang());
    const controller = new AbortController();
    const pending = getRlorTrainerJob(clientFor(recordingPolicy()), "job-1", {
      signal: controller.signal,
    });
    await waitFor(() => server.requests.length === 1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });

  it("aborts during the wait between attempts", async () => {
    server.script(gateway(503, 14));
    const controller = new AbortController();
    const policy = recordingPolicy({ baseDelay: 60_000, wait: "real" });
    const pending = getRlorTrainerJob(clientFor(policy), "job-1", { signal: controller.signal });
    await waitFor(() => policy.delays.length === 1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("2xx bodies", () => {
  it("returns unknown fields and enum values untouched", async () => {
    const sent = sampleJob({
      state: "JOB_STATE_SOMETHING_NEW",
      futureField: { nested: [1, "two", null] },
      status: { code: "NEW_CODE" },
    });
    server.script(json(200, sent));
    expect(await getRlorTrainerJob(clientFor(recordingPolicy()), "job-1")).toEqual(sent);
  });

  it.each([
    ["with content-length", oversized(33 * 1024 * 1024, "content-length")],
    ["chunked", oversized(33 * 1024 * 1024, "chunked")],
    [
      // fetch decompresses: the limit counts the bytes after decompression.
      "gzip that inflates past it",
      (response: ServerResponse) => {
        response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        response.end(gzipSync(Buffer.alloc(33 * 1024 * 1024, " ")));
      },
    ],
  ] as const)(
    "refuses a body over 32 MiB (%s) as ResponseTooLargeError, not retried",
    async (_, step) => {
      server.script(step);
      const policy = recordingPolicy();
      const error = await getRlorTrainerJob(clientFor(policy, { maxRetries: 2 }), "job-1").catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error).toBeInstanceOf(APIError);
      expect(error).toMatchObject({ name: "ResponseTooLargeError", status: 200 });
      expect((error as Error).message).toContain("the response body is larger than 33554432 bytes");
      expect(server.requests).toHaveLength(1);
      expect(policy.delays).toEqual([]);
    },
  );

  it("parses JSON sent without Content-Length (chunked)", async () => {
    server.script((response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"name": "accounts/acme/rlorTrainerJobs/job-1",');
      response.end('"state": "JOB_STATE_PAUSED"}');
    });
    expect(await getRlorTrainerJob(clientFor(recordingPolicy()), "job-1")).toEqual({
      name: "accounts/acme/rlorTrainerJobs/job-1",
      state: "JOB_STATE_PAUSED",
    });
  });

  it.each([
    [
      "HTML",
      "<html><body>Welcome to the proxy</body></html>",
      "text/html",
      /text\/html: Welcome to the proxy/,
    ],
    [
      "truncated JSON",
      '{"name": "accounts/acme',
      "application/json",
      /application\/json: \{"name": "accounts\/acme/,
    ],
    ["empty", "", "application/json", /got an empty body/],
    ["a JSON array", "[1, 2]", "application/json", /\[1, 2\]/],
    ["plain text", "OK", "text/plain", /text\/plain: OK/],
  ])(
    "turns a 200 with %s body into an APIError, not retried",
    async (_what, body, type, message) => {
      server.script(text(200, body, { "content-type": type, "x-request-id": "req-200" }));
      const error = await getRlorTrainerJob(clientFor(recordingPolicy()), "job-1").catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(APIError);
      expect(error).not.toBeInstanceOf(SyntaxError);
      expect(error).toMatchObject({ name: "APIError", status: 200, body, requestId: "req-200" });
      expect((error as Error).message).toMatch(
        /^200 OK: expected a JSON object in the response body, got /,
      );
      expect((error as Error).message).toMatch(message);
      expect(server.requests).toHaveLength(1);
    },
  );

  it("accepts a JSON object sent with a wrong content type", async () => {
    server.script(text(200, JSON.stringify(sampleJob()), { "content-type": "text/plain" }));
    expect((await getRlorTrainerJob(clientFor(recordingPolicy()), "job-1")).state).toBe(
      "JOB_STATE_RUNNING",
    );
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
