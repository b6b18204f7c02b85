import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFireworksClientWithPolicy } from "../../src/core/client.js";
import {
  APIConnectionError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  createFireworksClient,
  getRlorTrainerJob,
  InvalidArgumentError,
  JobFailedError,
  redactJob,
  resumeRlorTrainerJob,
  VERSION,
  WaitTimeoutError,
} from "../../src/index.js";
import {
  type FaultServer,
  hang,
  json,
  reset,
  sampleJob,
  startFaultServer,
  useFaultServer,
} from "../helpers/fault-server.js";
import { recordingPolicy } from "../helpers/retry-recorder.js";

const KEY = "fw_SECRET_9a8b7c6d5e";

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Every way an error or object typically ends up in a log. */
function renderings(value: unknown): string[] {
  const error = value as Partial<Error>;
  return [
    error.message ?? "",
    String(value),
    JSON.stringify(value),
    inspect(value, { depth: 10, showHidden: true }),
    error.stack ?? "",
  ];
}

function expectNoKey(value: unknown, secret = KEY): void {
  for (const text of renderings(value)) expect(text).not.toContain(secret);
}

/**
 * A valid key (printable ASCII) that JSON, Go's HTML-safe JSON and URL encoding each write
 * differently; its middle part is what every rendering of it still contains.
 */
const ODD_KEY = 'fw_"Zq7Xw3Vb"\\<&>';
const ODD_KEY_CORE = "Zq7Xw3Vb";

/** How a server may write the key into a JSON body. */
const KEY_ENCODINGS: [string, (json: string, key: string) => string][] = [
  ["JSON-escaped", (json) => json],
  [
    "JSON-escaped with Go's HTML-safe escapes",
    (json) => json.replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026"),
  ],
  [
    "\\u-escaped character by character",
    (json, key) =>
      json.replaceAll(
        JSON.stringify(key).slice(1, -1),
        [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
      ),
  ],
];

describe("the API key never appears", () => {
  it("in an error whose server echoes the key in body and headers", async () => {
    server.script((response, request) => {
      response.writeHead(401, {
        "content-type": "application/json",
        "x-echo": String(request.headers.authorization),
      });
      response.end(
        JSON.stringify({
          error: { message: `bad key ${request.headers.authorization}` },
          request_id: "r",
        }),
      );
    });
    const client = createFireworksClient({ apiKey: KEY, accountId: "acme", baseUrl: server.url });
    const error = await getRlorTrainerJob(client, "job-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toBe(
      "401 Unauthorized: bad key Bearer [REDACTED]",
    );
    expect((error as AuthenticationError).headers["x-echo"]).toBe("Bearer [REDACTED]");
    expectNoKey(error);
    // The key did go to the server, in the Authorization header.
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it.each(KEY_ENCODINGS)(
    "in an error whose details, request id and URLs echo the key %s",
    async (_encoding, encode) => {
      server.script((response, request) => {
        const authorization = String(request.headers.authorization);
        const key = authorization.slice("Bearer ".length);
        const body = JSON.stringify({
          code: 3,
          message: `bad header ${authorization}`,
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.BadRequest",
              header: authorization,
              link: `https://example.com/keys?key=${encodeURIComponent(key)}`,
            },
            { "@type": "type.googleapis.com/example.Job", job: sampleJob() },
          ],
          request_id: key,
        });
        response.writeHead(400, { "content-type": "application/json" });
        response.end(encode(body, key));
      });
      const client = createFireworksClient({
        apiKey: ODD_KEY,
        accountId: "acme",
        baseUrl: server.url,
      });
      const error = await getRlorTrainerJob(client, "job-1").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error).toMatchObject({
        code: "INVALID_ARGUMENT",
        message: "400 INVALID_ARGUMENT: bad header Bearer [REDACTED]",
        requestId: "[REDACTED]",
        details: [
          {
            header: "Bearer [REDACTED]",
            link: "https://example.com/keys?key=[REDACTED]",
          },
          { job: { wandbConfig: { apiKey: "[REDACTED]" } } },
        ],
      });
      expect(JSON.parse((error as BadRequestError).body)).toMatchObject({
        request_id: "[REDACTED]",
      });
      expectNoKey(error, ODD_KEY_CORE);
      expectNoKey(error, "wandb-secret");
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${ODD_KEY}`);
    },
  );

  it("in connection and timeout errors", async () => {
    server.script(reset(), hang());
    const client = createFireworksClient({
      apiKey: KEY,
      accountId: "acme",
      baseUrl: server.url,
      maxRetries: 0,
      timeout: 50,
    });
    const connection = await getRlorTrainerJob(client, "job-1").catch((e: unknown) => e);
    const timeout = await getRlorTrainerJob(client, "job-1").catch((e: unknown) => e);
    expect(connection).toBeInstanceOf(APIConnectionError);
    expect(timeout).toBeInstanceOf(APITimeoutError);
    expectNoKey(connection);
    expectNoKey(timeout);
  });

  it("when a client is printed or serialised", () => {
    const client = createFireworksClient({ apiKey: KEY, accountId: "acme", baseUrl: server.url });
    expectNoKey(client);
    expect(JSON.stringify(client.settings)).not.toContain(KEY);
  });

  it("in the error for a key with a line break", () => {
    const attempt = () =>
      createFireworksClient({ apiKey: `${KEY}\nX-Injected: 1`, baseUrl: server.url });
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(/contains whitespace, control or non-ASCII characters/);
    try {
      attempt();
    } catch (error) {
      expectNoKey(error);
    }
  });
});

describe("plain http", () => {
  it.each(["http://api.fireworks.ai", "http://10.0.0.5:8080", "http://example.com/api"])(
    "refuses to send the key to %s",
    (baseUrl) => {
      expect(() => createFireworksClient({ apiKey: KEY, baseUrl })).toThrow(
        new InvalidArgumentError(
          `Refusing to send the API key to ${new URL(baseUrl).origin}: use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1])`,
        ),
      );
    },
  );

  it.each([
    "http://localhost:1234",
    "http://127.0.0.1",
    "http://127.9.8.7:8080",
    "http://[::1]:9",
    "https://example.com",
  ])("allows %s", (baseUrl) => {
    expect(createFireworksClient({ apiKey: KEY, baseUrl }).settings.baseUrl).toBe(
      baseUrl.replace(/\/$/, ""),
    );
  });

  it.each([
    "ftp://example.com",
    "https://user:pw@example.com",
    "https://example.com/?q=1",
    "not a url",
  ])("rejects the base URL %s", (baseUrl) => {
    expect(() => createFireworksClient({ apiKey: KEY, baseUrl })).toThrow(/Invalid baseUrl/);
  });
});

describe("other origins", () => {
  it("refuses a request that middleware sends to another origin, before sending", async () => {
    const other = await startFaultServer();
    try {
      const client = createFireworksClient({ apiKey: KEY, accountId: "acme", baseUrl: server.url });
      client.fetchClient.use({
        onRequest: ({ request }) =>
          new Request(request.url.replace(server.url, other.url), {
            method: request.method,
            headers: request.headers,
          }),
      });
      const error = await getRlorTrainerJob(client, "job-1").catch((e: unknown) => e);
      expect(error).toEqual(
        new InvalidArgumentError(
          `Refusing to send a request to ${other.url}: the client sends its API key only to ${server.url} (its baseUrl)`,
        ),
      );
      expectNoKey(error);
      expect(other.requests).toHaveLength(0);
      expect(server.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it("refuses an https origin other than the base URL's too", async () => {
    const client = createFireworksClient({ apiKey: KEY, accountId: "acme", baseUrl: server.url });
    client.fetchClient.use({ onRequest: () => new Request("https://example.com/v1/anything") });
    await expect(getRlorTrainerJob(client, "job-1")).rejects.toThrow(
      new InvalidArgumentError(
        `Refusing to send a request to https://example.com: the client sends its API key only to ${server.url} (its baseUrl)`,
      ),
    );
  });
});

/** Header values that fetch and node:http refuse; each also carries the key, which must not be quoted. */
const BAD_HEADER_VALUES = [
  ["a line feed", `${KEY}\nX-Injected: 1`],
  ["CR LF", `${KEY}\r\nX-Injected: 1`],
  ["NUL", `${KEY}\0`],
  ["a character beyond Latin-1", `${KEY}€`],
];

describe("header validation", () => {
  it.each(BAD_HEADER_VALUES)("rejects a client header value with %s", (_what, value) => {
    const attempt = () =>
      createFireworksClient({ apiKey: "k", baseUrl: server.url, headers: { "x-token": value } });
    expect(attempt).toThrow(
      new InvalidArgumentError(
        'Invalid value of header "x-token" in the headers option: it contains a line break or another control or non-Latin-1 character (value not shown)',
      ),
    );
    try {
      attempt();
    } catch (error) {
      expectNoKey(error);
    }
  });

  it.each(BAD_HEADER_VALUES)(
    "rejects a per-call header value with %s before sending",
    async (_what, value) => {
      const client = createFireworksClient({ apiKey: "k", accountId: "acme", baseUrl: server.url });
      const error = await getRlorTrainerJob(client, "job-1", {
        headers: { "x-token": value },
      }).catch((e: unknown) => e);
      expect(error).toEqual(
        new InvalidArgumentError(
          `Invalid value of header "x-token" in the call's headers option: it contains a line break or another control or non-Latin-1 character (value not shown)`,
        ),
      );
      expectNoKey(error);
      expect(server.requests).toHaveLength(0);
    },
  );

  it.each(["x team", "x:team", "", "x\nteam"])("rejects the header name %j", async (name) => {
    const message = `Invalid header name ${JSON.stringify(name)} in the headers option`;
    expect(() =>
      createFireworksClient({ apiKey: "k", baseUrl: server.url, headers: { [name]: "v" } }),
    ).toThrow(message);
    const client = createFireworksClient({ apiKey: "k", accountId: "acme", baseUrl: server.url });
    await expect(
      resumeRlorTrainerJob(client, "job-1", { headers: { [name]: "v" } }),
    ).rejects.toThrow(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });

  it("accepts Latin-1 values, tabs and surrounding spaces, as fetch does", async () => {
    const client = createFireworksClient({
      apiKey: "k",
      accountId: "acme",
      baseUrl: server.url,
      headers: { "x-team": " caf\u00e9\tbar " },
    });
    await getRlorTrainerJob(client, "job-1");
    expect(server.requests[0]?.headers["x-team"]).toBe("caf\u00e9\tbar");
  });
});

describe("configuration", () => {
  it("reads FIREWORKS_API_KEY (trimmed), FIREWORKS_ACCOUNT_ID and FIREWORKS_BASE_URL", async () => {
    vi.stubEnv("FIREWORKS_API_KEY", `  ${KEY}\n`);
    vi.stubEnv("FIREWORKS_ACCOUNT_ID", "acme");
    vi.stubEnv("FIREWORKS_BASE_URL", server.url);
    const client = createFireworksClient();
    expect(client.settings).toEqual({
      accountId: "acme",
      baseUrl: server.url,
      maxRetries: 2,
      timeout: 60_000,
    });
    await getRlorTrainerJob(client, "job-1");
    expect(server.requests[0]).toMatchObject({ url: "/v1/accounts/acme/rlorTrainerJobs/job-1" });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("options win over the environment", () => {
    vi.stubEnv("FIREWORKS_API_KEY", "env-key");
    vi.stubEnv("FIREWORKS_ACCOUNT_ID", "env-account");
    vi.stubEnv("FIREWORKS_BASE_URL", "https://env.example.com");
    const client = createFireworksClient({
      apiKey: KEY,
      accountId: "acme",
      baseUrl: "https://api.example.com/",
      maxRetries: 0,
      timeout: 5,
    });
    expect(client.settings).toEqual({
      accountId: "acme",
      baseUrl: "https://api.example.com",
      maxRetries: 0,
      timeout: 5,
    });
  });

  it("defaults the base URL to https://api.fireworks.ai", () => {
    vi.stubEnv("FIREWORKS_BASE_URL", "");
    expect(createFireworksClient({ apiKey: KEY }).settings.baseUrl).toBe(
      "https://api.fireworks.ai",
    );
  });

  it.each([
    ["unset", undefined],
    ["blank", "   "],
  ])("a missing key (%s) says which variable to set", (_what, value) => {
    vi.stubEnv("FIREWORKS_API_KEY", value);
    expect(() => createFireworksClient()).toThrow(
      new InvalidArgumentError(
        "Missing Fireworks API key: set the FIREWORKS_API_KEY environment variable or pass { apiKey } to createFireworksClient()",
      ),
    );
    expect(() => createFireworksClient({ apiKey: " " })).toThrow(/Missing Fireworks API key/);
  });

  it.each([
    [{ maxRetries: -1 }, /Invalid maxRetries -1: expected a whole number >= 0/],
    [{ maxRetries: 1.5 }, /Invalid maxRetries 1.5/],
    [{ timeout: 0 }, /Invalid timeout 0: expected milliseconds, > 0 and <= 2147483647/],
    [{ timeout: Number.NaN }, /Invalid timeout NaN/],
    [{ timeout: 2 ** 31 }, /Invalid timeout 2147483648/],
    [
      { accountId: "a/b" },
      /Invalid account id "a\/b" \(accountId option or FIREWORKS_ACCOUNT_ID\): it contains "\/"/,
    ],
  ])("rejects %j", (options, message) => {
    expect(() => createFireworksClient({ apiKey: KEY, ...options })).toThrow(message);
  });

  it("rejects bad per-call limits before sending", async () => {
    const client = createFireworksClientWithPolicy(
      { apiKey: KEY, accountId: "acme", baseUrl: server.url },
      recordingPolicy(),
    );
    await expect(getRlorTrainerJob(client, "job-1", { timeout: -1 })).rejects.toThrow(
      /Invalid timeout -1/,
    );
    await expect(
      getRlorTrainerJob(client, "job-1", { maxRetries: Number.POSITIVE_INFINITY }),
    ).rejects.toThrow(/Invalid maxRetries/);
    expect(server.requests).toHaveLength(0);
  });

  it("keeps VERSION equal to package.json's version", () => {
    const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(VERSION).toBe(manifest.version);
  });

  it("sends extra client headers and lets per-call headers add to them", async () => {
    server.script(json(200, sampleJob()));
    const client = createFireworksClient({
      apiKey: KEY,
      accountId: "acme",
      baseUrl: server.url,
      headers: { "x-team": "rl" },
    });
    await getRlorTrainerJob(client, "job-1", {
      headers: { "x-call": "1" },
      readMask: "name,state",
    });
    expect(server.requests[0]?.headers).toMatchObject({
      "x-team": "rl",
      "x-call": "1",
      accept: "application/json",
      "user-agent": `fireworks-rlor/${VERSION}`,
    });
    expect(server.requests[0]?.url).toBe(
      "/v1/accounts/acme/rlorTrainerJobs/job-1?readMask=name%2Cstate",
    );
  });

  it("lets middleware replace the request with a standard Request, body included", async () => {
    const client = createFireworksClient({ apiKey: KEY, accountId: "acme", baseUrl: server.url });
    client.fetchClient.use({
      onRequest: async ({ request }) =>
        new Request(`${request.url}?via=middleware`, {
          method: request.method,
          headers: request.headers,
          body: JSON.stringify({ ...((await request.json()) as object), note: "middleware" }),
        }),
    });
    const job = await resumeRlorTrainerJob(client, "job-1");
    expect(job.state).toBe("JOB_STATE_RUNNING");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      url: "/v1/accounts/acme/rlorTrainerJobs/job-1:resume?via=middleware",
      body: '{"note":"middleware"}',
    });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("middleware may clone the response in onResponse", async () => {
    const client = createFireworksClient({ apiKey: KEY, accountId: "acme", baseUrl: server.url });
    const seen: unknown[] = [];
    client.fetchClient.use({
      onResponse: async ({ response }) => {
        seen.push(await response.clone().json());
        seen.push(JSON.parse(await response.clone().text()));
      },
    });
    const job = await getRlorTrainerJob(client, "job-1");
    expect(job).toEqual(sampleJob());
    expect(seen).toEqual([sampleJob(), sampleJob()]);
  });

  it("sends through a custom fetch", async () => {
    const seen: string[] = [];
    const client = createFireworksClient({
      apiKey: KEY,
      accountId: "acme",
      baseUrl: server.url,
      fetch: (input, init) => {
        seen.push(`${init.method} ${input}`);
        return fetch(input, init);
      },
    });
    await getRlorTrainerJob(client, "job-1");
    expect(seen).toEqual([`GET ${server.url}/v1/accounts/acme/rlorTrainerJobs/job-1`]);
  });
});

describe("job secrets", () => {
  const job = sampleJob({
    state: "JOB_STATE_FAILED",
    status: { code: "INTERNAL", message: "trainer crashed" },
  });

  it("redactJob replaces wandbConfig.apiKey and keeps everything else", () => {
    const redacted = redactJob(job);
    expect(redacted).toEqual({
      ...job,
      wandbConfig: { enabled: true, apiKey: "[REDACTED]", project: "p" },
    });
    expect(job.wandbConfig).toEqual({ enabled: true, apiKey: "wandb-secret", project: "p" });
  });

  it("JobFailedError and WaitTimeoutError carry a redacted job", () => {
    const failed = new JobFailedError(job);
    expect(failed).toMatchObject({
      state: "JOB_STATE_FAILED",
      statusMessage: "trainer crashed",
      deleted: false,
    });
    expect(failed.message).toBe(
      "RLOR trainer job accounts/acme/rlorTrainerJobs/job-1 failed (JOB_STATE_FAILED): trainer crashed",
    );
    const timedOut = new WaitTimeoutError(job, 900_000);
    expect(timedOut.message).toBe(
      "Timed out after 900000 ms waiting for RLOR trainer job accounts/acme/rlorTrainerJobs/job-1 (last state JOB_STATE_FAILED); the `timeout` option raises this limit",
    );
    for (const error of [failed, timedOut]) {
      for (const text of renderings(error)) expect(text).not.toContain("wandb-secret");
    }
  });

  it("JobFailedError for a deleted job", () => {
    const error = new JobFailedError(sampleJob({ state: "JOB_STATE_DELETED" }), { deleted: true });
    expect(error).toMatchObject({ deleted: true, statusMessage: undefined });
    expect(error.message).toBe(
      "RLOR trainer job accounts/acme/rlorTrainerJobs/job-1 was deleted (JOB_STATE_DELETED)",
    );
  });
});
