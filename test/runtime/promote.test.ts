import { afterEach, describe, expect, it } from "vitest";
import {
  CheckpointNotPromotableError,
  createFireworksClient,
  type FireworksClient,
  InvalidArgumentError,
  listPromotableCheckpoints,
  promoteRlorTrainerJobCheckpoint,
} from "../../src/index.js";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";

// The promote helpers read the checkpoint list and the promote's answer as server input.

let fake: FakeFireworks | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const JOB = "accounts/acme/rlorTrainerJobs/job-1";

async function start(checkpoints: unknown[]): Promise<FireworksClient> {
  fake = await startFakeFireworks({ accountId: "acme", jobs: [{ id: "job-1", checkpoints: 4 }] });
  fake.handle("listRlorTrainerJobCheckpoints", () => ({ body: { checkpoints } }));
  return createFireworksClient({
    apiKey: fake.apiKey,
    accountId: "acme",
    baseUrl: fake.baseUrl,
    maxRetries: 0,
  });
}

describe("listPromotableCheckpoints", () => {
  it("keeps only objects named as this job's checkpoints with promotable: true, newest first", async () => {
    const client = await start([
      null,
      "step-9",
      { name: `${JOB}/checkpoints/step-1`, promotable: "true" },
      { name: "accounts/acme/rlorTrainerJobs/job-2/checkpoints/step-2", promotable: true },
      { name: `${JOB}/checkpoints/bad id`, promotable: true },
      { name: 42, promotable: true },
      { name: `${JOB}/checkpoints/step-3`, promotable: true, createTime: "not a time" },
      { name: `${JOB}/checkpoints/step-4`, promotable: true, createTime: "2026-12-01T00:04:00Z" },
    ]);
    const promotable = await listPromotableCheckpoints(client, "job-1");
    expect(promotable.map((each) => each.id)).toEqual(["step-4", "step-3"]);
  });
});

describe("promoteRlorTrainerJobCheckpoint", () => {
  it("takes an answer without a model object as no model", async () => {
    const client = await start([{ name: `${JOB}/checkpoints/step-2`, promotable: true }]);
    fake?.handle("promoteCheckpoint", () => ({ body: { model: "not an object" } }));
    const result = await promoteRlorTrainerJobCheckpoint(client, "job-1", {
      outputModel: "m",
      baseModel: "accounts/fireworks/models/b",
    });
    expect(result).toMatchObject({ model: undefined, outputModel: "accounts/acme/models/m" });
    expect(result.checkpoint.id).toBe("step-2");
  });

  it("refuses a checkpoint that is not a string before any request", async () => {
    const client = await start([]);
    const error = await promoteRlorTrainerJobCheckpoint(client, "job-1", {
      checkpoint: 7 as unknown as string,
      outputModel: "m",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(fake?.requests).toHaveLength(0);
  });

  it("says which checkpoints can be promoted in the error's fields", async () => {
    const client = await start([
      {
        name: `${JOB}/checkpoints/step-1`,
        promotable: false,
        checkpointType: "CHECKPOINT_TYPE_TRAINING",
      },
      { name: `${JOB}/checkpoints/step-2`, promotable: true, createTime: "2026-12-01T00:02:00Z" },
    ]);
    const error = await promoteRlorTrainerJobCheckpoint(client, JOB, {
      checkpoint: "step-1",
      outputModel: "m",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointNotPromotableError);
    expect(error).toMatchObject({ job: JOB, checkpointId: "step-1", promotable: ["step-2"] });
    expect(fake?.requests.map((request) => request.method)).toEqual(["GET"]);
  });
});
