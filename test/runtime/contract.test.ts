import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  APIError,
  AuthenticationError,
  createFireworksClient,
  type FireworksClient,
  getRlorTrainerJob,
  InternalServerError,
  NotFoundError,
  type RlorTrainerJob,
  resumeRlorTrainerJob,
} from "../../src/index.js";
import { type PrismServer, startPrism } from "../helpers/prism.js";

let prism: PrismServer;
let client: FireworksClient;
/** Headers of every response, captured by a fetch that wraps the global one. */
const responses: { status: number; headers: Headers }[] = [];

beforeAll(async () => {
  prism = await startPrism();
  client = createFireworksClient({
    apiKey: "contract-test-key",
    accountId: "acme",
    baseUrl: prism.url,
    maxRetries: 0,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      responses.push({ status: response.status, headers: response.headers });
      return response;
    },
  });
});
afterAll(async () => {
  await prism?.stop();
});
beforeEach(() => {
  responses.length = 0;
});

function expectValidated(status: number): void {
  expect(responses).toHaveLength(1);
  expect(responses[0]?.status).toBe(status);
  expect(responses[0]?.headers.get("sl-violations")).toBeNull();
}

const isString = (v: unknown) => typeof v === "string";
const isBoolean = (v: unknown) => typeof v === "boolean";
const isInt32 = (v: unknown) =>
  Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31;
const isObjectOrNull = (v: unknown) => v === null || (typeof v === "object" && !Array.isArray(v));
const isStringOrNull = (v: unknown) => v === null || typeof v === "string";

/** One check per field of our type: a field added to the spec fails to compile here until it is checked. */
const jobFieldChecks: { [K in keyof Required<RlorTrainerJob>]: (value: unknown) => boolean } = {
  name: isString,
  displayName: isString,
  createTime: (v) => isString(v) && !Number.isNaN(Date.parse(v as string)),
  completedTime: (v) => v === null || (isString(v) && !Number.isNaN(Date.parse(v as string))),
  dataset: isString,
  evaluationDataset: isString,
  evalAutoCarveout: isBoolean,
  state: (v) => isString(v) && (v as string).startsWith("JOB_STATE_"),
  status: (v) =>
    v === null || (isObjectOrNull(v) && isStringOrNull((v as { code?: unknown }).code ?? null)),
  createdBy: isString,
  trainingConfig: isObjectOrNull,
  rewardWeights: (v) => Array.isArray(v) && v.every(isString),
  wandbConfig: isObjectOrNull,
  awsS3Config: isObjectOrNull,
  keepAlive: isBoolean,
  rolloutDeploymentName: isString,
  lossConfig: isObjectOrNull,
  nodeCount: isInt32,
  acceleratorSeconds: (v) =>
    v === null || (isObjectOrNull(v) && Object.values(v as object).every(isString)),
  serviceMode: isBoolean,
  directRouteHandle: isString,
  hotLoadDeploymentId: isString,
};

function expectJob(job: RlorTrainerJob): void {
  expect(typeof job).toBe("object");
  for (const [field, value] of Object.entries(job)) {
    const check = jobFieldChecks[field as keyof RlorTrainerJob];
    expect
      .soft(check === undefined || check(value), `${field}: ${JSON.stringify(value)}`)
      .toBe(true);
  }
}

describe("contract with the spec (Prism mock)", () => {
  it("resume validates and returns a job", async () => {
    expectJob(await resumeRlorTrainerJob(client, "job-1"));
    expectValidated(200);
  });

  it("get validates with a full name, readMask, and parts that need percent-encoding", async () => {
    expectJob(
      await getRlorTrainerJob(client, "accounts/acme/rlorTrainerJobs/job-1", {
        readMask: "name,state",
      }),
    );
    expectValidated(200);
    responses.length = 0;
    expectJob(
      await getRlorTrainerJob(client, { accountId: "acme", rlorTrainerJobId: "job?#%é:1" }),
    );
    expectValidated(200);
  });

  it("Prism's randomly generated jobs parse into our types", async () => {
    for (let i = 0; i < 10; i++) {
      responses.length = 0;
      const job = await (i % 2 ? getRlorTrainerJob : resumeRlorTrainerJob)(client, "job-1", {
        headers: { prefer: "dynamic=true" },
      });
      expectJob(job);
      expectValidated(200);
    }
  });

  it.each([
    [404, NotFoundError],
    [401, AuthenticationError],
    [500, InternalServerError],
  ])("the documented %i error body becomes a typed error", async (status, ErrorClass) => {
    const error = await getRlorTrainerJob(client, "job-1", {
      headers: { prefer: `code=${status}` },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({
      status,
      requestId: expect.any(String),
      body: expect.stringMatching(/^\{/),
    });
    expectValidated(status);
  });

  it("the capture sees violations (control: a body the spec forbids)", async () => {
    const error = await client
      .POST("/v1/accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}:resume", {
        params: { path: { account_id: "acme", rlor_trainer_job_id: "job-1" } },
        body: JSON.parse('{"unexpected": true}') as Record<string, never>,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(responses[0]?.headers.get("sl-violations")).toContain("additional properties");
  });
});
