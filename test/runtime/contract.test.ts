import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OPERATIONS } from "../../generated/operation-table.js";
import {
  APIError,
  AuthenticationError,
  type ClientOptions,
  cancelRlorTrainerJob,
  createFireworksClient,
  createRlorTrainerJob,
  deleteRlorTrainerJob,
  executeRlorTrainStep,
  type FireworksClient,
  getRlorTrainerJob,
  getRlorTrainerJobPublicLogs,
  InternalServerError,
  listRlorTrainerJobCheckpoints,
  listRlorTrainerJobs,
  NotFoundError,
  promoteCheckpoint,
  RateLimitError,
  type RlorTrainerJob,
  resumeRlorTrainerJob,
  UnexpectedResourceError,
} from "../../src/index.js";
import { type FaultServer, json, startFaultServer } from "../helpers/fault-server.js";
import { type PrismServer, startPrism } from "../helpers/prism.js";

let prism: PrismServer;
/** Sends through the default `fetch` (globalThis.fetch), the one users get. */
let client: FireworksClient;
/** Sends through a `fetch` option, the other path a request can take. */
let fetchClient: FireworksClient;

/** Status and `sl-violations` header of every response Prism sent. */
const responses: { status: number; violations: string | null }[] = [];

function contractClient(options: ClientOptions = {}): FireworksClient {
  const created = createFireworksClient({
    apiKey: "contract-test-key",
    accountId: "acme",
    baseUrl: prism.url,
    maxRetries: 0,
    ...options,
  });
  // 2xx responses reach middleware; others become errors, whose headers carry Prism's verdict.
  created.fetchClient.use({
    onResponse: ({ response }) => {
      responses.push({
        status: response.status,
        violations: response.headers.get("sl-violations"),
      });
    },
  });
  return created;
}

/** Settles `call`, recording an error response as the middleware records a 2xx one. */
async function settle<T>(call: Promise<T>): Promise<T | APIError> {
  try {
    return await call;
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    responses.push({ status: error.status, violations: error.headers["sl-violations"] ?? null });
    return error;
  }
}

/**
 * Prism answers a read or resume with a job of its own making, whose `name` is not the job's
 * asked for: the client refuses it as another job (a 200 UnexpectedResourceError). Its body is
 * still Prism's answer, validated against the spec.
 */
function isPrismsOwnJob(result: unknown): result is UnexpectedResourceError {
  return result instanceof UnexpectedResourceError && result.status === 200;
}

async function jobOf(call: Promise<RlorTrainerJob>): Promise<RlorTrainerJob> {
  const result = await settle(call);
  if (isPrismsOwnJob(result)) return JSON.parse(result.body) as RlorTrainerJob;
  if (result instanceof APIError) throw result;
  return result;
}

/** A valid call of every operation, by operationId; each also takes per-call headers. */
const CALLS: Readonly<
  Record<string, (client: FireworksClient, headers?: Record<string, string>) => Promise<unknown>>
> = {
  listRlorTrainerJobs: (c, headers) =>
    listRlorTrainerJobs(c, undefined, {
      pageSize: 5,
      filter: 'state="JOB_STATE_RUNNING"',
      headers,
    }),
  createRlorTrainerJob: (c, headers) =>
    createRlorTrainerJob(
      c,
      "accounts/acme",
      { displayName: "contract", dataset: "accounts/acme/datasets/d", keepAlive: true },
      { rlorTrainerJobId: "job-1", headers },
    ),
  getRlorTrainerJob: (c, headers) => getRlorTrainerJob(c, "job-1", { headers }),
  deleteRlorTrainerJob: (c, headers) => deleteRlorTrainerJob(c, "job-1", { headers }),
  resumeRlorTrainerJob: (c, headers) => resumeRlorTrainerJob(c, "job-1", { headers }),
  cancelRlorTrainerJob: (c, headers) => cancelRlorTrainerJob(c, "job-1", { headers }),
  executeRlorTrainStep: (c, headers) =>
    executeRlorTrainStep(
      c,
      "job-1",
      { dataset: "accounts/acme/datasets/step-1", outputModel: "accounts/acme/models/m-1" },
      { headers },
    ),
  listRlorTrainerJobCheckpoints: (c, headers) =>
    listRlorTrainerJobCheckpoints(c, "job-1", { pageSize: 10, headers }),
  getRlorTrainerJobPublicLogs: (c, headers) => getRlorTrainerJobPublicLogs(c, "job-1", { headers }),
  promoteCheckpoint: (c, headers) =>
    promoteCheckpoint(
      c,
      "step-2",
      {
        outputModel: "accounts/acme/models/m-1",
        trainerJobId: "accounts/acme/rlorTrainerJobs/job-1",
        baseModel: "accounts/fireworks/models/qwen3-8b",
      },
      { headers },
    ),
};

function callOf(operationId: string) {
  const call = CALLS[operationId];
  if (call === undefined) throw new Error(`no contract call for ${operationId}`);
  return call;
}

const OPERATION_IDS = OPERATIONS.map((operation) => operation.operationId);

beforeAll(async () => {
  prism = await startPrism();
  client = contractClient();
  fetchClient = contractClient({ fetch: (input, init) => fetch(input, init) });
});
afterAll(async () => {
  await prism?.stop();
});
beforeEach(() => {
  responses.length = 0;
});

function expectValidated(status: number): void {
  expect(responses).toEqual([{ status, violations: null }]);
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
  azureBlobStorageConfig: isObjectOrNull,
  jobProgress: isObjectOrNull,
  purpose: (v) => isString(v) && (v as string).startsWith("PURPOSE_"),
  forwardOnly: isBoolean,
  managedBy: isString,
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
  it("has a call for every operation of the spec", () => {
    expect(Object.keys(CALLS).sort()).toEqual([...OPERATION_IDS].sort());
  });

  it.each(OPERATION_IDS)("%s: a valid call gets no sl-violations", async (operationId) => {
    const result = await settle(callOf(operationId)(client));
    if (!isPrismsOwnJob(result)) expect(result).not.toBeInstanceOf(APIError);
    expectValidated(200);
  });

  it.each([
    ["the default fetch", () => client],
    ["a fetch option", () => fetchClient],
  ])("resume validates and returns a job through %s", async (_transport, clientOf) => {
    expectJob(await jobOf(resumeRlorTrainerJob(clientOf(), "job-1")));
    expectValidated(200);
  });

  it("middleware reads real headers from the default fetch (control for the capture)", async () => {
    const seen: Headers[] = [];
    const probed = contractClient();
    probed.fetchClient.use({ onResponse: ({ response }) => void seen.push(response.headers) });
    // A list: Prism's answer to a resume names a job of its own, refused before middleware.
    await listRlorTrainerJobs(probed);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(Headers);
    expect(seen[0]?.get("content-type")).toMatch(/^application\/json/);
  });

  it("get validates with a full name, readMask, and parts that need percent-encoding", async () => {
    expectJob(
      await jobOf(
        getRlorTrainerJob(client, "accounts/acme/rlorTrainerJobs/job-1", {
          readMask: "name,state",
        }),
      ),
    );
    expectValidated(200);
    responses.length = 0;
    expectJob(
      await jobOf(getRlorTrainerJob(client, { accountId: "acme", rlorTrainerJobId: "job?#%é:1" })),
    );
    expectValidated(200);
  });

  it("Prism's randomly generated jobs parse into our types", async () => {
    for (let i = 0; i < 10; i++) {
      responses.length = 0;
      const job = await jobOf(
        (i % 2 ? getRlorTrainerJob : resumeRlorTrainerJob)(client, "job-1", {
          headers: { prefer: "dynamic=true" },
        }),
      );
      expectJob(job);
      expectValidated(200);
    }
  });

  it.each([
    [404, NotFoundError],
    [401, AuthenticationError],
    [500, InternalServerError],
  ])("the documented %i error body becomes a typed error", async (status, ErrorClass) => {
    const error = await settle(
      getRlorTrainerJob(client, "job-1", { headers: { prefer: `code=${status}` } }),
    );
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({
      status,
      requestId: expect.any(String),
      body: expect.stringMatching(/^\{/),
    });
    expectValidated(status);
  });

  it.each([
    ["the default fetch", () => client],
    ["a fetch option", () => fetchClient],
  ])(
    "the capture sees violations through %s (control: a body the spec forbids)",
    async (_transport, clientOf) => {
      const error = await settle(
        clientOf().fetchClient.POST(
          "/v1/accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}:resume",
          {
            params: { path: { account_id: "acme", rlor_trainer_job_id: "job-1" } },
            body: JSON.parse('{"unexpected": true}') as Record<string, never>,
          },
        ),
      );
      expect(error).toBeInstanceOf(APIError);
      expect(responses).toHaveLength(1);
      expect(responses[0]?.violations).toContain("additional properties");
    },
  );
});

const QUOTA_INFO = {
  "@type": "type.googleapis.com/google.rpc.ErrorInfo",
  reason: "RESOURCE_EXHAUSTED",
  domain: "fireworks.ai",
  metadata: { quota: "concurrent_gpus" },
};
const QUOTA_REASON = {
  reason: "RESOURCE_EXHAUSTED",
  domain: "fireworks.ai",
  metadata: { quota: "concurrent_gpus" },
};
const NO_REASON = { reason: undefined, domain: undefined, metadata: {} };

/** Both error shapes the server sends, as the spec documents them, with and without an ErrorInfo. */
const ERROR_SHAPES = [
  [
    "a gRPC status (404 NOT_FOUND)",
    404,
    { code: 5, message: "resource not found", details: [] },
    NotFoundError,
    "NOT_FOUND",
    "404 NOT_FOUND: resource not found",
    NO_REASON,
  ],
  [
    "a gRPC status with an ErrorInfo (429)",
    429,
    { code: 8, message: "quota exceeded", details: [QUOTA_INFO] },
    RateLimitError,
    "RESOURCE_EXHAUSTED",
    "429 RESOURCE_EXHAUSTED: quota exceeded",
    QUOTA_REASON,
  ],
  [
    "Google's JSON error envelope with an ErrorInfo (429)",
    429,
    {
      error: {
        code: 429,
        message: "quota exceeded",
        status: "RESOURCE_EXHAUSTED",
        details: [QUOTA_INFO],
      },
    },
    RateLimitError,
    "RESOURCE_EXHAUSTED",
    "429 RESOURCE_EXHAUSTED: quota exceeded",
    QUOTA_REASON,
  ],
  [
    "the API-key envelope (401)",
    401,
    {
      error: {
        message: "The API key you provided is invalid.",
        param: null,
        code: "UNAUTHORIZED",
        type: "error",
      },
      request_id: "req-1",
    },
    AuthenticationError,
    "UNAUTHORIZED",
    "401 UNAUTHORIZED: The API key you provided is invalid.",
    NO_REASON,
  ],
] as const;

describe("both error shapes decode into the right error class for every operation", () => {
  let server: FaultServer;
  let faultClient: FireworksClient;
  beforeAll(async () => {
    server = await startFaultServer();
    faultClient = createFireworksClient({
      apiKey: "contract-test-key",
      accountId: "acme",
      baseUrl: server.url,
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(
    OPERATION_IDS.flatMap((operationId) =>
      ERROR_SHAPES.map((shape) => [operationId, ...shape] as const),
    ),
  )("%s: %s", async (operationId, _shape, status, body, ErrorClass, code, message, reason) => {
    server.requests.length = 0;
    server.script(json(status, body));
    const error = await callOf(operationId)(faultClient).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, code, message, afterAmbiguousAttempt: false });
    expect(error).toEqual(expect.objectContaining(reason));
    expect(server.requests).toHaveLength(1);
  });
});
