import { afterEach, describe, expect, it, vi } from "vitest";
import {
  APIError,
  BadRequestError,
  ConflictError,
  cancelRlorTrainerJob,
  createRlorTrainerJob,
  deleteRlorTrainerJob,
  executeRlorTrainStep,
  type FireworksClient,
  getRlorTrainerJob,
  getRlorTrainerJobPublicLogs,
  iterateRlorTrainerJobCheckpoints,
  listRlorTrainerJobCheckpoints,
  listRlorTrainerJobs,
  PermissionDeniedError,
  RateLimitError,
  resumeRlorTrainerJob,
} from "../../src/index.js";
import { FAKE_PUBLIC_LOGS_SIGNATURE, fakeError } from "../../src/testing/index.js";
import { useFake } from "./fake-setup.js";

const start = useFake();

afterEach(() => {
  vi.useRealTimers();
});

/** The states `reads` GETs of the job show, in order. */
async function states(client: FireworksClient, id: string, reads: number): Promise<unknown[]> {
  const seen: unknown[] = [];
  for (let i = 0; i < reads; i += 1) seen.push((await getRlorTrainerJob(client, id)).state);
  return seen;
}

const STEP = {
  dataset: "accounts/acme/datasets/step-1",
  outputModel: "accounts/acme/models/out-1",
};

describe("create", () => {
  it("walks a new job through CREATING, PENDING and RUNNING to COMPLETED, one step per GET", async () => {
    const { client } = await start();
    const created = await createRlorTrainerJob(
      client,
      undefined,
      { displayName: "grpo-new", state: "JOB_STATE_FAILED" },
      { rlorTrainerJobId: "new-1" },
    );
    // The state sent is output only: the server sets it.
    expect(created).toMatchObject({
      name: "accounts/acme/rlorTrainerJobs/new-1",
      displayName: "grpo-new",
      state: "JOB_STATE_CREATING",
      completedTime: null,
    });
    expect(await states(client, "new-1", 4)).toEqual([
      "JOB_STATE_PENDING",
      "JOB_STATE_RUNNING",
      "JOB_STATE_COMPLETED",
      "JOB_STATE_COMPLETED",
    ]);
    expect((await getRlorTrainerJob(client, "new-1")).completedTime).toEqual(expect.any(String));
  });

  it("makes up a UUID id when none is given", async () => {
    const { client } = await start();
    const created = await createRlorTrainerJob(client, undefined, {});
    expect(created.name).toMatch(/^accounts\/acme\/rlorTrainerJobs\/[0-9a-f-]{36}$/);
  });

  it("refuses a taken id with 409 ALREADY_EXISTS, tombstones included", async () => {
    const { client, fake } = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_DELETED" }] });
    const again = createRlorTrainerJob(client, undefined, {}, { rlorTrainerJobId: "job-1" });
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toMatchObject({ status: 409, code: "ALREADY_EXISTS" });
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_DELETED");
  });

  it("paces steps by the server-wide lifecycle", async () => {
    const { client } = await start({
      lifecycle: { pollsPerStep: 2, create: ["JOB_STATE_VALIDATING", "JOB_STATE_RUNNING"] },
    });
    await createRlorTrainerJob(client, undefined, {}, { rlorTrainerJobId: "new-1" });
    // The create response was the first of the two reads of VALIDATING.
    expect(await states(client, "new-1", 3)).toEqual([
      "JOB_STATE_VALIDATING",
      "JOB_STATE_RUNNING",
      "JOB_STATE_RUNNING",
    ]);
  });

  it("answers 429 RESOURCE_EXHAUSTED when told to, and creates nothing", async () => {
    const { client, fake } = await start();
    fake.failNext({
      status: 429,
      body: JSON.stringify({ code: 8, message: "quota exceeded", details: [] }),
    });
    const create = createRlorTrainerJob(client, undefined, {}, { rlorTrainerJobId: "new-1" });
    await expect(create).rejects.toBeInstanceOf(RateLimitError);
    expect(fake.getJob("new-1")).toBeUndefined();
  });
});

describe("get", () => {
  it("returns only the fields a read mask names", async () => {
    const { client } = await start({ jobs: [{ id: "job-1" }] });
    const job = await getRlorTrainerJob(client, "job-1", { readMask: "name,state" });
    expect(job).toEqual({ name: "accounts/acme/rlorTrainerJobs/job-1", state: "JOB_STATE_PAUSED" });
  });

  it("refuses another account with 403", async () => {
    const { client } = await start({ jobs: [{ id: "job-1" }] });
    await expect(
      getRlorTrainerJob(client, "accounts/other/rlorTrainerJobs/job-1"),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
  });
});

describe("cancel", () => {
  it("answers {} and walks a running job through CANCELLING to CANCELLED", async () => {
    const { client, fake } = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING" }] });
    await expect(cancelRlorTrainerJob(client, "job-1")).resolves.toBeUndefined();
    // A repeat (as a retry would send) changes nothing and succeeds.
    await cancelRlorTrainerJob(client, "job-1");
    expect(await states(client, "job-1", 3)).toEqual([
      "JOB_STATE_CANCELLING",
      "JOB_STATE_CANCELLED",
      "JOB_STATE_CANCELLED",
    ]);
    expect(fake.requests.filter((r) => r.method === "POST").map((r) => r.body)).toEqual([
      "{}",
      "{}",
    ]);
  });

  it("paces steps by the job's own lifecycle", async () => {
    const { client } = await start({
      lifecycle: { pollsPerStep: 5 },
      jobs: [{ id: "job-1", state: "JOB_STATE_PENDING", lifecycle: { pollsPerStep: 2 } }],
    });
    await cancelRlorTrainerJob(client, "job-1");
    expect(await states(client, "job-1", 3)).toEqual([
      "JOB_STATE_CANCELLING",
      "JOB_STATE_CANCELLING",
      "JOB_STATE_CANCELLED",
    ]);
  });

  it.each([
    ["JOB_STATE_COMPLETED", "cannot cancel job in state: JOB_STATE_COMPLETED"],
    ["JOB_STATE_FAILED", "cannot cancel job in state: JOB_STATE_FAILED"],
    ["JOB_STATE_DELETED", "cannot cancel job in state: JOB_STATE_DELETED"],
  ])("refuses a job in %s with 400 FAILED_PRECONDITION", async (state, message) => {
    const { client, fake } = await start({ jobs: [{ id: "job-1", state }] });
    const cancel = cancelRlorTrainerJob(client, "job-1");
    await expect(cancel).rejects.toBeInstanceOf(BadRequestError);
    await expect(cancel).rejects.toMatchObject({ code: "FAILED_PRECONDITION" });
    expect(JSON.parse(await bodyOf(cancel))).toMatchObject({ code: 9, message });
    expect(fake.getJob("job-1")?.state).toBe(state);
  });
});

async function bodyOf(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof APIError)) throw new Error("expected an APIError");
  return error.body;
}

describe("resume", () => {
  it.each(["JOB_STATE_RUNNING", "JOB_STATE_CANCELLING", "JOB_STATE_DELETED"])(
    "refuses a job in %s with 400 FAILED_PRECONDITION",
    async (state) => {
      const { client } = await start({ jobs: [{ id: "job-1", state }] });
      await expect(resumeRlorTrainerJob(client, "job-1")).rejects.toMatchObject({
        status: 400,
        code: "FAILED_PRECONDITION",
      });
    },
  );

  it.each(["JOB_STATE_PAUSED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_COMPLETED"])(
    "resumes a job in %s",
    async (state) => {
      const { client } = await start({ jobs: [{ id: "job-1", state }] });
      expect((await resumeRlorTrainerJob(client, "job-1")).state).toBe(state);
      expect(await states(client, "job-1", 3)).toEqual([
        "JOB_STATE_RE_QUEUEING",
        "JOB_STATE_PENDING",
        "JOB_STATE_RUNNING",
      ]);
    },
  );
});

describe("delete", () => {
  it("answers {}, keeps the job readable as DELETED, leaves it out of the list", async () => {
    const { client, fake } = await start({ jobs: [{ id: "job-1" }, { id: "job-2" }] });
    await expect(deleteRlorTrainerJob(client, "job-1")).resolves.toBeUndefined();
    expect(await states(client, "job-1", 2)).toEqual(["JOB_STATE_DELETING", "JOB_STATE_DELETED"]);
    // A repeat changes nothing: the job stays a tombstone, not deleted anew.
    await deleteRlorTrainerJob(client, "job-1");
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_DELETED");
    const list = await listRlorTrainerJobs(client);
    expect(list.rlorTrainerJobs?.map((job) => job.name)).toEqual([
      "accounts/acme/rlorTrainerJobs/job-2",
    ]);
    expect(list.totalSize).toBe(1);
    // Its checkpoints stay listable while the tombstone is kept.
    expect((await listRlorTrainerJobCheckpoints(client, "job-1")).checkpoints).toHaveLength(3);
  });

  it("moves on by time with msPerStep, unpolled", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { client, fake } = await start({ lifecycle: { msPerStep: 1000, pollsPerStep: 100 } });
    fake.addJob({ id: "job-1" });
    await deleteRlorTrainerJob(client, "job-1");
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_DELETING");
    vi.setSystemTime(Date.now() + 1000);
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_DELETED");
  });

  it("answers 404 for a job that never was", async () => {
    const { client } = await start();
    await expect(deleteRlorTrainerJob(client, "nope")).rejects.toMatchObject({
      status: 404,
      code: "NOT_FOUND",
    });
  });
});

describe("executeTrainStep", () => {
  it("takes a step on a running keep-alive job, which saves a checkpoint", async () => {
    const { client } = await start();
    await createRlorTrainerJob(client, undefined, { keepAlive: true }, { rlorTrainerJobId: "ka" });
    // A keep-alive job stays RUNNING, waiting for steps.
    expect(await states(client, "ka", 3)).toEqual([
      "JOB_STATE_PENDING",
      "JOB_STATE_RUNNING",
      "JOB_STATE_RUNNING",
    ]);
    await expect(executeRlorTrainStep(client, "ka", STEP)).resolves.toBeUndefined();
    await executeRlorTrainStep(client, "ka", STEP);
    expect((await listRlorTrainerJobCheckpoints(client, "ka")).totalSize).toBe(2);
  });

  it("refuses a job that is not keep-alive, or not running, with 400 FAILED_PRECONDITION", async () => {
    const { client } = await start({
      jobs: [
        { id: "plain", state: "JOB_STATE_RUNNING" },
        { id: "paused", body: { keepAlive: true } },
      ],
    });
    for (const id of ["plain", "paused"]) {
      await expect(executeRlorTrainStep(client, id, STEP)).rejects.toMatchObject({
        status: 400,
        code: "FAILED_PRECONDITION",
      });
    }
  });

  it("requires dataset and outputModel: 400 INVALID_ARGUMENT", async () => {
    const { client } = await start({
      jobs: [{ id: "ka", state: "JOB_STATE_RUNNING", body: { keepAlive: true } }],
    });
    const step = executeRlorTrainStep(client, "ka", { dataset: STEP.dataset, outputModel: "" });
    await expect(step).rejects.toMatchObject({ status: 400, code: "INVALID_ARGUMENT" });
    expect(JSON.parse(await bodyOf(step))).toMatchObject({
      message: 'missing required field "outputModel"',
    });
  });
});

describe("checkpoints", () => {
  it("pages a job's checkpoints", async () => {
    const { client, fake } = await start({ jobs: [{ id: "job-1", checkpoints: 5 }] });
    const all = [];
    for await (const checkpoint of iterateRlorTrainerJobCheckpoints(client, "job-1", {
      pageSize: 2,
    })) {
      all.push(checkpoint);
    }
    expect(all.map((checkpoint) => checkpoint.name)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `accounts/acme/rlorTrainerJobs/job-1/checkpoints/step-${n}`),
    );
    expect(all[1]).toMatchObject({
      checkpointType: "CHECKPOINT_TYPE_INFERENCE_LORA",
      promotable: true,
      createTime: expect.any(String),
    });
    expect(fake.requests).toHaveLength(3);
  });

  it("refuses a page token of another job's list", async () => {
    const { client } = await start({ jobs: [{ id: "job-1" }, { id: "job-2" }] });
    const first = await listRlorTrainerJobCheckpoints(client, "job-1", { pageSize: 1 });
    await expect(
      listRlorTrainerJobCheckpoints(client, "job-2", { pageToken: first.nextPageToken }),
    ).rejects.toMatchObject({ status: 400, code: "INVALID_ARGUMENT" });
  });
});

describe("publicLogs", () => {
  it("answers a URL on the fake's own log storage, a new signature each time, starting with the recognisable fake one", async () => {
    const { client, fake } = await start({ jobs: [{ id: "job-1" }] });
    const signatures = [];
    for (let i = 0; i < 2; i++) {
      const { signedUrl = "" } = await getRlorTrainerJobPublicLogs(client, "job-1");
      const url = new URL(signedUrl);
      expect(url.origin).toBe(fake.logOrigin);
      expect(url.origin).not.toBe(fake.baseUrl);
      expect(url.searchParams.get("X-Goog-Expires")).toBe("86400");
      signatures.push(url.searchParams.get("X-Goog-Signature") ?? "");
    }
    expect(signatures[0]?.startsWith(FAKE_PUBLIC_LOGS_SIGNATURE)).toBe(true);
    expect(signatures[0]).not.toBe(signatures[1]);
  });
});

describe("behaviours", () => {
  it.each([
    ["ABORTED", 409, 10],
    ["UNAUTHENTICATED", 401, 16],
    ["DEADLINE_EXCEEDED", 504, 4],
    ["NOT_FOUND", 404, 5],
    ["UNKNOWN", 500, 2],
  ] as const)(
    "fakeError(%s) answers as the gateway does: HTTP %i, code %i",
    (name, status, code) => {
      expect(fakeError(name, "m")).toEqual({ status, body: { code, message: "m", details: [] } });
    },
  );

  it("override an operation's built-in one, at start or later", async () => {
    const { client, fake } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING" }],
      behaviours: { cancelRlorTrainerJob: () => fakeError("RESOURCE_EXHAUSTED", "too many") },
    });
    await expect(cancelRlorTrainerJob(client, "job-1")).rejects.toBeInstanceOf(RateLimitError);
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_RUNNING");
    fake.handle("getRlorTrainerJobPublicLogs", ({ params, fake: server }) => ({
      body: { signedUrl: `https://logs.invalid/${params.rlor_trainer_job_id}/${server.accountId}` },
    }));
    expect(await getRlorTrainerJobPublicLogs(client, "job-1")).toEqual({
      signedUrl: "https://logs.invalid/job-1/acme",
    });
  });
});
