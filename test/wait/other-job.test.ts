import { describe, expect, it } from "vitest";
import {
  APIError,
  cancelRlorTrainerJobAndWait,
  getRlorTrainerJob,
  resumeRlorTrainerJob,
  resumeRlorTrainerJobAndWait,
  waitForRlorTrainerJob,
} from "../../src/index.js";
import { runInProcess } from "../cli/in-process.js";
import {
  calls,
  EMPTY,
  FAST,
  JOB_NAME,
  jobIn,
  rejection,
  rpcError,
  useScriptedServer,
} from "./scripted.js";

// A server that answers with another job than the one asked for (another id, or the same id in
// another account) must never have that job taken for ours: not by a read, a wait, a resume, a
// lifecycle helper or the command line.

const scripted = useScriptedServer();
const JOB_PATH = `/v1/${JOB_NAME}`;
const OTHER_ID = "accounts/acme/rlorTrainerJobs/job-2";
const OTHER_ACCOUNT = "accounts/globex/rlorTrainerJobs/job-1";

/** The answer is a 200 the client refused: an APIError naming both jobs, not the job. */
function expectOtherJob(error: unknown, other: string): void {
  expect(error).toBeInstanceOf(APIError);
  expect(error).toMatchObject({ name: "UnexpectedResourceError", status: 200 });
  expect((error as Error).message).toBe(
    `200 OK: the answer names "${other}", not "${JOB_NAME}", the resource asked for`,
  );
}

describe.each([
  ["another id", OTHER_ID],
  ["another account", OTHER_ACCOUNT],
])("a job of %s", (_what, other) => {
  it("is refused by a read, not retried", async () => {
    const { server, client } = scripted;
    server.script(jobIn("JOB_STATE_RUNNING", { name: other }));
    expectOtherJob(await rejection(getRlorTrainerJob(client, "job-1", { maxRetries: 2 })), other);
    expect(calls(server)).toEqual([`GET ${JOB_PATH}`]);
  });

  it("ends waitForRlorTrainerJob with the error, not with that job", async () => {
    const { server, client } = scripted;
    server.script(jobIn("JOB_STATE_PENDING"), jobIn("JOB_STATE_RUNNING", { name: other }));
    expectOtherJob(await rejection(waitForRlorTrainerJob(client, "job-1", FAST)), other);
    expect(calls(server)).toEqual([`GET ${JOB_PATH}`, `GET ${JOB_PATH}`]);
  });

  it("as the resume's answer ends resumeRlorTrainerJobAndWait before any poll", async () => {
    const { server, client } = scripted;
    server.script(jobIn("JOB_STATE_RUNNING", { name: other }));
    expectOtherJob(await rejection(resumeRlorTrainerJobAndWait(client, "job-1", FAST)), other);
    expect(calls(server)).toEqual([`POST ${JOB_PATH}:resume`]);
  });

  it("read after a refused resume is no sign the job already runs: the refusal is thrown", async () => {
    const { server, client } = scripted;
    server.script(
      rpcError(400, 9, "job is not paused"),
      jobIn("JOB_STATE_RUNNING", { name: other }),
    );
    const error = await rejection(resumeRlorTrainerJobAndWait(client, "job-1", FAST));
    expect(error).toMatchObject({
      name: "BadRequestError",
      message: "400 FAILED_PRECONDITION: job is not paused",
    });
    expect(calls(server)).toEqual([`POST ${JOB_PATH}:resume`, `GET ${JOB_PATH}`]);
  });

  it("polled after a cancel ends cancelRlorTrainerJobAndWait with the error", async () => {
    const { server, client } = scripted;
    server.script(EMPTY, jobIn("JOB_STATE_CANCELLED", { name: other }));
    expectOtherJob(await rejection(cancelRlorTrainerJobAndWait(client, "job-1", FAST)), other);
    expect(calls(server)).toEqual([`POST ${JOB_PATH}:cancel`, `GET ${JOB_PATH}`]);
  });

  it.each([
    ["get", ["get", "job-1"]],
    ["wait", ["wait", "job-1", "--poll-interval", "1ms"]],
  ])("makes the CLI's %s exit 1 and print no job", async (_command, args) => {
    const { server } = scripted;
    server.script(jobIn("JOB_STATE_RUNNING", { name: other }));
    const result = await runInProcess([...args, "--max-retries", "0"], {
      env: {
        FIREWORKS_API_KEY: "fw-test-key",
        FIREWORKS_ACCOUNT_ID: "acme",
        FIREWORKS_BASE_URL: server.url,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      `fireworks-rlor: UnexpectedResourceError: 200 OK: the answer names "${other}", not "${JOB_NAME}"`,
    );
  });
});

describe("the answer's name", () => {
  it("may be left out (a read mask without name): the job is returned", async () => {
    const { server, client } = scripted;
    server.script(jobIn("JOB_STATE_RUNNING", { name: undefined }));
    await expect(getRlorTrainerJob(client, "job-1", { readMask: "state" })).resolves.toEqual({
      state: "JOB_STATE_RUNNING",
      wandbConfig: { enabled: true, apiKey: "wandb-secret", project: "p" },
      acceleratorSeconds: { NVIDIA_H100_80GB: "3600" },
      completedTime: null,
    });
  });

  it("is compared decoded, as the id was given (percent-encoding is the URL's, not the name's)", async () => {
    const { server, client } = scripted;
    const id = "job?#%é:1";
    const name = `accounts/acme/rlorTrainerJobs/${id}`;
    server.script(jobIn("JOB_STATE_RUNNING", { name }));
    await expect(resumeRlorTrainerJob(client, name)).resolves.toMatchObject({ name });
    expect(server.requests[0]?.url).toBe(
      `/v1/accounts/acme/rlorTrainerJobs/${encodeURIComponent(id)}:resume`,
    );
  });

  it("of another type than a string is refused", async () => {
    const { server, client } = scripted;
    server.script(jobIn("JOB_STATE_RUNNING", { name: 42 }));
    const error = await rejection(getRlorTrainerJob(client, "job-1"));
    expect(error).toMatchObject({ name: "UnexpectedResourceError", status: 200 });
    expect(error.message).toContain("the answer names a number");
  });
});
