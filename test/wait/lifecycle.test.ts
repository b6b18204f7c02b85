import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BadRequestError,
  JobFailedError,
  NotFoundError,
  WaitTimeoutError,
} from "../../src/core/errors.js";
import {
  cancelRlorTrainerJobAndWait,
  createRlorTrainerJobAndWait,
  DEFAULT_CANCEL_TIMEOUT,
  DEFAULT_DELETE_TIMEOUT,
  deleteRlorTrainerJobAndWait,
} from "../../src/core/lifecycle.js";
import {
  DEFAULT_PENDING_TIMEOUT,
  DEFAULT_WAIT_TIMEOUT,
  waitForRlorTrainerJob,
} from "../../src/core/wait.js";
import {
  calls,
  EMPTY,
  FAST,
  forever,
  JOB_NAME,
  jobIn,
  recordStates,
  rejection,
  rpcError,
  useScriptedServer,
} from "./scripted.js";

const scripted = useScriptedServer();
const JOB_PATH = `/v1/${JOB_NAME}`;

afterEach(() => {
  vi.useRealTimers();
});

describe("createRlorTrainerJobAndWait", () => {
  it("creates the job, then polls it by name until it runs", async () => {
    const { server, client } = scripted;
    server.script(
      jobIn("JOB_STATE_CREATING"),
      jobIn("JOB_STATE_PENDING"),
      jobIn("JOB_STATE_PENDING"),
      jobIn("JOB_STATE_RUNNING"),
    );
    const { seen, onStateChange } = recordStates();
    const job = await createRlorTrainerJobAndWait(
      client,
      "acme",
      { dataset: "accounts/acme/datasets/d" },
      { ...FAST, rlorTrainerJobId: "job-1", onStateChange },
    );
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(seen).toEqual(["->CREATING", "CREATING>PENDING", "PENDING>RUNNING"]);
    expect(calls(server)).toEqual([
      "POST /v1/accounts/acme/rlorTrainerJobs",
      `GET ${JOB_PATH}`,
      `GET ${JOB_PATH}`,
      `GET ${JOB_PATH}`,
    ]);
    expect(server.requests[0]?.url).toContain("rlorTrainerJobId=job-1");
    expect(JSON.parse(server.requests[0]?.body ?? "")).toEqual({
      dataset: "accounts/acme/datasets/d",
    });
  });

  it("does not count the time in PENDING against `timeout`", async () => {
    const { server, client } = scripted;
    // A 1 ms timeout outside PENDING: the create answers PENDING, and the job leaves PENDING
    // straight for RUNNING, so only a clock that also ran during PENDING could expire.
    server.script(
      jobIn("JOB_STATE_PENDING"),
      jobIn("JOB_STATE_PENDING"),
      jobIn("JOB_STATE_PENDING"),
      jobIn("JOB_STATE_RUNNING"),
    );
    const job = await createRlorTrainerJobAndWait(
      client,
      undefined,
      {},
      {
        pollInterval: 5,
        timeout: 1,
      },
    );
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(server.requests).toHaveLength(4);
  });

  it("gives up after `pendingTimeout` in PENDING, with the PENDING job", async () => {
    const { server, client } = scripted;
    // Every answer is PENDING: the one-hour limit outside PENDING never runs.
    forever(server, jobIn("JOB_STATE_PENDING"));
    const error = await rejection(
      createRlorTrainerJobAndWait(
        client,
        undefined,
        {},
        {
          pollInterval: 1,
          timeout: 3_600_000,
          pendingTimeout: 1,
        },
      ),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ timeout: 1, job: { state: "JOB_STATE_PENDING" } });
  });

  it("gives up after `timeout` outside PENDING", async () => {
    const { server, client } = scripted;
    server.script(jobIn("JOB_STATE_CREATING"));
    const error = await rejection(
      createRlorTrainerJobAndWait(client, undefined, {}, { pollInterval: 3_600_000, timeout: 1 }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ timeout: 1, job: { state: "JOB_STATE_CREATING" } });
  });

  it("fails at once, without another poll, when the new job fails", async () => {
    const { server, client } = scripted;
    server.script(
      jobIn("JOB_STATE_PENDING"),
      jobIn("JOB_STATE_FAILED", { status: { code: "INTERNAL", message: "bad shape" } }),
    );
    const error = await rejection(createRlorTrainerJobAndWait(client, undefined, {}, FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({ state: "JOB_STATE_FAILED", statusMessage: "bad shape" });
    expect(server.requests).toHaveLength(2);
  });

  it("passes on a refused create without polling", async () => {
    const { server, client } = scripted;
    server.script(rpcError(400, 3, 'unknown field "evaluator"'));
    const error = await rejection(createRlorTrainerJobAndWait(client, undefined, {}, FAST));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(server.requests).toHaveLength(1);
  });

  it("polls by the id it chose when the create answer has no name", async () => {
    const { server, client } = scripted;
    server.script(jobIn("JOB_STATE_CREATING", { name: undefined }), jobIn("JOB_STATE_RUNNING"));
    await createRlorTrainerJobAndWait(
      client,
      undefined,
      {},
      {
        ...FAST,
        rlorTrainerJobId: "job-1",
      },
    );
    expect(calls(server)[1]).toBe(`GET ${JOB_PATH}`);
  });
});

describe("cancelRlorTrainerJobAndWait", () => {
  it("cancels, then polls until CANCELLED", async () => {
    const { server, client } = scripted;
    server.script(
      EMPTY,
      jobIn("JOB_STATE_RUNNING"),
      jobIn("JOB_STATE_CANCELLING"),
      jobIn("JOB_STATE_CANCELLED"),
    );
    const { seen, onStateChange } = recordStates();
    const job = await cancelRlorTrainerJobAndWait(client, "job-1", { ...FAST, onStateChange });
    expect(job.state).toBe("JOB_STATE_CANCELLED");
    expect(seen).toEqual(["->RUNNING", "RUNNING>CANCELLING", "CANCELLING>CANCELLED"]);
    expect(calls(server)).toEqual([
      `POST ${JOB_PATH}:cancel`,
      `GET ${JOB_PATH}`,
      `GET ${JOB_PATH}`,
      `GET ${JOB_PATH}`,
    ]);
    expect(server.requests[0]?.body).toBe("{}");
  });

  it("takes a refused cancel of a job already CANCELLED as done", async () => {
    const { server, client } = scripted;
    server.script(
      rpcError(400, 9, "cannot cancel job in state: JOB_STATE_CANCELLED"),
      jobIn("JOB_STATE_CANCELLED"),
    );
    const { seen, onStateChange } = recordStates();
    const job = await cancelRlorTrainerJobAndWait(client, "job-1", { ...FAST, onStateChange });
    expect(job.state).toBe("JOB_STATE_CANCELLED");
    expect(seen).toEqual(["->CANCELLED"]);
    expect(server.requests).toHaveLength(2);
  });

  it("waits on from a refused cancel of a job already CANCELLING", async () => {
    const { server, client } = scripted;
    server.script(
      rpcError(400, 9, "cannot cancel job in state: JOB_STATE_CANCELLING"),
      jobIn("JOB_STATE_CANCELLING"),
      jobIn("JOB_STATE_CANCELLED"),
    );
    const { seen, onStateChange } = recordStates();
    const job = await cancelRlorTrainerJobAndWait(client, "job-1", { ...FAST, onStateChange });
    expect(job.state).toBe("JOB_STATE_CANCELLED");
    expect(seen).toEqual(["->CANCELLING", "CANCELLING>CANCELLED"]);
    expect(server.requests).toHaveLength(3);
  });

  it("passes on a refused cancel of a job elsewhere", async () => {
    const { server, client } = scripted;
    server.script(
      rpcError(400, 9, "cannot cancel job in state: JOB_STATE_DELETED"),
      jobIn("JOB_STATE_DELETED"),
    );
    const error = await rejection(cancelRlorTrainerJobAndWait(client, "job-1", FAST));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain("cannot cancel job in state: JOB_STATE_DELETED");
  });

  it("fails at once when the job ends otherwise (it completed first)", async () => {
    const { server, client } = scripted;
    server.script(EMPTY, jobIn("JOB_STATE_COMPLETED"));
    const error = await rejection(cancelRlorTrainerJobAndWait(client, "job-1", FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({ state: "JOB_STATE_COMPLETED" });
    expect(server.requests).toHaveLength(2);
  });
});

describe("deleteRlorTrainerJobAndWait", () => {
  it("deletes, then polls through any state until the tombstone", async () => {
    const { server, client } = scripted;
    server.script(
      EMPTY,
      jobIn("JOB_STATE_FAILED"),
      jobIn("JOB_STATE_DELETING"),
      jobIn("JOB_STATE_DELETING_CLEANING_UP"),
      jobIn("JOB_STATE_DELETED"),
    );
    const job = await deleteRlorTrainerJobAndWait(client, JOB_NAME, FAST);
    expect(job?.state).toBe("JOB_STATE_DELETED");
    expect(calls(server)).toEqual([
      `DELETE ${JOB_PATH}`,
      `GET ${JOB_PATH}`,
      `GET ${JOB_PATH}`,
      `GET ${JOB_PATH}`,
      `GET ${JOB_PATH}`,
    ]);
  });

  it("resolves on ARCHIVED too", async () => {
    const { server, client } = scripted;
    server.script(EMPTY, jobIn("JOB_STATE_ARCHIVED"));
    expect((await deleteRlorTrainerJobAndWait(client, "job-1", FAST))?.state).toBe(
      "JOB_STATE_ARCHIVED",
    );
  });

  it("resolves to undefined once a poll answers 404: the job is gone", async () => {
    const { server, client } = scripted;
    server.script(EMPTY, jobIn("JOB_STATE_DELETING"), rpcError(404, 5, "resource not found"));
    expect(await deleteRlorTrainerJobAndWait(client, "job-1", FAST)).toBeUndefined();
    expect(server.requests).toHaveLength(3);
  });

  it("passes on a 404 to the DELETE itself: the job may never have existed", async () => {
    const { server, client } = scripted;
    server.script(rpcError(404, 5, "resource not found"));
    const error = await rejection(deleteRlorTrainerJobAndWait(client, "job-1", FAST));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("the terminal-state rule", () => {
  it.each([
    "JOB_STATE_CANCELLED",
    "JOB_STATE_COMPLETED",
    "JOB_STATE_FAILED",
    "JOB_STATE_EXPIRED",
    "JOB_STATE_EARLY_STOPPED",
    "JOB_STATE_DELETED",
    "JOB_STATE_ARCHIVED",
  ])("a wait for RUNNING ends on %s at the first poll", async (state) => {
    const { server, client } = scripted;
    server.script(jobIn(state));
    const error = await rejection(waitForRlorTrainerJob(client, "job-1", FAST));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({ state });
    expect(server.requests).toHaveLength(1);
  });

  it("a wait for DELETED passes DELETING, which leads there", async () => {
    const { server, client } = scripted;
    server.script(jobIn("JOB_STATE_DELETING"), jobIn("JOB_STATE_DELETED"));
    const job = await waitForRlorTrainerJob(client, "job-1", {
      ...FAST,
      until: ["JOB_STATE_DELETED"],
    });
    expect(job.state).toBe("JOB_STATE_DELETED");
  });
});

describe("default time limits", () => {
  // Only the wait's own clock uses the global setTimeout once the first job is in; the one-hour
  // poll interval keeps the wait asleep until the limit under test runs out.
  async function timeoutAfter(
    start: (onStateChange: () => void) => Promise<unknown>,
    advance: number,
  ): Promise<unknown> {
    let polled: () => void = () => undefined;
    const firstPoll = new Promise<void>((resolve) => {
      polled = resolve;
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const pending = rejection(start(() => polled()));
    await firstPoll;
    await vi.advanceTimersByTimeAsync(advance);
    return (await pending) as unknown;
  }

  const SLOW = { pollInterval: 3_600_000 };

  it.each([
    ["create, outside PENDING", "JOB_STATE_CREATING", DEFAULT_WAIT_TIMEOUT],
    ["create, in PENDING", "JOB_STATE_PENDING", DEFAULT_PENDING_TIMEOUT],
  ])("%s", async (_, state, limit) => {
    const { server, client } = scripted;
    server.script(jobIn(state));
    const error = await timeoutAfter(
      (onStateChange) =>
        createRlorTrainerJobAndWait(client, undefined, {}, { ...SLOW, onStateChange }),
      limit,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ timeout: limit });
  });

  it.each([
    ["a plain wait, outside PENDING", "JOB_STATE_CREATING", DEFAULT_WAIT_TIMEOUT, "timeout"],
    ["a plain wait, in PENDING", "JOB_STATE_PENDING", DEFAULT_PENDING_TIMEOUT, "pendingTimeout"],
  ])("%s", async (_, state, limit, budget) => {
    const { server, client } = scripted;
    server.script(jobIn(state));
    const error = await timeoutAfter(
      (onStateChange) => waitForRlorTrainerJob(client, "job-1", { ...SLOW, onStateChange }),
      limit,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ timeout: limit, budget });
  });

  it("a cancel in PENDING: one clock, all time against `timeout`", async () => {
    const { server, client } = scripted;
    server.script(EMPTY, jobIn("JOB_STATE_PENDING"));
    const error = await timeoutAfter(
      (onStateChange) => cancelRlorTrainerJobAndWait(client, "job-1", { ...SLOW, onStateChange }),
      DEFAULT_CANCEL_TIMEOUT,
    );
    expect(error).toMatchObject({ timeout: DEFAULT_CANCEL_TIMEOUT, budget: "timeout" });
  });

  it.each([
    ["cancel", cancelRlorTrainerJobAndWait, DEFAULT_CANCEL_TIMEOUT],
    ["delete", deleteRlorTrainerJobAndWait, DEFAULT_DELETE_TIMEOUT],
  ] as const)("%s", async (_, helper, limit) => {
    const { server, client } = scripted;
    server.script(EMPTY, jobIn("JOB_STATE_RUNNING"));
    const error = await timeoutAfter(
      (onStateChange) => helper(client, "job-1", { ...SLOW, onStateChange }),
      limit,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ timeout: limit });
  });
});
