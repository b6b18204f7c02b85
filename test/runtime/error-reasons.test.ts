/**
 * Structured failure reasons: a google.rpc.ErrorInfo in an error body or a job's status surfaces
 * as `reason`, `domain` and `metadata`; a google.rpc.RetryInfo's delay is obeyed like Retry-After.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createFireworksClientWithPolicy } from "../../src/core/client.js";
import {
  type APIError,
  BadRequestError,
  createRlorTrainerJob,
  type ErrorReason,
  getRlorTrainerJob,
  InternalServerError,
  JobFailedError,
  RateLimitError,
  resumeRlorTrainerJob,
  resumeRlorTrainerJobAndWait,
} from "../../src/index.js";
import {
  FAKE_WANDB_API_KEY,
  type FakeFireworks,
  fakeError,
  fakeErrorInfo,
  fakeRetryInfo,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { type FaultServer, json, sampleJob, useFaultServer } from "../helpers/fault-server.js";
import { type RecordingPolicy, recordingPolicy } from "../helpers/retry-recorder.js";

const API_KEY = "test-key-9b7c5d3e";
const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";
const RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});

let fake: FakeFireworks | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function clientFor(policy: RecordingPolicy = recordingPolicy(), maxRetries = 0) {
  return createFireworksClientWithPolicy(
    { apiKey: API_KEY, accountId: "acme", baseUrl: server.url, maxRetries },
    policy,
  );
}

async function refusal(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => undefined,
    (error: unknown) => error,
  );
}

function reasonOf(error: unknown): ErrorReason {
  const { reason, domain, metadata } = error as ErrorReason;
  return { reason, domain, metadata };
}

describe("ErrorInfo in an error body", () => {
  it("surfaces reason, domain and metadata on the APIError", async () => {
    server.script(
      json(400, {
        code: 3,
        message: "dataset rows are malformed",
        details: [
          { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [] },
          {
            "@type": ERROR_INFO,
            reason: "DATASET_INVALID",
            domain: "fireworks.ai",
            metadata: { dataset: "accounts/acme/datasets/d", rows: 3 },
          },
        ],
      }),
    );
    const error = await refusal(getRlorTrainerJob(clientFor(), "job-1"));
    expect(error).toBeInstanceOf(BadRequestError);
    // A metadata value that is not a string (ErrorInfo's map is string to string) is left out.
    expect(reasonOf(error)).toEqual({
      reason: "DATASET_INVALID",
      domain: "fireworks.ai",
      metadata: { dataset: "accounts/acme/datasets/d" },
    });
  });

  it("reads an Any whose type URL has another host", async () => {
    server.script(
      json(409, {
        code: 10,
        message: "busy",
        details: [{ "@type": "example.com/google.rpc.ErrorInfo", reason: "JOB_BUSY" }],
      }),
    );
    const error = await refusal(getRlorTrainerJob(clientFor(), "job-1"));
    expect(reasonOf(error)).toEqual({ reason: "JOB_BUSY", domain: undefined, metadata: {} });
  });

  it("never reads a reason from the message: no ErrorInfo, no reason", async () => {
    server.script(
      json(429, {
        code: 8,
        message: "reason: QUOTA_EXCEEDED (domain: fireworks.ai)",
        details: [{ "@type": "type.googleapis.com/google.rpc.Help", reason: "NOT_AN_ERROR_INFO" }],
      }),
    );
    const error = await refusal(getRlorTrainerJob(clientFor(), "job-1"));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as APIError).message).toContain("reason: QUOTA_EXCEEDED");
    expect(reasonOf(error)).toEqual({ reason: undefined, domain: undefined, metadata: {} });
  });

  it("redacts secrets in metadata: a secret key, the API key and a W&B key the client sent", async () => {
    const wandbKey = "wandb-sent-secret-1a2b3c4d";
    server.script(
      json(400, {
        code: 3,
        message: "bad W&B config",
        details: [
          fakeErrorInfo("WANDB_INVALID", {
            apiKey: "raw-secret-value-77",
            header: `Bearer ${API_KEY}`,
            echoed: `key ${wandbKey} rejected`,
          }),
        ],
      }),
    );
    const error = await refusal(
      createRlorTrainerJob(
        clientFor(),
        undefined,
        { wandbConfig: { enabled: true, apiKey: wandbKey } },
        { rlorTrainerJobId: "job-2" },
      ),
    );
    expect(reasonOf(error).metadata).toEqual({
      apiKey: "[REDACTED]",
      header: "Bearer [REDACTED]",
      echoed: "key [REDACTED] rejected",
    });
    const shown = JSON.stringify(error) + String((error as APIError).body);
    for (const secret of ["raw-secret-value-77", API_KEY, wandbKey]) {
      expect(shown).not.toContain(secret);
    }
  });

  it("keeps the reason when a retried refusal is marked as after an ambiguous attempt", async () => {
    server.script(
      json(503, { code: 14, message: "unavailable" }),
      json(400, {
        code: 9,
        message: "job is not paused",
        details: [fakeErrorInfo("JOB_NOT_PAUSED")],
      }),
      json(200, sampleJob({ state: "JOB_STATE_PAUSED" })),
    );
    const error = await refusal(resumeRlorTrainerJob(clientFor(recordingPolicy(), 1), "job-1"));
    expect(error).toMatchObject({ afterAmbiguousAttempt: true, reason: "JOB_NOT_PAUSED" });
  });
});

describe("RetryInfo", () => {
  async function delayFor(
    details: unknown[],
    headers: Record<string, string> = {},
  ): Promise<number | undefined> {
    server.script(json(503, { code: 14, message: "unavailable", details }, headers));
    const policy = recordingPolicy();
    await getRlorTrainerJob(clientFor(policy, 1), "job-1");
    expect(server.requests).toHaveLength(2);
    return policy.delays[0];
  }

  it("waits the RetryInfo's retryDelay before the retry", async () => {
    expect(await delayFor([{ "@type": RETRY_INFO, retryDelay: "1.5s" }])).toBe(1500);
  });

  it("prefers the Retry-After headers", async () => {
    const details = [{ "@type": RETRY_INFO, retryDelay: "1.5s" }];
    expect(await delayFor(details, { "retry-after": "2" })).toBe(2000);
  });

  // The same bounds as Retry-After: over 0 and at most 60 s, else the backoff (10 ms here).
  it.each([["61s"], ["0s"], ["-3s"], ["1.5"], ["soon"], [1500]])(
    "falls back to backoff for retryDelay %j",
    async (retryDelay) => {
      expect(await delayFor([{ "@type": RETRY_INFO, retryDelay }])).toBe(10);
    },
  );

  it("lets a create with an id retry a 429, as Retry-After does", async () => {
    server.script(
      json(429, { code: 8, message: "slow down", details: [fakeRetryInfo("0.25s")] }),
      json(200, sampleJob()),
    );
    const policy = recordingPolicy();
    await createRlorTrainerJob(clientFor(policy, 1), undefined, {}, { rlorTrainerJobId: "job-1" });
    expect(policy.delays).toEqual([250]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("the fake server's reasons", () => {
  it("fakeError carries an ErrorInfo and a RetryInfo the client obeys", async () => {
    fake = await startFakeFireworks({ jobs: [{ id: "job-1" }] });
    let calls = 0;
    fake.handle("getRlorTrainerJob", () => {
      calls += 1;
      return fakeError("UNAVAILABLE", "no capacity", [
        fakeErrorInfo("CAPACITY_UNAVAILABLE", { region: "US_VIRGINIA_1" }),
        fakeRetryInfo("2s"),
      ]);
    });
    const policy = recordingPolicy();
    const client = createFireworksClientWithPolicy(
      { apiKey: fake.apiKey, accountId: fake.accountId, baseUrl: fake.baseUrl, maxRetries: 1 },
      policy,
    );
    const error = await refusal(getRlorTrainerJob(client, "job-1"));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(reasonOf(error)).toEqual({
      reason: "CAPACITY_UNAVAILABLE",
      domain: "fireworks.ai",
      metadata: { region: "US_VIRGINIA_1" },
    });
    expect(policy.delays).toEqual([2000]);
    expect(calls).toBe(2);
  });

  it("a job that fails with an ErrorInfo fails the wait with its reason, redacted", async () => {
    fake = await startFakeFireworks({
      jobs: [
        {
          id: "job-1",
          resume: {
            fail: {
              code: "RESOURCE_EXHAUSTED",
              message: "no H100 capacity in the region",
              details: [
                fakeErrorInfo("RESOURCE_EXHAUSTED", {
                  region: "US_VIRGINIA_1",
                  echoed: FAKE_WANDB_API_KEY,
                }),
              ],
            },
          },
        },
      ],
    });
    const client = createFireworksClientWithPolicy(
      { apiKey: fake.apiKey, accountId: fake.accountId, baseUrl: fake.baseUrl },
      recordingPolicy(),
    );
    const error = await refusal(resumeRlorTrainerJobAndWait(client, "job-1", { pollInterval: 1 }));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({ state: "JOB_STATE_FAILED" });
    expect(reasonOf(error)).toEqual({
      reason: "RESOURCE_EXHAUSTED",
      domain: "fireworks.ai",
      metadata: { region: "US_VIRGINIA_1", echoed: "[REDACTED]" },
    });
    expect(JSON.stringify(error)).not.toContain(FAKE_WANDB_API_KEY);
  });

  it("a failed job without an ErrorInfo has no reason, whatever its message says", async () => {
    fake = await startFakeFireworks({
      jobs: [{ id: "job-1", resume: { fail: "reason: RESOURCE_EXHAUSTED" } }],
    });
    const client = createFireworksClientWithPolicy(
      { apiKey: fake.apiKey, accountId: fake.accountId, baseUrl: fake.baseUrl },
      recordingPolicy(),
    );
    const error = await refusal(resumeRlorTrainerJobAndWait(client, "job-1", { pollInterval: 1 }));
    expect(error).toMatchObject({ statusMessage: "reason: RESOURCE_EXHAUSTED" });
    expect(reasonOf(error)).toEqual({ reason: undefined, domain: undefined, metadata: {} });
  });
});
