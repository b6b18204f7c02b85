import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ClientOptions, createFireworksClientWithPolicy } from "../../src/core/client.js";
import {
  APIConnectionError,
  APITimeoutError,
  BadRequestError,
  ConflictError,
  cancelRlorTrainerJob,
  createRlorTrainerJob,
  deleteRlorTrainerJob,
  executeRlorTrainStep,
  type FireworksClient,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  resumeRlorTrainerJob,
} from "../../src/index.js";
import {
  type FaultServer,
  hangPast,
  json,
  namedJob,
  reset,
  type Step,
  useFaultServer,
} from "../helpers/fault-server.js";
import { type RecordingPolicy, recordingPolicy } from "../helpers/retry-recorder.js";

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});

// Attempt timers run on fake time, which stands still (the recording policy sleeps no backoff):
// only `timedOut` ends an attempt by timeout, at once, and no slow answer is ever taken for one.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const TIMEOUT = 5_000;

function clientFor(policy: RecordingPolicy = recordingPolicy(), options: ClientOptions = {}) {
  return createFireworksClientWithPolicy(
    { apiKey: "test-key", accountId: "acme", baseUrl: server.url, timeout: TIMEOUT, ...options },
    policy,
  );
}

/** An attempt the client's timeout ends. */
const timedOut = hangPast(TIMEOUT);

const JOB_URL = "/v1/accounts/acme/rlorTrainerJobs/job-1";
const JOB_PATH = "/v1/accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}";
const status = (code: number, rpc: number, message: string): Step =>
  json(code, { code: rpc, message, details: [] });
const notPaused = status(400, 9, "job is not paused");
const notFound = status(404, 5, "resource not found");
const job = (state: string): Step => namedJob({ state });

/** Attempts whose outcome is unknown: the server may have applied them. */
const AMBIGUOUS: [string, Step][] = [
  ["a reset after sending", reset()],
  ["an attempt timeout", timedOut],
  ["a 500", status(500, 13, "internal")],
  ["a 503", status(503, 14, "unavailable")],
];

function sent(): string[] {
  return server.requests.map((request) => `${request.method} ${request.url}`);
}

describe("a refused retry after an ambiguous attempt is reconciled", () => {
  it.each(AMBIGUOUS)(
    "resume after %s, then FAILED_PRECONDITION: the job read shows it started, so resume succeeds",
    async (_what, first) => {
      server.script(first, notPaused, job("JOB_STATE_RE_QUEUEING"));
      const resumed = await resumeRlorTrainerJob(clientFor(), "job-1");
      expect(resumed.state).toBe("JOB_STATE_RE_QUEUEING");
      expect(sent()).toEqual([
        `POST ${JOB_URL}:resume`,
        `POST ${JOB_URL}:resume`,
        `GET ${JOB_URL}`,
      ]);
    },
  );

  it.each(["accounts/acme/rlorTrainerJobs/job-2", "accounts/globex/rlorTrainerJobs/job-1"])(
    "resume does not take a read answering with %s, RUNNING, for its own effect",
    async (other) => {
      server.script(reset(), notPaused, json(200, { name: other, state: "JOB_STATE_RUNNING" }));
      await expect(resumeRlorTrainerJob(clientFor(), "job-1")).rejects.toMatchObject({
        name: "BadRequestError",
        afterAmbiguousAttempt: true,
      });
      expect(sent()).toEqual([
        `POST ${JOB_URL}:resume`,
        `POST ${JOB_URL}:resume`,
        `GET ${JOB_URL}`,
      ]);
    },
  );

  it.each(["JOB_STATE_PENDING", "JOB_STATE_CREATING", "JOB_STATE_RUNNING"])(
    "resume counts %s as started",
    async (state) => {
      server.script(reset(), notPaused, job(state));
      await expect(resumeRlorTrainerJob(clientFor(), "job-1")).resolves.toMatchObject({ state });
    },
  );

  it("the read is a safe call through the same path: same key, headers and per-call options", async () => {
    server.script(reset(), notPaused, status(503, 14, "busy"), job("JOB_STATE_RUNNING"));
    await resumeRlorTrainerJob(clientFor(), "job-1", { headers: { "x-trace": "t-1" } });
    const reads = server.requests.filter((request) => request.method === "GET");
    expect(reads).toHaveLength(2);
    for (const read of reads) {
      expect(read.headers).toMatchObject({ authorization: "Bearer test-key", "x-trace": "t-1" });
      expect(read.headers["content-type"]).toBeUndefined();
      expect(read.body).toBe("");
    }
  });

  it("resume: a job still paused keeps the refusal, marked as after an ambiguous attempt", async () => {
    server.script(reset(), notPaused, job("JOB_STATE_PAUSED"));
    const error = await resumeRlorTrainerJob(clientFor(), "job-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      code: "FAILED_PRECONDITION",
      afterAmbiguousAttempt: true,
      message:
        "400 FAILED_PRECONDITION: job is not paused (this answered a retry: an earlier attempt may have reached the server, and its outcome is unknown)",
    });
    expect((error as Error).stack).toContain("outcome is unknown");
    expect(sent()).toHaveLength(3);
  });

  it("resume: a read that fails keeps the refusal, marked", async () => {
    server.script(reset(), notPaused, status(403, 7, "no"));
    const error = await resumeRlorTrainerJob(clientFor(), "job-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ afterAmbiguousAttempt: true });
  });

  it("cancel: a job read as CANCELLING settles the refusal as success", async () => {
    server.script(reset(), notPaused, job("JOB_STATE_CANCELLING"));
    await expect(cancelRlorTrainerJob(clientFor(), "job-1")).resolves.toBeUndefined();
    expect(sent()).toEqual([`POST ${JOB_URL}:cancel`, `POST ${JOB_URL}:cancel`, `GET ${JOB_URL}`]);
  });

  it("cancel: a running job keeps the refusal, marked", async () => {
    server.script(status(502, 14, "bad gateway"), notPaused, job("JOB_STATE_RUNNING"));
    await expect(cancelRlorTrainerJob(clientFor(), "job-1")).rejects.toMatchObject({
      name: "BadRequestError",
      afterAmbiguousAttempt: true,
    });
  });

  it.each([
    ["a 404 on the read", notFound],
    ["a DELETED job", job("JOB_STATE_DELETED")],
    ["a DELETING job", job("JOB_STATE_DELETING")],
  ])("delete: a 404 on the retry, then %s, is success", async (_what, read) => {
    server.script(reset(), notFound, read);
    await expect(deleteRlorTrainerJob(clientFor(), "job-1")).resolves.toBeUndefined();
    expect(sent()).toEqual([`DELETE ${JOB_URL}`, `DELETE ${JOB_URL}`, `GET ${JOB_URL}`]);
  });

  it("delete: a job still there keeps the 404, marked", async () => {
    server.script(reset(), notFound, job("JOB_STATE_RUNNING"));
    const error = await deleteRlorTrainerJob(clientFor(), "job-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ afterAmbiguousAttempt: true });
  });
});

describe("a refusal that is not after an ambiguous attempt is reported as it is", () => {
  it("a refusal on the first attempt: nothing read, not marked", async () => {
    server.script(notPaused);
    const error = await resumeRlorTrainerJob(clientFor(), "job-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      afterAmbiguousAttempt: false,
      message: "400 FAILED_PRECONDITION: job is not paused",
    });
    expect(sent()).toHaveLength(1);
  });

  it.each([
    ["a 429", status(429, 8, "slow down")],
    ["a 409", status(409, 10, "aborted")],
    ["a 408", status(408, 4, "request timeout")],
  ])(
    "after %s (the server said it did not act): nothing read, not marked",
    async (_what, first) => {
      server.script(first, notPaused);
      const error = await resumeRlorTrainerJob(clientFor(), "job-1").catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "BadRequestError", afterAmbiguousAttempt: false });
      expect(sent()).toHaveLength(2);
    },
  );

  it("an error that is no refusal (retries used up on 503) is not reconciled", async () => {
    server.script(reset(), status(503, 14, "a"), status(503, 14, "b"));
    await expect(resumeRlorTrainerJob(clientFor(), "job-1")).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(sent()).toHaveLength(3);
  });
});

describe("create with a client-chosen id (idempotent-with-id)", () => {
  const body = { displayName: "run" };
  const create = (client = clientFor()) =>
    createRlorTrainerJob(client, undefined, body, { rlorTrainerJobId: "job-1" });
  const exists = status(409, 6, "rlor trainer job already exists");

  it.each(AMBIGUOUS)(
    "after %s, a 409 means our attempt made it: the job is read and returned",
    async (_what, first) => {
      server.script(first, exists, job("JOB_STATE_CREATING"));
      await expect(create()).resolves.toMatchObject({ state: "JOB_STATE_CREATING" });
      expect(sent()).toEqual([
        "POST /v1/accounts/acme/rlorTrainerJobs?rlorTrainerJobId=job-1",
        "POST /v1/accounts/acme/rlorTrainerJobs?rlorTrainerJobId=job-1",
        `GET ${JOB_URL}`,
      ]);
      expect(server.requests.map((request) => request.body)).toEqual([
        '{"displayName":"run"}',
        '{"displayName":"run"}',
        "",
      ]);
    },
  );

  it("reads the job under the base URL's path, with the id percent-encoded", async () => {
    server.script(reset(), exists, job("JOB_STATE_CREATING"));
    const client = clientFor(recordingPolicy(), { baseUrl: `${server.url}/gateway` });
    await createRlorTrainerJob(client, "acme", body, { rlorTrainerJobId: "job 1?" });
    expect(sent()[2]).toBe("GET /gateway/v1/accounts/acme/rlorTrainerJobs/job%201%3F");
  });

  it("a 409 whose read answers with a job of another id stays a ConflictError, marked", async () => {
    server.script(
      reset(),
      exists,
      json(200, { name: "accounts/acme/rlorTrainerJobs/job-2", state: "JOB_STATE_CREATING" }),
    );
    await expect(create()).rejects.toMatchObject({
      name: "ConflictError",
      afterAmbiguousAttempt: true,
    });
    expect(sent()[2]).toBe(`GET ${JOB_URL}`);
  });

  it("a 409 on the first attempt stays a ConflictError, not retried", async () => {
    server.script(exists);
    const error = await create().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: "ALREADY_EXISTS", afterAmbiguousAttempt: false });
    expect(sent()).toHaveLength(1);
  });

  it("a 409 whose job is a tombstone of an older job stays a ConflictError, marked", async () => {
    server.script(reset(), exists, job("JOB_STATE_DELETED"));
    await expect(create()).rejects.toMatchObject({
      name: "ConflictError",
      afterAmbiguousAttempt: true,
    });
  });

  it("a 429 without Retry-After (capacity or quota) is not retried; the server's reason is kept", async () => {
    server.script(status(429, 8, "quota exceeded for NVIDIA_B200"));
    const error = await create().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as Error).message).toBe("429 RESOURCE_EXHAUSTED: quota exceeded for NVIDIA_B200");
    expect(sent()).toHaveLength(1);
  });

  it.each([["retry-after"], ["retry-after-ms"]])(
    "a 429 with %s is retried as asked",
    async (header) => {
      server.script(json(429, { code: 8, message: "busy" }, { [header]: "2" }));
      const policy = recordingPolicy();
      await create(clientFor(policy));
      expect(sent()).toHaveLength(2);
      expect(policy.delays).toEqual([header === "retry-after" ? 2000 : 2]);
    },
  );
});

describe("a request without a call context is retried as its HTTP method allows", () => {
  const path = { account_id: "acme", rlor_trainer_job_id: "job-1" };
  const unavailable = status(503, 14, "unavailable");

  it.each([
    ["GET", 3, (client: FireworksClient) => client.fetchClient.GET(JOB_PATH, { params: { path } })],
    [
      "DELETE",
      3,
      (client: FireworksClient) => client.fetchClient.DELETE(JOB_PATH, { params: { path } }),
    ],
    [
      "POST",
      1,
      (client: FireworksClient) =>
        client.fetchClient.POST(`${JOB_PATH}:resume`, { params: { path }, body: {} }),
    ],
  ])("%s through client.fetchClient: %i attempt(s) on 503s", async (_method, attempts, call) => {
    server.script(unavailable, unavailable, unavailable);
    await expect(call(clientFor())).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(attempts);
  });

  it("a train step whose Request a middleware made anew is still never retried", async () => {
    server.script(unavailable, unavailable, unavailable);
    const client = clientFor();
    client.fetchClient.use({
      onRequest: async ({ request }) =>
        new Request(request.url, {
          method: request.method,
          headers: request.headers,
          body: await request.text(),
        }),
    });
    const step = { dataset: "accounts/acme/datasets/d", outputModel: "accounts/acme/models/m" };
    await expect(executeRlorTrainStep(client, "job-1", step)).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(sent()).toEqual([`POST ${JOB_URL}:executeTrainStep`]);
  });
});

describe("executeRlorTrainStep (unsafe) makes one attempt once the request may have arrived", () => {
  const step = { dataset: "accounts/acme/datasets/d", outputModel: "accounts/acme/models/m" };
  it.each([
    ["an attempt timeout", timedOut, APITimeoutError],
    ["a reset", reset(), APIConnectionError],
    ["a 500", status(500, 13, "internal"), InternalServerError],
    ["a 503", status(503, 14, "unavailable"), InternalServerError],
    ["a 429", status(429, 8, "slow down"), RateLimitError],
    ["a 429 with Retry-After", json(429, { code: 8 }, { "retry-after": "1" }), RateLimitError],
  ])("%s", async (_what, first, ErrorClass) => {
    server.script(first);
    const client = clientFor(recordingPolicy(), { maxRetries: 5 });
    const error = await executeRlorTrainStep(client, "job-1", step).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(sent()).toEqual([`POST ${JOB_URL}:executeTrainStep`]);
  });

  it("create without an id is unsafe too: one attempt on a 503", async () => {
    server.script(status(503, 14, "unavailable"));
    await expect(createRlorTrainerJob(clientFor(), undefined, {})).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(sent()).toHaveLength(1);
  });
});
