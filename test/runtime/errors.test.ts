import { describe, expect, expectTypeOf, it } from "vitest";
import {
  APIError,
  type APIErrorCode,
  type APIErrorName,
  AuthenticationError,
  BadRequestError,
  FireworksError,
  getRlorTrainerJob,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  resumeRlorTrainerJob,
  WaitTimeoutError,
} from "../../src/index.js";
import {
  clientOf,
  type FaultServer,
  json,
  redirect,
  startFaultServer,
  text,
  useFaultServer,
} from "../helpers/fault-server.js";

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});

const client = () => clientOf(server);

async function errorOf(promise: Promise<unknown>): Promise<APIError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(APIError);
  expect(error).toBeInstanceOf(FireworksError);
  return error as APIError;
}

describe("gRPC-gateway error bodies", () => {
  it("maps a 404 with the numeric code to NotFoundError with every field", async () => {
    const body = {
      code: 5,
      message: "RlorTrainerJob accounts/acme/rlorTrainerJobs/job-1 not found",
      details: [{ "@type": "type.googleapis.com/google.rpc.ResourceInfo", resourceName: "job-1" }],
    };
    server.script(json(404, body, { "x-request-id": "9f1c0c1e-req" }));
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      name: "NotFoundError",
      status: 404,
      code: "NOT_FOUND",
      message: "404 NOT_FOUND: RlorTrainerJob accounts/acme/rlorTrainerJobs/job-1 not found",
      details: body.details,
      requestId: "9f1c0c1e-req",
      body: JSON.stringify(body),
    });
    expect(error.headers["content-type"]).toBe("application/json");
  });

  it.each([
    [400, 3, BadRequestError, "INVALID_ARGUMENT"],
    [400, 9, BadRequestError, "FAILED_PRECONDITION"],
    [403, 7, PermissionDeniedError, "PERMISSION_DENIED"],
    [429, 8, RateLimitError, "RESOURCE_EXHAUSTED"],
    [500, 13, InternalServerError, "INTERNAL"],
    [401, 16, AuthenticationError, "UNAUTHENTICATED"],
  ])("maps %i with code %i", async (status, code, ErrorClass, name) => {
    server.script(json(status, { code, message: "", details: [] }));
    const error = await errorOf(resumeRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(ErrorClass);
    // An empty server message leaves the status and the code name, which still say what happened.
    expect(error).toMatchObject({ status, code: name, message: `${status} ${name}`, details: [] });
  });
});

describe("the API-key envelope", () => {
  it("maps a 401 envelope to AuthenticationError, request id from the body", async () => {
    const body = {
      error: {
        message: "The API key you provided is invalid.",
        param: null,
        code: "UNAUTHORIZED",
        type: "error",
      },
      request_id: "3d0e2a52-body",
    };
    server.script(json(401, body));
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({
      status: 401,
      code: "UNAUTHORIZED",
      message: "401 UNAUTHORIZED: The API key you provided is invalid.",
      requestId: "3d0e2a52-body",
      details: [],
    });
  });

  it("prefers the x-request-id header", async () => {
    server.script(
      json(
        401,
        { error: { message: "no" }, request_id: "from-body" },
        { "x-request-id": "from-header" },
      ),
    );
    expect((await errorOf(getRlorTrainerJob(client(), "job-1"))).requestId).toBe("from-header");
  });
});

describe("bodies that are not the documented shapes", () => {
  it.each([
    [
      502,
      "<html><head><title>502</title></head><body><h1>Bad gateway</h1> cloudflare</body></html>",
      "text/html",
      InternalServerError,
      "502 Bad Gateway: response body is not JSON (text/html): 502 Bad gateway cloudflare",
    ],
    [
      503,
      "",
      "application/json",
      InternalServerError,
      "503 Service Unavailable: empty response body",
    ],
    [
      500,
      '{"code": 13, "mess',
      "application/json",
      InternalServerError,
      '500 Internal Server Error: response body is not JSON (application/json): {"code": 13, "mess',
    ],
    [
      400,
      "bad request: field foo",
      "text/plain",
      BadRequestError,
      "400 Bad Request: response body is not JSON (text/plain): bad request: field foo",
    ],
    [
      404,
      '{"unexpected": true}',
      "application/json",
      NotFoundError,
      '404 Not Found: unrecognised error body: {"unexpected": true}',
    ],
    [
      418,
      "teapot",
      "text/plain",
      APIError,
      "418 I'm a Teapot: response body is not JSON (text/plain): teapot",
    ],
  ])("%i with %j (%s)", async (status, body, type, ErrorClass, message) => {
    server.script(text(status, body, { "content-type": type }));
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, code: undefined, message, body });
  });

  it("cuts a long HTML page down in the message but keeps it whole in body", async () => {
    const page = `<html><body>${"x".repeat(5000)}</body></html>`;
    server.script(text(500, page, { "content-type": "text/html" }));
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error.message.length).toBeLessThan(300);
    expect(error.body).toBe(page);
  });

  it("an empty body without content-type", async () => {
    server.script(text(404, ""));
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ message: "404 Not Found: empty response body", body: "" });
  });
});

describe("redirects", () => {
  it("refuses a redirect to another origin and sends nothing there", async () => {
    const other = await startFaultServer("localhost");
    try {
      server.script(redirect(307, `${other.url}/v1/accounts/acme/rlorTrainerJobs/job-1:resume`));
      const error = await errorOf(resumeRlorTrainerJob(client(), "job-1"));
      expect(error.status).toBe(307);
      expect(error.message).toBe(
        `307 Temporary Redirect: refused to follow a redirect to ${other.url}: the API does not redirect, and the API key is only sent to ${server.url}`,
      );
      expect(server.requests).toHaveLength(1);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it("refuses a redirect to another port of the same host", async () => {
    const other = await startFaultServer();
    try {
      server.script(redirect(302, `${other.url}/elsewhere`));
      expect((await errorOf(getRlorTrainerJob(client(), "job-1"))).status).toBe(302);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it("refuses a same-origin 307: an APIError with the status, nothing sent to the Location", async () => {
    server.script(redirect(307, "/v2/moved:resume"));
    const error = await errorOf(resumeRlorTrainerJob(client(), "job-1"));
    expect(error.status).toBe(307);
    expect(error.message).toBe(
      `307 Temporary Redirect: refused to follow a redirect to ${server.url}: the API does not redirect, and the API key is only sent to ${server.url}`,
    );
    expect(server.requests.map((r) => [r.method, r.url, r.body, r.headers.authorization])).toEqual([
      ["POST", "/v1/accounts/acme/rlorTrainerJobs/job-1:resume", "{}", "Bearer test-key"],
    ]);
  });

  it("refuses a same-origin 303 instead of turning it into a GET", async () => {
    server.script(redirect(303, "/v1/accounts/acme/rlorTrainerJobs/job-1"));
    const error = await errorOf(resumeRlorTrainerJob(client(), "job-1"));
    expect(error.status).toBe(303);
    expect(error.message).toMatch(/^303 See Other: refused to follow a redirect/);
    expect(server.requests.map((r) => r.method)).toEqual(["POST"]);
  });

  it("does not retry a redirect (no loop even with retries allowed)", async () => {
    server.script(...Array.from({ length: 10 }, () => redirect(302, "/loop")));
    const error = await errorOf(getRlorTrainerJob(clientOf(server, { maxRetries: 2 }), "job-1"));
    expect(error.status).toBe(302);
    expect(error.message).toMatch(/^302 Found: refused to follow a redirect/);
    expect(server.requests.map((r) => r.url)).toEqual(["/v1/accounts/acme/rlorTrainerJobs/job-1"]);
  });
});

describe("error types", () => {
  it("name each class by a literal and type code as the google.rpc names, open to others", async () => {
    const { errorFromResponse } = await import("../../src/core/errors.js");
    const error = errorFromResponse(
      { status: 404, statusText: "Not Found", headers: new Headers() },
      '{"code":5,"message":"no such job","details":[]}',
    );
    expect([error.name, error.code]).toEqual(["NotFoundError", "NOT_FOUND"]);
    // Checked by `tsc` (npm test type-checks the tests): literals narrow, codes autocomplete.
    expectTypeOf(error.name).toEqualTypeOf<APIErrorName>();
    expectTypeOf<"NOT_FOUND">().toExtend<NonNullable<APIErrorCode>>();
    expectTypeOf<"SOMETHING_NEW">().toExtend<NonNullable<APIErrorCode>>();
    expectTypeOf(new WaitTimeoutError(undefined, 1).name).toEqualTypeOf<"WaitTimeoutError">();
  });
});
