import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeFireworks,
  type FakeFireworksOptions,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { runAgainst } from "./in-process.js";

// `promote` and what `delete` says first, against the fake server. The fake's checkpoints
// alternate training (not promotable) and inference LoRA (promotable), one minute apart: of
// 250, step-250 is the newest promotable one, on the second page of 200.

let server: FakeFireworks | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: FakeFireworksOptions = {}): Promise<FakeFireworks> {
  server = await startFakeFireworks({ accountId: "acme", ...options });
  return server;
}

const run = runAgainst;

const JOB = "accounts/acme/rlorTrainerJobs/job-1";

/** The promotes the server received: method, path and body. */
function promotes(fake: FakeFireworks): { url: string; body: unknown }[] {
  return fake.requests
    .filter((request) => request.url.includes(":promote"))
    .map((request) => ({
      url: `${request.method} ${request.url}`,
      body: JSON.parse(request.body),
    }));
}

describe("fireworks-rlor promote", () => {
  it("--latest promotes the newest promotable checkpoint, read over every page", async () => {
    const fake = await start({ jobs: [{ id: "job-1", checkpoints: 250 }] });
    const result = await run(fake, [
      "promote",
      "job-1",
      "--latest",
      "--output-model",
      "best",
      "-o",
      "json",
    ]);
    expect(result.stderr).toContain(
      `Promoted checkpoint step-250 of job-1 to accounts/acme/models/best`,
    );
    expect(result.code).toBe(0);
    expect(promotes(fake)).toEqual([
      {
        url: "POST /v1/accounts/acme/checkpoints/step-250:promote",
        // The base model is the job's trainingConfig.baseModel.
        body: {
          outputModel: "accounts/acme/models/best",
          trainerJobId: JOB,
          baseModel: "accounts/fireworks/models/qwen3-8b",
        },
      },
    ]);
    const listed = fake.requests.filter((request) => request.url.includes("/checkpoints?"));
    expect(listed).toHaveLength(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      name: "accounts/acme/models/best",
      state: "READY",
      kind: "HF_PEFT_ADDON",
      peftDetails: { baseModel: "accounts/fireworks/models/qwen3-8b" },
    });
  });

  it("--latest goes by createTime, not by the order of the list", async () => {
    const fake = await start({ jobs: [{ id: "job-1", checkpoints: 7 }] });
    // Neither the first nor the last promotable one listed is the newest.
    const checkpoint = (step: number, minute: string, promotable: boolean) => ({
      name: `${JOB}/checkpoints/step-${step}`,
      createTime: `2026-12-01T00:${minute}Z`,
      promotable,
    });
    fake.handle("listRlorTrainerJobCheckpoints", () => ({
      body: {
        checkpoints: [
          checkpoint(2, "02:00", true),
          checkpoint(6, "06:00.000001", true),
          checkpoint(7, "07:00", false),
          checkpoint(4, "04:00", true),
        ],
      },
    }));
    const result = await run(fake, ["promote", "job-1", "--latest", "--output-model", "m"]);
    expect(result.code).toBe(0);
    expect(promotes(fake).map((p) => p.url)).toEqual([
      "POST /v1/accounts/acme/checkpoints/step-6:promote",
    ]);
  });

  it("--checkpoint with --base-model sends them as given, without reading the job", async () => {
    const fake = await start({ jobs: [{ id: "job-1", checkpoints: 4 }] });
    const result = await run(fake, [
      "promote",
      JOB,
      "--checkpoint",
      `${JOB}/checkpoints/step-2`,
      "--output-model",
      "accounts/acme/models/step-2-model",
      "--base-model",
      "accounts/fireworks/models/qwen3-8b-instruct",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Name +accounts\/acme\/models\/step-2-model$/m);
    expect(promotes(fake)).toEqual([
      {
        url: "POST /v1/accounts/acme/checkpoints/step-2:promote",
        body: {
          outputModel: "accounts/acme/models/step-2-model",
          trainerJobId: JOB,
          baseModel: "accounts/fireworks/models/qwen3-8b-instruct",
        },
      },
    ]);
    expect(fake.requests.some((request) => request.url === `/v1/${JOB}`)).toBe(false);
  });

  it("refuses a non-promotable checkpoint with no promote sent, listing the promotable ones", async () => {
    const fake = await start({ jobs: [{ id: "job-1", checkpoints: 5 }] });
    const result = await run(fake, [
      "promote",
      "job-1",
      "--checkpoint",
      "step-3",
      "--output-model",
      "m",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `CheckpointNotPromotableError: Checkpoint "step-3" (CHECKPOINT_TYPE_TRAINING_LORA) cannot be promoted; promotable checkpoints of ${JOB}, newest first: step-4, step-2`,
    );
    // Only the checkpoint list was read: nothing that changes anything was sent.
    expect(promotes(fake)).toEqual([]);
    expect(fake.requests.map((request) => request.method)).toEqual(["GET"]);
  });

  it("refuses a checkpoint the job does not have, and --latest on a job with none promotable", async () => {
    const fake = await start({
      jobs: [
        { id: "job-1", checkpoints: 5 },
        { id: "job-2", checkpoints: 1 },
      ],
    });
    const missing = await run(fake, [
      "promote",
      "job-1",
      "--checkpoint",
      "step-9",
      "--output-model",
      "m",
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `Checkpoint "step-9" is not among the checkpoints of ${JOB}; promotable checkpoints of ${JOB}, newest first: step-4, step-2`,
    );
    const none = await run(fake, ["promote", "job-2", "--latest", "--output-model", "m"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      "No checkpoint to promote; accounts/acme/rlorTrainerJobs/job-2 has no promotable checkpoint",
    );
    expect(promotes(fake)).toEqual([]);
  });

  it.each([
    [
      ["promote", "job-1", "--output-model", "m"],
      "promote: choose the checkpoint: --checkpoint <id> or --latest",
    ],
    [
      ["promote", "job-1", "--latest", "--checkpoint", "step-2", "--output-model", "m"],
      "promote: choose one",
    ],
    [
      ["promote", "job-1", "job-2", "--latest", "--output-model", "m"],
      "promote takes one job, got 2",
    ],
    [["promote", "job-1", "--latest"], "promote: --output-model is required"],
    [
      ["promote", "job-1", "--latest", "--output-model", "bad model"],
      'Invalid model id "bad model"',
    ],
    [
      ["promote", "job-1", "--latest", "--output-model", "accounts/acme/datasets/d"],
      "Invalid model name",
    ],
    [
      ["promote", "job-1", "--checkpoint", "step 1", "--output-model", "m"],
      'Invalid checkpoint id "step 1"',
    ],
    [
      [
        "promote",
        "job-1",
        "--checkpoint",
        "accounts/acme/rlorTrainerJobs/job-2/checkpoints/step-2",
        "--output-model",
        "m",
      ],
      `is not one of ${JOB}`,
    ],
  ])("refuses %j before any request", async (args, message) => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(fake.requests).toHaveLength(0);
  });

  it("--dry-run checks the arguments, prints the checkpoint list request, and sends nothing", async () => {
    const fake = await start({ jobs: [{ id: "job-1", checkpoints: 2 }] });
    const result = await run(fake, [
      "promote",
      "job-1",
      "--latest",
      "--output-model",
      "m",
      "--dry-run",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("GET http://127.0.0.1:");
    expect(result.stdout).toContain(
      "/v1/accounts/acme/rlorTrainerJobs/job-1/checkpoints?pageSize=200",
    );
    expect(result.stderr).toContain(
      "(dry run: the promote of the newest promotable checkpoint to m would follow, if the job's checkpoint list shows it promotable)",
    );
    const bad = await run(fake, [
      "promote",
      "job-1",
      "--checkpoint",
      "a b",
      "--output-model",
      "m",
      "--dry-run",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(fake.requests).toHaveLength(0);
  });

  it("sends a promote once: a failure after it may have arrived is reported, not retried", async () => {
    const fake = await start({ jobs: [{ id: "job-1", checkpoints: 2 }] });
    fake.handle("promoteCheckpoint", () => ({ status: 503, body: { code: 14, message: "busy" } }));
    const result = await run(fake, [
      "promote",
      "job-1",
      "--latest",
      "--output-model",
      "m",
      "--base-model",
      "accounts/f/models/b",
    ]);
    expect(result.code).toBe(1);
    expect(promotes(fake)).toHaveLength(1);
  });

  it("the fake refuses what the real server would: a second promote to one model, a non-promotable checkpoint", async () => {
    const fake = await start({ jobs: [{ id: "job-1", checkpoints: 2 }] });
    const args = ["promote", "job-1", "--latest", "--output-model", "m"];
    expect((await run(fake, args)).code).toBe(0);
    const again = await run(fake, args);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      "409 ALREADY_EXISTS: Model accounts/acme/models/m already exists",
    );
    const direct = await fetch(`${fake.baseUrl}/v1/accounts/acme/checkpoints/step-1:promote`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        outputModel: "accounts/acme/models/x",
        trainerJobId: JOB,
        baseModel: "accounts/f/models/b",
      }),
    });
    expect(direct.status).toBe(400);
    expect(await direct.json()).toMatchObject({
      code: 9,
      message: expect.stringContaining("not promotable"),
    });
    const incomplete = await fetch(`${fake.baseUrl}/v1/accounts/acme/checkpoints/step-2:promote`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ outputModel: "accounts/acme/models/y", trainerJobId: JOB }),
    });
    expect(incomplete.status).toBe(400);
    expect(await incomplete.json()).toMatchObject({
      message: 'missing required field "baseModel"',
    });
  });
});

describe("fireworks-rlor delete, with promotable checkpoints", () => {
  it("prints them newest first, with the promote to run, on stderr before the delete", async () => {
    const fake = await start({ jobs: [{ id: "job-1", checkpoints: 5 }] });
    const result = await run(fake, ["delete", "job-1", "-o", "json"]);
    expect(result.code).toBe(0);
    const lines = result.stderr.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "job-1 has 2 promotable checkpoints (newest first); deleting the job loses them:",
      expect.stringMatching(/^ {2}step-4 {2}\S+ {2}INFERENCE_LORA$/),
      expect.stringMatching(/^ {2}step-2 {2}\S+ {2}INFERENCE_LORA$/),
      "To keep one as a model, promote it first: fireworks-rlor promote job-1 --latest --output-model <model>",
    ]);
    // stdout is the delete's, as before; the checkpoints were listed before the delete was sent.
    expect(JSON.parse(result.stdout)).toEqual({ name: JOB });
    expect(fake.requests.map((request) => request.method)).toEqual(["GET", "DELETE"]);
  });

  it("says nothing for a job without promotable checkpoints, and leaves a 404 to the delete", async () => {
    const fake = await start({ jobs: [{ id: "job-1", checkpoints: 1 }] });
    const quiet = await run(fake, ["delete", "job-1"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain("promotable");
    const gone = await run(fake, ["delete", "job-9"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("404 NOT_FOUND");
    expect(gone.stderr).not.toContain("checkpoints");
  });

  it("--wait still follows the delete to DELETED", async () => {
    const fake = await start({ jobs: [{ id: "job-1", checkpoints: 2 }] });
    const result = await run(fake, [
      "delete",
      "job-1",
      "--wait",
      "--poll-interval",
      "20ms",
      "-o",
      "json",
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("job-1 has 1 promotable checkpoint (newest first)");
    expect(JSON.parse(result.stdout)).toMatchObject({ name: JOB, state: "JOB_STATE_DELETED" });
  });
});
