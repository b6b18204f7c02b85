import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../generated/operation-table.js";
import type { OperationEntry } from "../../generated/runtime.js";
import { serveFake } from "../../src/testing/fake-server.js";
import { startFakeFireworks } from "../../src/testing/index.js";
import { send, useFake } from "./fake-setup.js";

const start = useFake();

/** A request of each operation of the table, ids filled in. */
function requestOf(entry: OperationEntry): { method: string; path: string } {
  const path = entry.path.replace("{account_id}", "acme").replace("{rlor_trainer_job_id}", "job-1");
  return { method: entry.method, path };
}

/** An operation the spec does not have yet, as a newer table would list it. */
const METRICS: OperationEntry = {
  ...(OPERATIONS.find((entry) => entry.operationId === "getRlorTrainerJob") as OperationEntry),
  operationId: "getRlorTrainerJobMetrics",
  path: "/v1/accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}/metrics",
  query: [{ name: "window", type: '"1h" | "1d"', required: false, description: undefined }],
};

describe("routing from the operation table", () => {
  it("serves every operation of the table: none answers 501", async () => {
    const { fake } = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING" }] });
    const unimplemented: string[] = [];
    for (const entry of OPERATIONS) {
      const { method, path } = requestOf(entry);
      const response = await send(fake, method, path, entry.body === "none" ? undefined : "{}");
      if (response.status === 501) unimplemented.push(entry.operationId);
    }
    expect(unimplemented).toEqual([]);
    expect(fake.requests).toHaveLength(OPERATIONS.length);
  });

  it("answers an operation without behaviour 501 UNIMPLEMENTED, until it is given one", async () => {
    const { fake } = await start({ jobs: [{ id: "job-1" }] }, (options) =>
      serveFake(options, [...OPERATIONS, METRICS]),
    );
    const path = "/v1/accounts/acme/rlorTrainerJobs/job-1/metrics";
    expect(await send(fake, "GET", path)).toMatchObject({ status: 501, body: { code: 12 } });
    fake.handle("getRlorTrainerJobMetrics", ({ params, query }) => ({
      body: { job: params.rlor_trainer_job_id, window: query.window ?? "all" },
    }));
    expect(await send(fake, "GET", `${path}?window=1d`)).toEqual({
      status: 200,
      body: { job: "job-1", window: "1d" },
    });
    // The table's checks hold for the new operation too: its query type, its path ids.
    expect(await send(fake, "GET", `${path}?window=1w`)).toMatchObject({ status: 400 });
    expect(await send(fake, "GET", `${path.replace("job-1", "job%201")}`)).toMatchObject({
      status: 400,
    });
  });

  it("refuses a behaviour for an operationId the table does not have", async () => {
    const { fake } = await start();
    expect(() => fake.handle("getRlorTrainerJobMetrics", () => ({}))).toThrow(
      /no operation "getRlorTrainerJobMetrics"/,
    );
    await expect(
      startFakeFireworks({ behaviours: { getRlorTrainerJobMetrics: () => ({}) } }),
    ).rejects.toThrow(/operation table/);
  });

  it("answers an unknown path 404 and a known path with another method 405", async () => {
    const { fake } = await start({ jobs: [{ id: "job-1" }] });
    expect(await send(fake, "GET", "/v1/accounts/acme/rlorTrainerJobs/job-1:pause")).toMatchObject({
      status: 404,
      body: { code: 5 },
    });
    expect(await send(fake, "GET", "/v1/accounts/acme/rlorTrainerJobs/job-1:cancel")).toMatchObject(
      { status: 405, body: { code: 12 } },
    );
    expect(await send(fake, "PATCH", "/v1/accounts/acme/rlorTrainerJobs/job-1")).toMatchObject({
      status: 405,
    });
  });

  it.each(OPERATIONS.map((entry) => [entry.operationId, entry] as const))(
    "checks the job id in the path of %s: 400 INVALID_ARGUMENT",
    async (_, entry) => {
      const { fake } = await start({ jobs: [{ id: "job-1" }] });
      const { method, path } = requestOf(entry);
      const bad = entry.path.includes("{rlor_trainer_job_id}")
        ? path.replace("job-1", "job%00")
        : path.replace("acme", "ac%20me");
      const response = await send(fake, method, bad, entry.body === "none" ? undefined : "{}");
      expect(response).toMatchObject({ status: 400, body: { code: 3, details: [] } });
    },
  );

  it.each([
    ["cancel", ":cancel", '{"force":true}', 'proto: (line 1:2): unknown field "force"'],
    ["resume", ":resume", "[]", "proto: syntax error (line 1:1): unexpected token"],
    [
      "executeTrainStep",
      ":executeTrainStep",
      '"x"',
      "proto: syntax error (line 1:1): unexpected token",
    ],
  ])("refuses a %s body the gateway would not read", async (_, verb, body, message) => {
    const { fake } = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING" }] });
    const response = await send(
      fake,
      "POST",
      `/v1/accounts/acme/rlorTrainerJobs/job-1${verb}`,
      body,
    );
    expect(response).toEqual({ status: 400, body: { code: 3, message, details: [] } });
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_RUNNING");
  });

  it("takes a resume with no body at all, as the training SDK sends it", async () => {
    const { fake } = await start({ jobs: [{ id: "job-1" }] });
    const response = await send(fake, "POST", "/v1/accounts/acme/rlorTrainerJobs/job-1:resume");
    expect(response).toMatchObject({ status: 200, body: { state: "JOB_STATE_PAUSED" } });
  });

  it("refuses a create id the client would refuse to send", async () => {
    const { fake } = await start();
    const response = await send(
      fake,
      "POST",
      "/v1/accounts/acme/rlorTrainerJobs?rlorTrainerJobId=..",
      "{}",
    );
    expect(response).toMatchObject({ status: 400, body: { code: 3 } });
  });
});
