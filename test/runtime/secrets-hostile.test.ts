/**
 * Secrets on the paths a hostile or careless server, or a hostile custom `fetch`, opens: duplicate
 * secret keys, a body's own secrets, a signature echoed alone, many secrets learnt, thrown objects
 * whose getters throw.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { scrubberOf } from "../../src/core/client.js";
import { createScrubber } from "../../src/core/redact.js";
import {
  APIConnectionError,
  APIError,
  createFireworksClient,
  createRlorTrainerJob,
  type Fetch,
  type FireworksClient,
  getRlorTrainerJob,
  getRlorTrainerJobPublicLogs,
  type RlorTrainerJob,
  redactJob,
} from "../../src/index.js";
import { MAX_REMEMBERED } from "../../src/internal/secret-memory.js";
import {
  type FaultServer,
  json,
  sampleJob,
  text,
  useFaultServer,
} from "../helpers/fault-server.js";

const KEY = "fw_SECRET_9a8b7c6d5e";
const SIGNATURE_VALUE = "5f3a9c0d7e1b2a4c93e1";
const SIGNED_URL = `https://storage.googleapis.com/logs/job-1.txt?X-Goog-Expires=86400&X-Goog-Signature=${SIGNATURE_VALUE}`;

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});

function client(fetch?: Fetch): FireworksClient {
  return createFireworksClient({
    apiKey: KEY,
    accountId: "acme",
    baseUrl: server.url,
    maxRetries: 0,
    ...(fetch === undefined ? {} : { fetch }),
  });
}

/** Every way an error typically ends up in a log, its cause chain included. */
function rendered(value: unknown): string {
  const texts: string[] = [String(value), inspect(value, { depth: 20, showHidden: true })];
  try {
    texts.push(JSON.stringify(value));
  } catch {
    // A cyclic value: the other renderings still count.
  }
  for (let level: unknown = value, depth = 0; level instanceof Error && depth < 10; depth++) {
    texts.push(level.message, level.stack ?? "", Object.keys(level).join(" "));
    level = level.cause;
  }
  return texts.join("\n").toLowerCase();
}

function expectNone(value: unknown, secrets: readonly string[]): void {
  const text = rendered(value);
  for (const secret of secrets) expect(text).not.toContain(secret.toLowerCase());
}

async function errorOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );
}

describe("an error body's own secrets", () => {
  it("duplicate apiKey keys: the one JSON.parse drops is not kept in body", async () => {
    server.script(
      text(
        400,
        '{"code":3,"message":"bad config","details":[{"apiKey":"wandb-first-dup-81f2","apiKey":""}]}',
        { "content-type": "application/json" },
      ),
    );
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toBe("400 INVALID_ARGUMENT: bad config");
    expectNone(error, ["wandb-first-dup-81f2"]);
  });

  it("a W&B key the body carries, echoed in its message, before the client ever saw it", async () => {
    server.script(
      json(400, {
        code: 3,
        message: "wandb login failed for wandb-unseen-key-4471",
        details: [{ wandbConfig: { apiKey: "wandb-unseen-key-4471" } }],
      }),
    );
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect((error as APIError).message).toBe(
      "400 INVALID_ARGUMENT: wandb login failed for [REDACTED]",
    );
    expectNone(error, ["wandb-unseen-key-4471"]);
  });

  it("a signed URL the error body carries is a secret in that error", async () => {
    server.script(
      json(500, {
        code: 13,
        message: `upload to ${SIGNED_URL} failed`,
        details: [{ signedUrl: SIGNED_URL }],
      }),
    );
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expectNone(error, [SIGNATURE_VALUE]);
  });
});

describe("a body that is not JSON", () => {
  it("loses what looks like a secret field, a signed URL or URL credentials", async () => {
    server.script(
      text(
        502,
        `<p>upstream: {"apiKey": "wandb-in-html-6620"} at ${SIGNED_URL} via https://bob:hunter2-pw@proxy.example/ for ${KEY}</p>`,
        { "content-type": "text/html" },
      ),
    );
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).body).toContain("https://[REDACTED]@proxy.example/");
    expectNone(error, ["wandb-in-html-6620", SIGNATURE_VALUE, "hunter2-pw", KEY]);
  });

  it("of 1 MiB of URL starts, each scanned once (a pattern that backtracks would not end)", async () => {
    server.script(
      text(502, `${"http://".repeat(150_000)} ${KEY}`, { "content-type": "text/plain" }),
    );
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(APIError);
    expectNone(error, [KEY]);
  });

  it("of 1 MiB of dotted word, each position scanned once (a scheme pattern would rescan the word at every dot)", async () => {
    server.script(
      text(502, `${"a.".repeat(512 * 1024)} https://bob:hunter2@pw@proxy.example/ ${KEY}`, {
        "content-type": "text/plain",
      }),
    );
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).body).toContain("https://[REDACTED]@proxy.example/");
    expectNone(error, [KEY, "hunter2"]);
  });
});

describe("header values", () => {
  it("a redirect to a signed URL, or a header with URL credentials, the client never saw", async () => {
    server.script(
      text(302, "", {
        location: SIGNED_URL,
        link: "<https://bob:hunter2-pw@mirror.example/v1>; rel=alternate",
      }),
    );
    const error = await errorOf(getRlorTrainerJob(client(), "job-1"));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).headers.location).toBe("[REDACTED]");
    expectNone(error, [SIGNATURE_VALUE, "hunter2-pw"]);
  });
});

describe("the call's own secrets", () => {
  it("a create's W&B key echoed by its error, though its body carried more secrets than a client keeps", async () => {
    const fireworks = client();
    const others = Array.from({ length: MAX_REMEMBERED + 10 }, (_, i) => ({
      apiKey: `wandb-other-${String(i).padStart(6, "0")}`,
    }));
    server.script(json(400, { code: 3, message: "key wandb-mine-sent-1234 rejected" }));
    const body = { annotations: [...others, { apiKey: "wandb-mine-sent-1234" }] };
    const error = await errorOf(createRlorTrainerJob(fireworks, undefined, body as RlorTrainerJob));
    expect(server.requests[0]?.body).toContain("wandb-mine-sent-1234");
    expect((error as APIError).message).toBe("400 INVALID_ARGUMENT: key [REDACTED] rejected");
    // The client itself kept only the most recent: the first of that body is gone from it.
    expect(scrubberOf(fireworks)("wandb-mine-sent-1234")).toBe("wandb-mine-sent-1234");
  });
});

describe("a signed URL's signature", () => {
  it.each([
    ["alone", SIGNATURE_VALUE],
    ["upper-cased", SIGNATURE_VALUE.toUpperCase()],
    ["as its parameter", `X-Goog-Signature=${SIGNATURE_VALUE}`],
  ])("echoed %s in a later error is redacted", async (_how, echoed) => {
    const fireworks = client();
    server.script(json(200, { signedUrl: SIGNED_URL }));
    await getRlorTrainerJobPublicLogs(fireworks, "job-1");
    server.script(
      json(400, { code: 3, message: `bad signature ${echoed}`, details: [{ sig: echoed }] }),
    );
    const error = await errorOf(getRlorTrainerJob(fireworks, "job-1"));
    expect((error as APIError).message).toContain("[REDACTED]");
    expectNone(error, [SIGNATURE_VALUE]);
  });
});

describe("what a scrubber learns", () => {
  it(`keeps a secret through ${MAX_REMEMBERED - 1} later ones, and the API key through any number`, () => {
    const scrubber = createScrubber([KEY]);
    const later = (i: number) => `wandb-later-${String(i).padStart(6, "0")}`;
    scrubber.learn({ wandbConfig: { apiKey: "wandb-the-first-one-0001" } });
    for (let i = 0; i < MAX_REMEMBERED - 1; i++) scrubber.learn({ apiKey: later(i) });
    expect(scrubber.scrub(`wandb-the-first-one-0001 ${later(0)} ${KEY}`)).toBe(
      "[REDACTED] [REDACTED] [REDACTED]",
    );
    // Seeing a secret again makes it the most recent: polling one job keeps its key.
    scrubber.learn({ apiKey: "wandb-the-first-one-0001" });
    for (let i = MAX_REMEMBERED; i < 3 * MAX_REMEMBERED; i++) {
      if (i % 1000 === 0) scrubber.learn({ apiKey: "wandb-the-first-one-0001" });
      scrubber.learn({ apiKey: later(i) });
    }
    expect(scrubber.scrub(`wandb-the-first-one-0001 ${KEY}`)).toBe("[REDACTED] [REDACTED]");
    // Past the bound, the least recently seen goes.
    expect(scrubber.scrub(later(0))).toBe(later(0));
  });

  it("a secret longer than the memory kept of it is still redacted whole", () => {
    const scrubber = createScrubber([KEY]);
    const long = `wandb-${"ab12".repeat(100_000)}-end`;
    scrubber.learn({ apiKey: long });
    expect(scrubber.scrub(`key ${long} rejected`)).toBe("key [REDACTED] rejected");
    expect(scrubber.scrub(`key "${encodeURIComponent(long)}"`)).toBe('key "[REDACTED]"');
  });
});

describe("a hostile value thrown by a custom fetch", () => {
  const throwing = (): never => {
    throw new Error(`getter says ${KEY}`);
  };
  const hostile: [string, () => unknown][] = [
    [
      "an object whose every getter throws",
      () => ({
        get message() {
          return throwing();
        },
        get name() {
          return throwing();
        },
        get stack() {
          return throwing();
        },
        get cause() {
          return throwing();
        },
        get code() {
          return throwing();
        },
        toString: throwing,
        [Symbol.toPrimitive]: throwing,
      }),
    ],
    [
      "an Error whose getters throw",
      () =>
        Object.defineProperties(new Error(`fetch failed for ${KEY}`), {
          message: { get: throwing },
          name: { get: throwing },
          stack: { get: throwing },
          cause: { get: throwing },
          code: { get: throwing },
        }),
    ],
    [
      "a Proxy of an Error whose every trap throws",
      () =>
        new Proxy(new Error(`fetch failed for ${KEY}`), {
          get: throwing,
          getPrototypeOf: throwing,
          has: throwing,
          ownKeys: throwing,
          getOwnPropertyDescriptor: throwing,
        }),
    ],
    [
      "a Proxy of an Error that answers with the key",
      () => new Proxy(new Error("x"), { get: () => `leak ${KEY}` }),
    ],
    [
      "a revoked Proxy",
      () => {
        const { proxy, revoke } = Proxy.revocable(new Error(KEY), {});
        revoke();
        return proxy;
      },
    ],
    ["a string with the key", () => `socket closed for ${KEY}`],
  ];

  it.each(hostile)("%s: an APIConnectionError with a scrubbed description", async (_what, make) => {
    const error = await errorOf(
      getRlorTrainerJob(
        client(() => Promise.reject(make())),
        "job-1",
      ),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/^Connection error: /);
    expectNone(error, [KEY]);
  });

  it.each(hostile)("%s, thrown synchronously: the same", async (_what, make) => {
    const error = await errorOf(
      getRlorTrainerJob(
        client(() => {
          throw make();
        }),
        "job-1",
      ),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expectNone(error, [KEY]);
  });
});

describe("redactJob", () => {
  it("removes the job's W&B key wherever it appears in the job, not only under apiKey", () => {
    const job = sampleJob({
      wandbConfig: { enabled: true, apiKey: "wandb-job-own-key-5521", project: "p" },
      status: { code: "INTERNAL", message: "wandb login with wandb-job-own-key-5521 failed" },
      annotations: { "wandb-job-own-key-5521": "as a key too" },
    });
    const redacted = redactJob(job);
    expect(JSON.stringify(redacted)).not.toContain("wandb-job-own-key-5521");
    expect(redacted).toMatchObject({
      wandbConfig: { apiKey: "[REDACTED]" },
      status: { message: "wandb login with [REDACTED] failed" },
    });
  });
});
