import { request } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  FAKE_MAX_REQUEST_BODY_BYTES,
  FAKE_WANDB_API_KEY,
  type FakeFireworks,
  startFakeFireworks,
} from "../../src/testing/index.js";

let server: FakeFireworks | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startFakeFireworks>[0]): Promise<FakeFireworks> {
  server = await startFakeFireworks(options);
  return server;
}

function call(fake: FakeFireworks, method: "GET" | "POST", path: string, init: RequestInit = {}) {
  return fetch(`${fake.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
    ...init,
  });
}

const jobPath = (fake: FakeFireworks, id: string) =>
  `/v1/accounts/${fake.accountId}/rlorTrainerJobs/${id}`;

/** A GET with the path sent byte for byte (fetch would normalise "..", "%2e" and the like). */
function rawGet(fake: FakeFireworks, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${fake.baseUrl}/`, {
      path,
      headers: { authorization: `Bearer ${fake.apiKey}` },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.end();
  });
}

async function states(fake: FakeFireworks, id: string, reads: number): Promise<unknown[]> {
  const seen: unknown[] = [];
  for (let i = 0; i < reads; i += 1) {
    const body = (await (await call(fake, "GET", jobPath(fake, id))).json()) as { state?: unknown };
    seen.push(body.state);
  }
  return seen;
}

describe("fake Fireworks server", () => {
  it("binds to 127.0.0.1 and serves a realistic job with a request id", async () => {
    const fake = await start({ accountId: "acme", jobs: [{ id: "job-1" }] });
    expect(new URL(fake.baseUrl).hostname).toBe("127.0.0.1");
    const response = await call(fake, "GET", jobPath(fake, "job-1"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const job = await response.json();
    expect(job).toMatchObject({
      name: "accounts/acme/rlorTrainerJobs/job-1",
      state: "JOB_STATE_PAUSED",
      wandbConfig: { apiKey: FAKE_WANDB_API_KEY },
      trainingConfig: { baseModel: expect.any(String), outputModel: expect.any(String) },
    });
  });

  it("rejects a wrong API key with the 401 envelope", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const response = await call(fake, "GET", jobPath(fake, "job-1"), {
      headers: { authorization: "Bearer wrong" },
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { request_id?: string };
    expect(body).toMatchObject({ error: { code: "UNAUTHORIZED", type: "error" } });
    expect(body.request_id).toBe(response.headers.get("x-request-id"));
  });

  it("answers unknown ids with the gRPC 404 body", async () => {
    const fake = await start({ accountId: "acme" });
    const response = await call(fake, "GET", jobPath(fake, "nope"));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: 5,
      message: "RlorTrainerJob accounts/acme/rlorTrainerJobs/nope not found",
      details: [],
    });
  });

  it.each([
    ["a malformed % escape in the job id", "bad%E0%A4"],
    ["a malformed % escape in the account id", "job-1", "%"],
    ['the job id "."', "."],
    ['the job id ".."', ".."],
    ['the job id "%2E%2E"', "%2E%2E"],
    ["a job id with a space", "job%201"],
    ["a job id with a control character", "job%00"],
    ['a job id with an encoded "/"', "a%2Fb"],
    ["a job id of 129 characters", "j".repeat(129)],
  ])("answers %s with 400 INVALID_ARGUMENT", async (_, id, account = "acme") => {
    const fake = await start({ accountId: "acme", jobs: [{ id: "job-1" }] });
    const response = await rawGet(fake, `/v1/accounts/${account}/rlorTrainerJobs/${id}`);
    expect(response).toMatchObject({ status: 400, body: { code: 3, details: [] } });
  });

  it("serves an id of 128 characters, the longest the client sends", async () => {
    const id = "j".repeat(128);
    const fake = await start({ accountId: "acme", jobs: [{ id }] });
    expect((await rawGet(fake, `/v1/accounts/acme/rlorTrainerJobs/${id}`)).status).toBe(200);
  });

  it("walks a resumed PAUSED job through RE_QUEUEING and PENDING to RUNNING, one step per GET", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const resumed = await call(fake, "POST", `${jobPath(fake, "job-1")}:resume`, { body: "{}" });
    expect(resumed.status).toBe(200);
    // The resume response still shows the state from before, as the real server may.
    expect(((await resumed.json()) as { state?: string }).state).toBe("JOB_STATE_PAUSED");
    expect(await states(fake, "job-1", 4)).toEqual([
      "JOB_STATE_RE_QUEUEING",
      "JOB_STATE_PENDING",
      "JOB_STATE_RUNNING",
      "JOB_STATE_RUNNING",
    ]);
  });

  it("follows a per-job plan: no stale read, custom path, several polls per step", async () => {
    const fake = await start({
      jobs: [
        { id: "job-1", resume: { staleReads: 0, path: ["JOB_STATE_PENDING"], pollsPerStep: 2 } },
      ],
    });
    const resumed = await call(fake, "POST", `${jobPath(fake, "job-1")}:resume`, { body: "{}" });
    expect(((await resumed.json()) as { state?: string }).state).toBe("JOB_STATE_PENDING");
    expect(await states(fake, "job-1", 2)).toEqual(["JOB_STATE_PENDING", "JOB_STATE_RUNNING"]);
  });

  it("moves on by time when msPerStep is set, without being polled", async () => {
    // Only the clock is faked: the server's sockets keep running on real timers.
    vi.useFakeTimers({ toFake: ["Date"] });
    const fake = await start({ steps: { msPerStep: 100, staleReads: 0, pollsPerStep: 1000 } });
    fake.addJob({ id: "job-1" });
    await call(fake, "POST", `${jobPath(fake, "job-1")}:resume`, { body: "{}" });
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_RE_QUEUEING");
    vi.setSystemTime(Date.now() + 199);
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_PENDING");
    vi.setSystemTime(Date.now() + 1);
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_RUNNING");
  });

  it("holds a resumed job in PENDING for pendingMs, however often it is read", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const fake = await start({
      jobs: [{ id: "job-1", resume: { staleReads: 0, pendingMs: 3_600_000 } }],
    });
    await call(fake, "POST", `${jobPath(fake, "job-1")}:resume`, { body: "{}" });
    expect(await states(fake, "job-1", 5)).toEqual([
      "JOB_STATE_PENDING",
      "JOB_STATE_PENDING",
      "JOB_STATE_PENDING",
      "JOB_STATE_PENDING",
      "JOB_STATE_PENDING",
    ]);
    vi.setSystemTime(Date.now() + 3_600_000);
    expect(await states(fake, "job-1", 1)).toEqual(["JOB_STATE_RUNNING"]);
  });

  it("shows a RUNNING job's progress at each GET; a stalled one's stands still", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const fake = await start({
      jobs: [
        { id: "busy", state: "JOB_STATE_RUNNING" },
        { id: "hung", state: "JOB_STATE_RUNNING", lifecycle: { stall: true } },
      ],
    });
    /** Two GETs of the job, a second apart. */
    const readTwice = async (id: string) => {
      const read = async () =>
        (await (await call(fake, "GET", jobPath(fake, id))).json()) as Record<string, unknown>;
      const first = await read();
      vi.advanceTimersByTime(1_000);
      return [first, await read()];
    };
    const busy = await readTwice("busy");
    expect(busy.map((job) => job.jobProgress)).toEqual([
      expect.objectContaining({ percent: 1 }),
      expect.objectContaining({ percent: 2 }),
    ]);
    expect(busy[1]?.updateTime).not.toEqual(busy[0]?.updateTime);
    const hung = await readTwice("hung");
    expect(hung[1]).toEqual(hung[0]);
    expect(fake.getJob("busy")).toEqual(busy[1]);
  });

  it("stamps updateTime when the state changes, not on a stale read", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const resumed = (await (
      await call(fake, "POST", `${jobPath(fake, "job-1")}:resume`, { body: "{}" })
    ).json()) as Record<string, unknown>;
    expect(resumed).toMatchObject({ state: "JOB_STATE_PAUSED" });
    expect(resumed.updateTime).toBeUndefined();
    vi.advanceTimersByTime(1_000);
    const next = (await (await call(fake, "GET", jobPath(fake, "job-1"))).json()) as Record<
      string,
      unknown
    >;
    expect(next).toMatchObject({ state: "JOB_STATE_RE_QUEUEING", updateTime: expect.any(String) });
  });

  it("fails a job set to fail, with a status message and a completed time", async () => {
    const fake = await start({ jobs: [{ id: "job-1", resume: { fail: "CUDA out of memory" } }] });
    await call(fake, "POST", `${jobPath(fake, "job-1")}:resume`, { body: "{}" });
    expect(await states(fake, "job-1", 3)).toEqual([
      "JOB_STATE_RE_QUEUEING",
      "JOB_STATE_PENDING",
      "JOB_STATE_FAILED",
    ]);
    expect(fake.getJob("job-1")).toMatchObject({
      status: { code: "INTERNAL", message: "CUDA out of memory" },
      completedTime: expect.any(String),
    });
  });

  it("refuses to resume a RUNNING job with 400 FAILED_PRECONDITION", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING" }] });
    const response = await call(fake, "POST", `${jobPath(fake, "job-1")}:resume`, { body: "{}" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 9, details: [] });
  });

  it("rejects a resume body with unknown fields, like the gateway", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const response = await call(fake, "POST", `${jobPath(fake, "job-1")}:resume`, {
      body: '{"force":true}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 3 });
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_PAUSED");
  });

  it("logs requests, serves injected faults, and forces states", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    fake.failNext({ status: 503, body: "upstream unavailable" });
    expect((await call(fake, "GET", jobPath(fake, "job-1"))).status).toBe(503);
    fake.setJobState("job-1", "JOB_STATE_DELETED");
    expect(await states(fake, "job-1", 1)).toEqual(["JOB_STATE_DELETED"]);
    expect(fake.requests.map((request) => request.method)).toEqual(["GET", "GET"]);
  });
});

describe("request bodies", () => {
  it("refuses one over FAKE_MAX_REQUEST_BODY_BYTES with a 413 google.rpc error, and keeps none of it", async () => {
    expect(FAKE_MAX_REQUEST_BODY_BYTES).toBe(4 * 1024 * 1024);
    const fake = await start({ accountId: "acme", jobs: [{ id: "job-1" }] });
    const huge = JSON.stringify({ displayName: "x".repeat(FAKE_MAX_REQUEST_BODY_BYTES) });
    const response = await call(fake, "POST", "/v1/accounts/acme/rlorTrainerJobs", { body: huge });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      code: 8,
      message: `request body larger than ${FAKE_MAX_REQUEST_BODY_BYTES} bytes`,
      details: [],
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body).toBe("");
    // The server still serves, and the create never happened.
    const list = await call(fake, "GET", "/v1/accounts/acme/rlorTrainerJobs");
    expect(((await list.json()) as { rlorTrainerJobs: unknown[] }).rlorTrainerJobs).toHaveLength(1);
  });

  it("takes one of exactly FAKE_MAX_REQUEST_BODY_BYTES", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const body = `{}${" ".repeat(FAKE_MAX_REQUEST_BODY_BYTES - 2)}`;
    const response = await call(fake, "POST", `${jobPath(fake, "job-1")}:resume`, { body });
    expect(response.status).toBe(200);
    expect(fake.requests[0]?.body).toHaveLength(FAKE_MAX_REQUEST_BODY_BYTES);
  });
});
