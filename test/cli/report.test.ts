/** `report <job>`: what support asks for, with the request ids of the run's calls, nothing secret. */
import { afterEach, expect, it } from "vitest";
import {
  FAKE_WANDB_API_KEY,
  type FakeFireworks,
  fakeErrorInfo,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { runAgainst } from "./in-process.js";

let fake: FakeFireworks | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A job that failed for want of capacity, with three checkpoints; the first GET answers 503. */
async function failedJob(): Promise<FakeFireworks> {
  fake = await startFakeFireworks({ accountId: "acme" });
  fake.addJob({ id: "job-1", state: "JOB_STATE_FAILED", checkpoints: 3 });
  fake.setJobState("job-1", "JOB_STATE_FAILED", {
    code: "RESOURCE_EXHAUSTED",
    message: `no capacity (key ${fake.apiKey})`,
    details: [fakeErrorInfo("RESOURCE_EXHAUSTED", { region: "US_VIRGINIA_1" })],
  });
  // retry-after-ms: the client retries at once instead of after its backoff (half a second).
  fake.failNext({
    status: 503,
    body: "{}",
    headers: { "x-request-id": "req-503-first", "retry-after-ms": "1" },
  });
  return fake;
}

function report(server: FakeFireworks, ...extra: string[]) {
  return runAgainst(server, ["report", "job-1", ...extra]);
}

it("prints state, reason, newest checkpoint, versions and every request with its id", async () => {
  const server = await failedJob();
  const { code, stdout } = await report(server);
  expect(code).toBe(0);
  expect(stdout).toMatch(/^State +FAILED$/m);
  expect(stdout).toMatch(
    /^Reason +RESOURCE_EXHAUSTED \(fireworks\.ai\) \{"region":"US_VIRGINIA_1"\}$/m,
  );
  expect(stdout).toMatch(
    /^Newest checkpoint +accounts\/acme\/rlorTrainerJobs\/job-1\/checkpoints\/step-3 /m,
  );
  // From createTime to completedTime (the fake stamps them an hour apart, give or take a ms).
  expect(stdout).toMatch(/^Elapsed +1h0m0(\.\d+)?s$/m);
  expect(stdout).toContain(`Node ${process.version}`);
  // The retried GET shows twice: the 503 with the id its answer carried, then the 200.
  const requests = stdout.split("Requests\n")[1]?.trimEnd().split("\n") ?? [];
  expect(requests).toHaveLength(3);
  expect(requests[0]).toBe(
    "  GET /v1/accounts/acme/rlorTrainerJobs/job-1 -> 503 (request id req-503-first)",
  );
  expect(requests[1]).toMatch(
    /^ {2}GET \/v1\/accounts\/acme\/rlorTrainerJobs\/job-1 -> 200 \(request id \S+\)$/,
  );
  expect(requests[2]).toMatch(/checkpoints -> 200 \(request id \S+\)$/);
  expect(server.requests).toHaveLength(3);
});

it("-o json is one document with the same facts, the job redacted", async () => {
  const server = await failedJob();
  const { code, stdout } = await report(server, "-o", "json");
  expect(code).toBe(0);
  const parsed = JSON.parse(stdout) as Record<string, unknown>;
  expect(parsed).toMatchObject({
    tool: { name: "fireworks-rlor", node: process.version },
    job: {
      state: "JOB_STATE_FAILED",
      reason: { reason: "RESOURCE_EXHAUSTED" },
    },
    newestCheckpoint: { name: "accounts/acme/rlorTrainerJobs/job-1/checkpoints/step-3" },
    requests: [{ status: 503, requestId: "req-503-first" }, { status: 200 }, { status: 200 }],
    rawJob: { name: "accounts/acme/rlorTrainerJobs/job-1" },
  });
  expect(Date.parse(String(parsed.generatedAt))).not.toBeNaN();
  const job = parsed.job as { createTime: string; completedTime: string; elapsedMs: number };
  expect(job.elapsedMs).toBe(Date.parse(job.completedTime) - Date.parse(job.createTime));
  expect(job.elapsedMs).toBeGreaterThanOrEqual(3_600_000);
});

it.each([["text"], ["json"]])("contains no API key or W&B key (-o %s)", async (output) => {
  const server = await failedJob();
  const { stdout, stderr } = await report(server, "-o", output);
  for (const secret of [server.apiKey, FAKE_WANDB_API_KEY]) {
    expect(stdout).not.toContain(secret);
    expect(stderr).not.toContain(secret);
  }
  expect(stdout).toContain("[REDACTED]");
});

it("-o name is refused before any request: a report is text or JSON, not a name", async () => {
  fake = await startFakeFireworks({ accountId: "acme", jobs: [{ id: "job-1" }] });
  const { code, stdout, stderr } = await report(fake, "-o", "name");
  expect(code).toBe(2);
  expect(stdout).toBe("");
  expect(stderr).toContain('--output: report takes text, json; got "name"');
  expect(fake.requests).toHaveLength(0);
});
it.each([["text"], ["json"]])(
  "a request id that echoes the API key is scrubbed (-o %s)",
  async (output) => {
    const server = await failedJob();
    // Header values are the server's text like any other: a hostile one echoes the key there.
    server.failNext({
      status: 503,
      body: "{}",
      headers: { "x-request-id": `req-${server.apiKey}`, "retry-after-ms": "1" },
    });
    const { code, stdout } = await report(server, "-o", output);
    expect(code).toBe(0);
    expect(stdout).not.toContain(server.apiKey);
    expect(stdout).toContain("req-[REDACTED]");
  },
);
