/**
 * --debug, --dry-run and the CLI's notes print what a server sent and what the client sends: none
 * of it may show a key, a W&B key, a signed URL or its signature, or a URL's password.
 */
import { afterEach, describe, expect, it } from "vitest";
import { debugFetch } from "../../src/cli/debug-log.js";
import {
  FAKE_PUBLIC_LOGS_SIGNATURE,
  FAKE_WANDB_API_KEY,
  type FakeFireworks,
  startFakeFireworks,
} from "../../src/testing/index.js";
import {
  type FaultServer,
  json,
  sampleJob,
  startFaultServer,
  text,
} from "../helpers/fault-server.js";
import { type InProcessResult, runInProcess } from "./in-process.js";

const KEY = "fw_SECRET_9a8b7c6d5e";
/** Every piece of the key long enough to matter: what a cut through it would leave. */
const KEY_PIECES = [KEY.slice(0, 4), KEY.slice(-4)];
const WANDB = "wandb-unseen-73c1e9f04b";

let fault: FaultServer | undefined;
let fake: FakeFireworks | undefined;

afterEach(async () => {
  await fault?.close();
  await fake?.close();
  fault = undefined;
  fake = undefined;
});

async function runAgainstFault(args: string[], stdin?: string): Promise<InProcessResult> {
  fault = fault ?? (await startFaultServer());
  return runInProcess([...args, "--max-retries", "0"], {
    env: { FIREWORKS_API_KEY: KEY, FIREWORKS_BASE_URL: fault.url, FIREWORKS_ACCOUNT_ID: "acme" },
    ...(stdin === undefined ? {} : { stdin }),
  });
}

function expectNone(result: InProcessResult, secrets: readonly string[]): void {
  for (const output of [result.stdout, result.stderr]) {
    for (const secret of secrets) expect(output.toLowerCase()).not.toContain(secret.toLowerCase());
  }
}

/** A body whose `at`-th character starts `secret`, padded in a status message before it. */
function bodyWithSecretAt(at: number, secret: string): string {
  const head = `{"code":3,"message":"`;
  const message = `${"x".repeat(at - head.length)}${secret} rejected`;
  const body = JSON.stringify({ code: 3, message });
  expect(body.indexOf(secret)).toBe(at);
  return body;
}

describe("--debug's body preview", () => {
  it.each([4088, 4092, 4095])(
    "a key that straddles the preview's cut (at %i) shows no part of it",
    async (at) => {
      fault = await startFaultServer();
      fault.script(text(400, bodyWithSecretAt(at, KEY), { "content-type": "application/json" }));
      const result = await runAgainstFault(["get", "job-1", "--debug"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^< body: .*…\(cut\)$/m);
      expectNone(result, KEY_PIECES);
    },
  );

  it("a W&B key past the cut, in a body the client has not read yet, is not shown", async () => {
    fault = await startFaultServer();
    const job = sampleJob({
      name: "accounts/acme/rlorTrainerJobs/job-1",
      displayName: "d".repeat(5000),
      wandbConfig: { apiKey: WANDB },
      annotations: { note: `echo ${WANDB} here` },
    });
    fault.script(json(200, job));
    const result = await runAgainstFault(["get", "job-1", "--debug", "-o", "json"]);
    expect(result.code).toBe(0);
    expectNone(result, [WANDB]);
  });

  it("the fake server's W&B key, in a list page over the preview's size", async () => {
    fake = await startFakeFireworks({
      accountId: "acme",
      jobs: Array.from({ length: 30 }, (_, i) => ({ id: `job-${i}` })),
    });
    const result = await runInProcess(["list", "--debug"], {
      env: {
        FIREWORKS_API_KEY: fake.apiKey,
        FIREWORKS_BASE_URL: fake.baseUrl,
        FIREWORKS_ACCOUNT_ID: fake.accountId,
      },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("…(cut)");
    expectNone(result, [FAKE_WANDB_API_KEY, fake.apiKey, FAKE_PUBLIC_LOGS_SIGNATURE]);
  });

  it("a body that is not JSON, with a secret field and a signed URL in it", async () => {
    fault = await startFaultServer();
    fault.script(
      text(
        502,
        `<html>upstream said {"apiKey": "${WANDB}", url: https://s.example/l?X-Amz-Signature=abcdef0123456789} for ${KEY}</html>`,
        { "content-type": "text/html" },
      ),
    );
    const result = await runAgainstFault(["get", "job-1", "--debug"]);
    expect(result.code).toBe(1);
    expectNone(result, [WANDB, "abcdef0123456789", ...KEY_PIECES]);
  });
});

describe("status text and headers", () => {
  it("a key echoed in the status line (reason phrase) is not printed by --debug", async () => {
    fault = await startFaultServer();
    fault.script((response, request) => {
      response.writeHead(500, `denied ${String(request.headers.authorization)}`, {
        "content-type": "application/json",
        [`x-echo-${KEY.toLowerCase()}`]: KEY,
      });
      response.end('{"code":13}');
    });
    const result = await runAgainstFault(["get", "job-1", "--debug"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^< 500 denied Bearer \[REDACTED\] in \d+ ms/m);
    expectNone(result, KEY_PIECES);
  });
  it("a W&B key only the body carries, echoed in the status line and the request id", async () => {
    fault = await startFaultServer();
    fault.script((response) => {
      response.writeHead(500, `bad key ${WANDB}`, {
        "content-type": "application/json",
        "x-request-id": `req-${WANDB}`,
      });
      response.end(JSON.stringify({ code: 13, details: [{ apiKey: WANDB }] }));
    });
    const result = await runAgainstFault(["get", "job-1", "--debug"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^< 500 bad key \[REDACTED\] in \d+ ms \(request id req-\[REDACTED\]\)$/m,
    );
    expectNone(result, [WANDB]);
  });
});

describe("the request as --dry-run and --debug show it", () => {
  const file = JSON.stringify({
    displayName: `uses ${WANDB}`,
    wandbConfig: { enabled: true, apiKey: WANDB, project: "p" },
  });

  it.each([
    ["--dry-run", ["--dry-run"]],
    ["--dry-run -o json", ["--dry-run", "-o", "json"]],
    ["--debug", ["--debug"]],
  ])("%s: the W&B key of create -f, wherever it is in the body", async (_what, flags) => {
    fault = await startFaultServer();
    fault.script(json(200, sampleJob({ name: "accounts/acme/rlorTrainerJobs/new-job" })));
    const result = await runAgainstFault(["create", "-f", "-", ...flags], file);
    expect(result.stdout + result.stderr).toContain("[REDACTED]");
    expectNone(result, [WANDB, ...KEY_PIECES]);
  });
});

describe("notes", () => {
  it.each([
    ["--base-url", (url: string) => ({ args: ["--base-url", url], env: {} })],
    ["FIREWORKS_BASE_URL", (url: string) => ({ args: [], env: { FIREWORKS_BASE_URL: url } })],
  ])(
    "the /v1 note and the error for %s do not print the URL's credentials",
    async (_how, given) => {
      // An "@" in the password too: the user info ends at the last "@", as URL parsers take it.
      const { args, env } = given("https://alice:s3cret@pass-77@api.example.com/v1");
      const result = await runInProcess(["get", "job-1", ...args, "--dry-run"], {
        env: { FIREWORKS_API_KEY: KEY, FIREWORKS_ACCOUNT_ID: "acme", ...env },
      });
      expect(result.stderr).toContain("using https://[REDACTED]@api.example.com");
      expectNone(result, ["s3cret", "pass-77", "alice", ...KEY_PIECES]);
    },
  );
});

describe("--debug's line for a fetch that throws", () => {
  const throwing = (): never => {
    throw new Error(`getter says ${KEY}`);
  };
  it.each([
    [
      "an object whose getters throw",
      {
        get message() {
          return throwing();
        },
        toString: throwing,
      },
    ],
    [
      "a Proxy whose traps throw",
      new Proxy(new Error(KEY), { get: throwing, getPrototypeOf: throwing }),
    ],
    ["an Error quoting the key", new TypeError(`fetch failed for ${KEY}`)],
  ])("%s: logged scrubbed, the thrown value passed on to the client", async (_what, thrown) => {
    const lines: string[] = [];
    const fetch = debugFetch(
      () => Promise.reject(thrown),
      (line) => lines.push(line),
      (text) => text.replaceAll(KEY, "[REDACTED]"),
    );
    await expect(fetch("http://127.0.0.1:9/v1/x", { method: "GET" })).rejects.toBe(thrown);
    expect(lines.at(-1)).toMatch(/^< no response after \d+ ms: /);
    for (const line of lines) for (const piece of KEY_PIECES) expect(line).not.toContain(piece);
  });
});
