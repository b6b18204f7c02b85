import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { errorFromResponse } from "../../src/core/errors.js";
import { createScrubber } from "../../src/core/redact.js";
import {
  APIError,
  type FireworksClient,
  FireworksError,
  getRlorTrainerJob,
  iterateRlorTrainerJobs,
  JobFailedError,
  listRlorTrainerJobs,
  type RlorTrainerJob,
  redactJob,
  resumeRlorTrainerJob,
  WaitTimeoutError,
} from "../../src/index.js";
import { clientOf, type FaultServer, text, useFileFaultServer } from "../helpers/fault-server.js";

// One server and client for the file: a property runs hundreds of calls.
let server: FaultServer;
let client: FireworksClient;
useFileFaultServer((started) => {
  server = started;
  client = clientOf(server);
});

/** Any JSON value, with the fields the library reads (state, status, name, code...) made likely. */
const anyJson = fc.jsonValue({ maxDepth: 4 });
const jobLike = fc.record(
  {
    name: anyJson,
    state: fc.oneof(anyJson, fc.constantFrom("JOB_STATE_RUNNING", "JOB_STATE_FAILED")),
    status: fc.oneof(anyJson, fc.record({ code: anyJson, message: anyJson })),
    wandbConfig: fc.oneof(anyJson, fc.record({ apiKey: anyJson })),
    completedTime: anyJson,
    signedUrl: anyJson,
    rlorTrainerJobs: fc.oneof(anyJson, fc.array(anyJson)),
    nextPageToken: anyJson,
  },
  { requiredKeys: [] },
);
const errorLike = fc.record(
  {
    code: anyJson,
    message: anyJson,
    details: fc.oneof(anyJson, fc.array(anyJson)),
    error: fc.oneof(anyJson, fc.record({ code: anyJson, message: anyJson })),
    request_id: anyJson,
  },
  { requiredKeys: [] },
);
const anyObject = fc.oneof(jobLike, errorLike, fc.dictionary(fc.string(), anyJson));
const anyBody = fc.oneof(anyObject, anyJson);

/** JSON nested far deeper than any real body: deep enough to overflow a recursive walk. */
const DEEP = 200_000;
const deepArray = `${"[".repeat(DEEP)}${"]".repeat(DEEP)}`;
const deepObject = `{"state": ${'{"a":'.repeat(DEEP)}1${"}".repeat(DEEP)}}`;

/** Each call, and the resource name its answer must carry (if it carries one), if any. */
const calls: [string, () => Promise<unknown>, string | undefined][] = [
  ["resume", () => resumeRlorTrainerJob(client, "job-1"), "accounts/acme/rlorTrainerJobs/job-1"],
  ["get", () => getRlorTrainerJob(client, "job-1"), "accounts/acme/rlorTrainerJobs/job-1"],
  ["list", () => listRlorTrainerJobs(client), undefined],
];

const ERROR_STATUSES = fc.constantFrom(400, 401, 403, 404, 409, 412, 429, 500, 502, 503);

async function outcome(
  call: () => Promise<unknown>,
): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await call() };
  } catch (error) {
    return { error };
  }
}

describe("nothing the server sends crashes the library", () => {
  it.each(calls)(
    "%s resolves to any 2xx JSON object, as sent, unless it names another resource",
    async (_name, call, resourceName) => {
      await fc.assert(
        fc.asyncProperty(anyObject, async (body) => {
          server.script(text(200, JSON.stringify(body), { "content-type": "application/json" }));
          const result = await outcome(call);
          const sent = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
          if (resourceName !== undefined && "name" in sent && sent.name !== resourceName) {
            expect(result.error).toMatchObject({ name: "UnexpectedResourceError", status: 200 });
            return;
          }
          expect(result.error).toBeUndefined();
          expect(result.value).toEqual(sent);
        }),
        { numRuns: 60 },
      );
    },
  );

  it.each(calls)(
    "%s throws only FireworksErrors for any error status and body",
    async (_name, call) => {
      await fc.assert(
        fc.asyncProperty(
          ERROR_STATUSES,
          fc.oneof(
            anyBody.map((b) => JSON.stringify(b)),
            fc.string(),
          ),
          async (status, body) => {
            server.script(text(status, body, { "content-type": "application/json" }));
            const { error } = await outcome(call);
            expect(error).toBeInstanceOf(APIError);
            expect((error as APIError).status).toBe(status);
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it.each(calls)("%s turns a 2xx that is no JSON object into an APIError", async (_name, call) => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyJson
            .filter((v) => typeof v !== "object" || v === null || Array.isArray(v))
            .map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        async (body) => {
          server.script(text(200, body, { "content-type": "application/json" }));
          const { error } = await outcome(call);
          // A string that happens to be a JSON object is a valid body; anything else must fail typed.
          if (error !== undefined) expect(error).toBeInstanceOf(APIError);
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each([
    ["an array", deepArray],
    ["an object", deepObject],
  ])(
    "a body nested 200000 levels deep: a typed error on 500, success on 200 (%s)",
    async (_what, body) => {
      server.script(text(500, body));
      const { error } = await outcome(() => getRlorTrainerJob(client, "job-1"));
      expect(error).toBeInstanceOf(APIError);
      expect(() => JSON.stringify(error)).not.toThrow();
      if (body.startsWith("{")) {
        server.script(text(200, body));
        const ok = await outcome(() => getRlorTrainerJob(client, "job-1"));
        expect(ok.error).toBeUndefined();
      }
    },
  );
});

describe("the error and redaction functions take any JSON", () => {
  const scrub = createScrubber(["test-key"]).scrub;

  it("iterateRlorTrainerJobs yields a page's items or throws a FireworksError, for any page", async () => {
    await fc.assert(
      fc.asyncProperty(jobLike, async (page) => {
        // One page: a second request would find nothing scripted and fail the property.
        server.script(
          text(200, JSON.stringify({ ...page, nextPageToken: "" }), {
            "content-type": "application/json",
          }),
        );
        const items: unknown[] = [];
        const error = await (async () => {
          for await (const job of iterateRlorTrainerJobs(client)) items.push(job);
        })().then(
          () => undefined,
          (e: unknown) => e,
        );
        const list = JSON.parse(JSON.stringify(page.rlorTrainerJobs ?? [])) as unknown;
        if (Array.isArray(list))
          expect({ error, items }).toEqual({ error: undefined, items: list });
        else expect(error).toBeInstanceOf(FireworksError);
      }),
      { numRuns: 60 },
    );
  });

  it("errorFromResponse returns an APIError for any status, headers and body", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.dictionary(
          fc.constantFrom("x-request-id", "retry-after", "content-type", "x-a"),
          fc.string({ unit: "grapheme-ascii" }),
        ),
        fc.oneof(
          anyBody.map((b) => JSON.stringify(b)),
          fc.string(),
        ),
        (status, headers, body) => {
          const error = errorFromResponse(
            { status, statusText: "", headers: new Headers(headers) },
            body,
            scrub,
          );
          expect(error).toBeInstanceOf(APIError);
          expect(typeof error.message).toBe("string");
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([deepArray, deepObject])("errorFromResponse on a deeply nested body", (body) => {
    const error = errorFromResponse(
      { status: 400, statusText: "", headers: new Headers() },
      body,
      scrub,
    );
    expect(error).toBeInstanceOf(APIError);
  });

  it("redactJob, JobFailedError and WaitTimeoutError take any job", () => {
    fc.assert(
      fc.property(fc.oneof(jobLike, anyJson), fc.boolean(), (job, deleted) => {
        expect(() => JSON.stringify(redactJob(job))).not.toThrow();
        const failed = new JobFailedError(job as RlorTrainerJob, { deleted, scrub });
        const timedOut = new WaitTimeoutError(job as RlorTrainerJob, 1000, { scrub });
        for (const error of [failed, timedOut]) expect(error).toBeInstanceOf(FireworksError);
        expect(failed.state === undefined || typeof failed.state === "string").toBe(true);
        expect(failed.statusMessage === undefined || typeof failed.statusMessage === "string").toBe(
          true,
        );
      }),
      { numRuns: 300 },
    );
  });

  it("a job whose state is a number: no crash, no state", () => {
    const error = new JobFailedError(
      JSON.parse('{"name": 7, "state": 5, "status": {"message": 3}}'),
    );
    expect(error).toMatchObject({ state: undefined, statusMessage: undefined });
    expect(error.message).toBe("RLOR trainer job (unnamed) failed (no state)");
  });

  it("redactJob cuts JSON nested deeper than 100 levels", () => {
    const deep = JSON.parse(deepObject) as unknown;
    expect(() => JSON.stringify(redactJob(deep))).not.toThrow();
  });
});
