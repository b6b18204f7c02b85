import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { scrubberOf } from "../../src/core/client.js";
import { createScrubber } from "../../src/core/redact.js";
import {
  APIConnectionError,
  APIError,
  createFireworksClient,
  createRlorTrainerJob,
  type FireworksClient,
  getRlorTrainerJob,
  getRlorTrainerJobPublicLogs,
  JobFailedError,
  type RlorTrainerJob,
  WaitTimeoutError,
} from "../../src/index.js";
import { type FaultServer, json, sampleJob, useFaultServer } from "../helpers/fault-server.js";

const KEY = "fw_SECRET_9a8b7c6d5e";
const SIGNATURE = "X-Goog-Signature=5f3a9c0d7e1b2a4c";
const SIGNED_URL = `https://storage.googleapis.com/logs/job-1.txt?X-Goog-Expires=86400&${SIGNATURE}`;
const WANDB_SENT = "wandb-key-sent-1234";

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});

function client(): FireworksClient {
  return createFireworksClient({
    apiKey: KEY,
    accountId: "acme",
    baseUrl: server.url,
    maxRetries: 0,
  });
}

/** Every way an error typically ends up in a log, its cause chain included. */
function renderings(value: unknown): string[] {
  const texts: string[] = [
    String(value),
    JSON.stringify(value),
    inspect(value, { depth: 20, showHidden: true }),
  ];
  for (let level: unknown = value, depth = 0; level instanceof Error && depth < 10; depth++) {
    texts.push(level.message, level.stack ?? "", Object.keys(level).join(" "));
    level = level.cause;
  }
  return texts;
}

function expectNone(value: unknown, secrets: readonly string[]): void {
  for (const text of renderings(value)) {
    for (const secret of secrets) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
  }
}

async function errorOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );
}

describe("a signed log URL the client returned never appears in a later error", () => {
  it.each([
    ["as is", (url: string) => url],
    ["JSON-escaped with Go's HTML-safe escapes", (url: string) => url.replaceAll("&", "\\u0026")],
    ["URL-encoded", (url: string) => encodeURIComponent(url)],
    ["only its query", (url: string) => url.slice(url.indexOf("?") + 1)],
  ])("echoed %s in body and headers", async (_how, encode) => {
    const fireworks = client();
    server.script(json(200, { signedUrl: SIGNED_URL }));
    await expect(getRlorTrainerJobPublicLogs(fireworks, "job-1")).resolves.toEqual({
      signedUrl: SIGNED_URL,
    });
    const echoed = encode(SIGNED_URL);
    server.script((response) => {
      response.writeHead(400, {
        "content-type": "application/json",
        "x-echo": encodeURIComponent(SIGNED_URL),
      });
      response.end(
        `{"code": 3, "message": "bad log ${echoed}", "details": [{"url": "${echoed}"}]}`,
      );
    });
    const error = await errorOf(getRlorTrainerJob(fireworks, "job-1"));
    expect(error).toBeInstanceOf(APIError);
    expect((error as Error).message).toContain("[REDACTED]");
    expectNone(error, [SIGNED_URL, SIGNATURE, encodeURIComponent(SIGNATURE)]);
  });

  it("control: another client, which never returned the URL, does not know it", async () => {
    server.script(json(400, { code: 3, message: `bad log ${SIGNED_URL}` }));
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect((error as Error).message).toContain(SIGNED_URL);
  });
});

describe("a W&B key never appears in an error", () => {
  it("sent in a create body, then echoed by a later error", async () => {
    const fireworks = client();
    server.script(json(200, sampleJob({ wandbConfig: { enabled: true } })));
    await createRlorTrainerJob(fireworks, undefined, { wandbConfig: { apiKey: WANDB_SENT } });
    expect(server.requests[0]?.body).toContain(WANDB_SENT);
    server.script(json(500, { code: 13, message: `wandb login failed for ${WANDB_SENT}` }));
    const error = await errorOf(getRlorTrainerJob(fireworks, "job-1"));
    expectNone(error, [WANDB_SENT]);
  });

  it("received in a job, then echoed by a later error", async () => {
    const fireworks = client();
    server.script(json(200, sampleJob({ wandbConfig: { apiKey: "wandb-key-received-77" } })));
    await getRlorTrainerJob(fireworks, "job-1");
    server.script(json(400, { code: 9, message: "key wandb-key-received-77 rejected" }));
    expectNone(await errorOf(getRlorTrainerJob(fireworks, "job-1")), ["wandb-key-received-77"]);
  });
});

describe("header names in error.headers", () => {
  it("a header whose name echoes the API key (lower-cased, as HTTP delivers names)", async () => {
    server.script((response) => {
      response.writeHead(500, { [`x-debug-${KEY}`]: "1", "x-echo": KEY.toLowerCase() });
      response.end("{}");
    });
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(APIError);
    const headers = (error as APIError).headers;
    expect(Object.keys(headers)).toContain("x-debug-[REDACTED]");
    expect(headers["x-echo"]).toBe("[REDACTED]");
    expectNone(error, [KEY]);
  });
});

describe("the cause chain of a connection error", () => {
  it("a fetch that throws an error quoting the request (headers, URL) leaks nothing", async () => {
    const leaky = createFireworksClient({
      apiKey: KEY,
      accountId: "acme",
      baseUrl: server.url,
      maxRetries: 0,
      fetch: async (url, init) => {
        const auth = new Headers(init.headers).get("authorization");
        const inner = Object.assign(new Error(`socket closed while sending ${auth}`), {
          code: "ECONNRESET",
          headers: init.headers,
        });
        throw new TypeError(`fetch failed for ${url} with ${auth}`, { cause: inner });
      },
    });
    const error = await errorOf(getRlorTrainerJob(leaky, "job-1"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expectNone(error, [KEY]);
    const cause = (error as Error).cause as Error & { cause: Error & { code?: string } };
    expect(cause.message).toContain("fetch failed for http://127.0.0.1");
    expect(cause.name).toBe("TypeError");
    // What says whether the request was sent is kept; the rest of the raw object is not.
    expect(cause.cause.code).toBe("ECONNRESET");
    expect(Object.keys(cause.cause)).toEqual(["code"]);
  });

  it("a thrown non-Error is kept as its type, not its toString", async () => {
    const leaky = createFireworksClient({
      apiKey: KEY,
      baseUrl: server.url,
      accountId: "acme",
      maxRetries: 0,
      fetch: () => Promise.reject({ toString: () => KEY }),
    });
    const error = await errorOf(getRlorTrainerJob(leaky, "job-1"));
    expect(((error as Error).cause as Error).message).toBe("[object Object]");
    expectNone(error, [KEY]);
  });
});

describe("JobFailedError and WaitTimeoutError with the client's scrubber", () => {
  /** A failed job whose server echoed every secret into its status and name. */
  const leakyJob = (): RlorTrainerJob =>
    sampleJob({
      state: "JOB_STATE_FAILED",
      name: `accounts/acme/rlorTrainerJobs/${KEY}`,
      status: {
        code: "INTERNAL",
        message: `auth ${KEY} failed; wandb wandb-secret; logs ${SIGNED_URL}`,
      },
    }) as RlorTrainerJob;

  async function learntClient(): Promise<FireworksClient> {
    const fireworks = client();
    server.script(json(200, { signedUrl: SIGNED_URL }));
    await getRlorTrainerJobPublicLogs(fireworks, "job-1");
    return fireworks;
  }

  it("message, stack, statusMessage and job hold no API key, W&B key or signed URL", async () => {
    const scrub = scrubberOf(await learntClient());
    const failed = new JobFailedError(leakyJob(), { scrub });
    const errors = [
      failed,
      new JobFailedError(leakyJob(), { deleted: true, scrub }),
      new WaitTimeoutError(leakyJob(), 1000, { scrub }),
    ];
    for (const error of errors) expectNone(error, [KEY, "wandb-secret", SIGNATURE]);
    expect(failed.statusMessage).toBe("auth [REDACTED] failed; wandb [REDACTED]; logs [REDACTED]");
    expect(failed.job.status?.message).toBe(failed.statusMessage);
  });

  it("without a scrubber, the job's own W&B key is still removed", () => {
    const error = new JobFailedError(leakyJob());
    expectNone(error, ["wandb-secret"]);
  });

  it("scrubberOf a client it did not make changes nothing", () => {
    expect(scrubberOf({})(KEY)).toBe(KEY);
  });

  it("the client object shows no scrubber and no key", () => {
    const fireworks = client();
    expect(Object.keys(fireworks).sort()).toEqual([
      "fetchClient",
      "pathDefault",
      "pathDefaultHint",
      "settings",
    ]);
    expect(inspect(fireworks, { depth: 5, showHidden: true })).not.toContain(KEY);
  });
});

describe("what a scrubber learns", () => {
  it("ignores values too short to be secrets, so they cannot blank out messages", () => {
    const scrubber = createScrubber([KEY]);
    scrubber.learn({ apiKey: "x", api_key: "", signedUrl: "/a" });
    expect(scrubber.scrub("x marks /a")).toBe("x marks /a");
  });
});

describe("what a scrubber learns from a signed URL", () => {
  const CREDENTIAL = "sa@project.iam.gserviceaccount.com/20261207/auto/storage/goog4_request";
  const TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH";
  const scrubber = createScrubber([KEY]);
  scrubber.learn({
    signedUrl:
      "https://storage.example.com/logs/job-1.txt?X-Goog-Algorithm=GOOG4-RSA-SHA256" +
      `&X-Goog-Credential=${encodeURIComponent(CREDENTIAL)}&X-Goog-Expires=900` +
      "&X-Goog-SignedHeaders=content-type%3Bhost&X-Goog-Signature=0a1b2c3d4e5f6a7b" +
      `&X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&sig=1&keyVersion=true`,
  });

  it("learns the signature, the credential and a session token, as sent and decoded", () => {
    for (const secret of [
      "0a1b2c3d4e5f6a7b",
      CREDENTIAL,
      encodeURIComponent(CREDENTIAL),
      TOKEN,
      encodeURIComponent(TOKEN),
    ]) {
      expect(scrubber.scrub(`echoed: ${secret}.`)).toBe("echoed: [REDACTED].");
    }
  });

  it("not the names of the signed headers, nor values too short to be secrets", () => {
    const plain = "content-type;host: sig 1, keyVersion true, GOOG4-RSA-SHA256 900";
    expect(scrubber.scrub(plain)).toBe(plain);
  });
});
