import { afterEach, describe, expect, it, vi } from "vitest";
import {
  FAKE_WANDB_API_KEY,
  type FakeFireworks,
  type FakeFireworksOptions,
  fakeError,
  fakeErrorInfo,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { json, reset, sampleJob, startFaultServer, text } from "../helpers/fault-server.js";
import { type InProcessOptions, type InProcessResult, runInProcess } from "./in-process.js";

let server: FakeFireworks | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

async function start(options: FakeFireworksOptions = {}): Promise<FakeFireworks> {
  server = await startFakeFireworks({ accountId: "acme", ...options });
  return server;
}

function envFor(fake: FakeFireworks): Record<string, string> {
  return {
    FIREWORKS_API_KEY: fake.apiKey,
    FIREWORKS_BASE_URL: fake.baseUrl,
    FIREWORKS_ACCOUNT_ID: fake.accountId,
  };
}

/** Runs the CLI (in this process) against the fake server. */
function run(
  fake: FakeFireworks,
  args: string[],
  options: InProcessOptions = {},
): Promise<InProcessResult> {
  return runInProcess(args, { ...options, env: { ...envFor(fake), ...options.env } });
}

function expectNoSecrets(result: InProcessResult, fake: FakeFireworks): void {
  for (const output of [result.stdout, result.stderr]) {
    expect(output).not.toContain(FAKE_WANDB_API_KEY);
    expect(output).not.toContain(fake.apiKey);
  }
}

/** Lines of stderr starting with the program name: one per error. */
function errorLines(result: InProcessResult): string[] {
  return result.stderr.split("\n").filter((line) => line.startsWith("fireworks-rlor: "));
}

const FAST_WAIT = ["--poll-interval", "20ms"];

describe("fireworks-rlor get", () => {
  it("-o json prints only the job, as returned, with secrets redacted", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["get", "job-1", "-o", "json"]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    const stored = fake.getJob("job-1");
    expect(printed).toEqual({
      ...stored,
      wandbConfig: { ...stored?.wandbConfig, apiKey: "[REDACTED]" },
    });
    expectNoSecrets(result, fake);
  });

  it("prints an aligned text summary by default, for a full resource name too", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["get", "accounts/acme/rlorTrainerJobs/job-1"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Name {2,}accounts\/acme\/rlorTrainerJobs\/job-1$/);
    expect(lines).toContainEqual(expect.stringMatching(/^State {2,}PAUSED$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^Base model {2,}accounts\/fireworks\/models\//),
    );
    // Values start in the same column on every line.
    const columns = new Set(lines.map((line) => line.search(/(?<= {2})\S/)));
    expect(columns.size).toBe(1);
    expectNoSecrets(result, fake);
  });

  it("-o name prints the job's name alone", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["get", "job-1", "-o", "name"]);
    expect(result).toMatchObject({ code: 0, stdout: "accounts/acme/rlorTrainerJobs/job-1\n" });
  });

  it("sends the operation's query flags from the table (--read-mask)", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["get", "job-1", "--read-mask", "name,state"]);
    expect(result.code).toBe(0);
    expect(fake.requests.map((request) => request.url)).toEqual([
      "/v1/accounts/acme/rlorTrainerJobs/job-1?readMask=name%2Cstate",
    ]);
  });
});

describe("fireworks-rlor resume", () => {
  it("--wait reports state changes on stderr and prints the running job", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["resume", "job-1", "--wait", ...FAST_WAIT]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^State {2,}RUNNING$/m);
    expect(result.stderr).toMatch(/^\[\d+\.\ds\] PAUSED$/m);
    expect(result.stderr).toMatch(/^\[\d+\.\ds\] PENDING -> RUNNING$/m);
    // stderr is not a terminal here: no spinner, no terminal control codes.
    expect(result.stderr).not.toContain("\u001b");
    expectNoSecrets(result, fake);
  });

  it("--wait -o json prints one JSON document: the running job", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["resume", "job-1", "--wait", "-o", "json", ...FAST_WAIT]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      state: "JOB_STATE_RUNNING",
      wandbConfig: { apiKey: "[REDACTED]" },
    });
    expectNoSecrets(result, fake);
  });

  it("--wait --until takes other targets", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, [
      "resume",
      "job-1",
      "--wait",
      "--until",
      "PENDING",
      ...FAST_WAIT,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^State {2,}PENDING$/m);
  });

  it("without --wait prints the job, says what happened and how to follow it", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["resume", "job-1", "-o", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      name: "accounts/acme/rlorTrainerJobs/job-1",
    });
    expect(result.stderr).toMatch(
      /^Resume sent: .*job-1 is PAUSED\. Follow it with: fireworks-rlor wait job-1$/m,
    );
    expect(fake.requests.map((request) => request.method)).toEqual(["POST"]);
  });

  it("of a job already RUNNING is a success: with a note, or the wait's answer", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING" }] });
    const plain = await run(fake, ["resume", "job-1"]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain("job-1 is already RUNNING: nothing to resume.");
    expect(plain.stdout).toMatch(/^State {2,}RUNNING$/m);
    const waited = await run(fake, ["resume", "job-1", "--wait", ...FAST_WAIT]);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toMatch(/^State {2,}RUNNING$/m);
  });

  it("of several jobs reports each, and exits with the worst code", async () => {
    const fake = await start({ jobs: [{ id: "a" }, { id: "b", state: "JOB_STATE_RUNNING" }] });
    const result = await run(fake, ["resume", "a", "missing", "b", "-o", "name"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      "accounts/acme/rlorTrainerJobs/a\naccounts/acme/rlorTrainerJobs/b\n",
    );
    expect(errorLines(result)).toEqual([expect.stringMatching(/NotFoundError: 404 .*missing/)]);
  });

  it("--dry-run prints the request with the key redacted and sends nothing", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["resume", "job-1", "--wait", "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `POST ${fake.baseUrl}/v1/accounts/acme/rlorTrainerJobs/job-1:resume\n`,
    );
    expect(result.stdout).toContain("authorization: Bearer [REDACTED]\n");
    expect(result.stdout).toContain("\n{}\n");
    expect(result.stderr).toContain("dry run: waiting would poll");
    expect(fake.requests).toEqual([]);
    expectNoSecrets(result, fake);
  });

  it("--dry-run -o json prints the request as JSON", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["get", "job-1", "--dry-run", "-o", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      method: "GET",
      url: `${fake.baseUrl}/v1/accounts/acme/rlorTrainerJobs/job-1`,
      headers: { authorization: "Bearer [REDACTED]" },
    });
    expect(fake.requests).toEqual([]);
  });
});

describe("fireworks-rlor exit codes and messages", () => {
  it("1 for an API error, on one line with class, code, message and request id", async () => {
    const fake = await start();
    const result = await run(fake, ["get", "missing"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(errorLines(result)).toEqual([
      expect.stringMatching(
        /^fireworks-rlor: NotFoundError: 404 NOT_FOUND: RlorTrainerJob accounts\/acme\/rlorTrainerJobs\/missing not found \(request id [0-9a-f-]{36}\)$/,
      ),
    ]);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("--debug: each attempt with its duration, the backoff, the body redacted, the stack", async () => {
    const fake = await start();
    fake.failNext({ status: 503, body: '{"code":14,"message":"busy"}' }, 1);
    // The backoff is slept on the global setTimeout right after its line: fake time skips it.
    let backoff: (ms: number) => void = () => undefined;
    const retrying = new Promise<number>((resolve) => {
      backoff = resolve;
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pending = run(fake, ["get", "missing", "--debug"], {
      onStderr: (text) => {
        const ms = /^retrying in (\d+) ms/m.exec(text)?.[1];
        if (ms !== undefined) backoff(Number(ms));
      },
    });
    await vi.advanceTimersByTimeAsync(await retrying);
    const result = await pending;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\s+at /m);
    expect(result.stderr).toContain("> authorization: Bearer [REDACTED]");
    expect(result.stderr).toMatch(/^< 503 Service Unavailable in \d+ ms/m);
    expect(result.stderr).toMatch(/^retrying in \d+ ms \(backoff\)$/m);
    expect(result.stderr).toMatch(/^< 404 Not Found in \d+ ms \(request id /m);
    expect(result.stderr).toMatch(/^< body: \{"code":5,/m);
    expectNoSecrets(result, fake);
  });

  it("--debug sends exactly what a normal run sends (same headers through the same fetch)", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    expect((await run(fake, ["get", "job-1"])).code).toBe(0);
    expect((await run(fake, ["get", "job-1", "--debug"])).code).toBe(0);
    const [plain, debug] = fake.requests.map((request) => Object.keys(request.headers).sort());
    expect(plain).toBeDefined();
    expect(debug).toEqual(plain);
  });

  it.each([
    [{}, "FIREWORKS_API_KEY"],
    [{ FIREWORKS_API_KEY: "" }, "--api-key"],
  ])("1 for a rejected API key, saying where it came from (%j)", async (env, from) => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const args = from === "--api-key" ? ["--api-key", "fw-wrong-key-123"] : [];
    const result = await run(fake, ["get", "job-1", ...args], {
      env: { FIREWORKS_API_KEY: "fw-wrong-key-123", ...env },
    });
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toMatch(/^fireworks-rlor: AuthenticationError: 401 UNAUTHORIZED/);
    expect(result.stderr).toContain(`The API key from ${from} was rejected`);
    expect(result.stderr).not.toContain("fw-wrong-key-123");
  });

  it("1 for a refused connection, naming the base URL and what to check", async () => {
    const fault = await startFaultServer();
    const url = fault.url;
    await fault.close();
    const result = await runInProcess(["get", "job-1", "--max-retries", "0"], {
      env: { FIREWORKS_API_KEY: "fw-key", FIREWORKS_ACCOUNT_ID: "acme", FIREWORKS_BASE_URL: url },
    });
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toMatch(/^fireworks-rlor: APIConnectionError: /);
    expect(result.stderr).toContain(
      `Could not reach ${url}: check --base-url (or FIREWORKS_BASE_URL) and the network.`,
    );
  });

  it("0 with a note for a --base-url ending in /v1", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["get", "job-1", "--base-url", `${fake.baseUrl}/v1`]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `note: --base-url ends in /v1, which every path already starts with; using ${fake.baseUrl}\n`,
    );
  });

  it.each([
    [["stop", "job-1"], /unknown command "stop"/],
    [["get", "job-1", "--output", "yaml"], /--output/],
    [["wait", "job-1", "--wait-timeout", "15"], /is not a duration/],
    [["get", ".."], /Invalid RLOR trainer job id/],
    [["get", "job-1", "--request-timeout", "600h"], /longer than the maximum/],
    [["get", "job-1", "--bogus"], /^fireworks-rlor: UsageError: unknown flag --bogus for "get"$/],
    [["wait", "job-1", "--timeout", "0s"], /"0s" must be greater than 0$/],
    [["wait", "job-1", "--timeout", "-5s"], /"-5s" must be positive$/],
    [["wait", "job-1", "--pending-timeout", "-5m"], /--pending-timeout: "-5m" must be positive$/],
    [["resume", "job-1", "--wait", "--pending-timeout", "2 days"], /"2 days" is not a duration/],
    [["create", "-f", "-", "--wait", "--pending-timeout", "0"], /"0" must be greater than 0$/],
    [["resume", "job-1", "--pending-timeout", "1h"], /--pending-timeout needs --wait/],
    [["wait", "job-1", "--stall-timeout", "-10m"], /--stall-timeout: "-10m" must be positive$/],
    [["wait", "job-1", "--stall-timeout", "ten"], /"ten" is not a duration/],
    [["wait", "job-1", "--on-stall", "cancel"], /--on-stall needs --stall-timeout$/],
    [
      ["wait", "job-1", "--stall-timeout", "10m", "--on-stall", "kill"],
      /--on-stall: expected cancel, got "kill"$/,
    ],
    [["resume", "job-1", "--stall-timeout", "10m"], /--stall-timeout needs --wait/],
    [
      ["cancel", "job-1", "--wait", "--stall-timeout", "10m"],
      /unknown flag --stall-timeout for "cancel"/,
    ],
    [
      ["cancel", "job-1", "--wait", "--pending-timeout", "1h"],
      /unknown flag --pending-timeout for "cancel"/,
    ],
    [
      ["wait", "job-1", "--until", "BOGUS"],
      /unknown job state "BOGUS"; valid states: .*RUNNING.*PAUSED/,
    ],
    [
      ["get", "job-1", "--timeout", "5m"],
      /--timeout is the wait's time limit; the limit of each request is --request-timeout$/,
    ],
  ])("2 for bad input %j, before any request, in one line", async (args, message) => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, args);
    expect(result.code).toBe(2);
    expect(errorLines(result)).toHaveLength(1);
    expect(errorLines(result)[0]).toMatch(message);
    expect(fake.requests).toEqual([]);
  });

  it("2 for an unknown flag: one clean line, then the command's usage", async () => {
    const fake = await start();
    const result = await run(fake, ["resume", "job-1", "--bogus"]);
    expect(result.stderr.split("\n")).toEqual([
      'fireworks-rlor: UsageError: unknown flag --bogus for "resume"',
      expect.stringMatching(/^Usage: fireworks-rlor resume <job> \[--wait\]/),
      "Run 'fireworks-rlor help resume' for usage.",
      "",
    ]);
  });

  it("2 for a bare id without an account, naming the flag and the variable", async () => {
    const fake = await start();
    const result = await run(fake, ["get", "job-1"], { env: { FIREWORKS_ACCOUNT_ID: "" } });
    expect(result.code).toBe(2);
    expect(errorLines(result)[0]).toContain(
      "use -a/--account-id <account-id> or set FIREWORKS_ACCOUNT_ID",
    );
    expect(result.stderr).not.toContain("option");
  });

  it("2 for an invalid account id, with an account id as the example", async () => {
    const fake = await start();
    const result = await run(fake, ["get", "job-1", "-a", "my account"]);
    expect(result.code).toBe(2);
    expect(errorLines(result)[0]).toMatch(
      /Invalid account id "my account" \(-a\/--account-id\): .*such as "my-account"$/,
    );
  });

  it("2 for a poll interval under the floor against a remote API", async () => {
    const result = await runInProcess(["wait", "job-1", "--poll-interval", "100ms", "--dry-run"], {
      env: { FIREWORKS_API_KEY: "fw-key", FIREWORKS_ACCOUNT_ID: "acme" },
    });
    expect(result.code).toBe(2);
    expect(errorLines(result)[0]).toContain(
      "--poll-interval: at least 1s against https://api.fireworks.ai",
    );
  });

  it("2 for an invalid base URL, also with a short poll interval", async () => {
    const result = await runInProcess(
      ["wait", "job-1", "--base-url", "notaurl", "--poll-interval", "500ms", "--dry-run"],
      { env: { FIREWORKS_API_KEY: "fw-key", FIREWORKS_ACCOUNT_ID: "acme" } },
    );
    expect(result.code).toBe(2);
    expect(errorLines(result)[0]).toContain('Invalid baseUrl "notaurl"');
  });

  it("0 for a full name in another account while FIREWORKS_ACCOUNT_ID is set: used as given", async () => {
    const fake = await start({ accountId: "other", jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["get", "accounts/other/rlorTrainerJobs/job-1"], {
      env: { FIREWORKS_ACCOUNT_ID: "acme" },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /v1/accounts/other/rlorTrainerJobs/job-1",
    ]);
  });

  it.each([[["get", "job-1"]], [["resume", "job-1", "--dry-run"]]])(
    "2 when no API key is set, telling how to set one from the CLI (%j)",
    async (args) => {
      const fake = await start({ jobs: [{ id: "job-1" }] });
      const result = await run(fake, args, { env: { FIREWORKS_API_KEY: "" } });
      expect(result.code).toBe(2);
      expect(errorLines(result)).toEqual([
        "fireworks-rlor: InvalidArgumentError: Missing Fireworks API key: set the FIREWORKS_API_KEY environment variable or use --api-key",
      ]);
      expect(fake.requests).toEqual([]);
    },
  );

  /** Runs a wait whose only timer, once the first job is in, is the budget under test. */
  async function timedOut(
    fake: FakeFireworks,
    args: string[],
    firstLine: RegExp,
    limit: number,
  ): Promise<InProcessResult> {
    // One poll, then a sleep only the timeout ends. Only the wait's own clock uses the global
    // setTimeout once the first job is in (its line is on stderr): fake time runs out the limit.
    let polled: () => void = () => undefined;
    const firstPoll = new Promise<void>((resolve) => {
      polled = resolve;
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pending = run(fake, [...args, "--poll-interval", "1h", "-o", "json"], {
      onStderr: (text) => {
        if (firstLine.test(text)) polled();
      },
    });
    await firstPoll;
    await vi.advanceTimersByTimeAsync(limit);
    return pending;
  }

  it("3 when the wait times out outside PENDING: the last job, the limit as typed, its flag, how to go on", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_CREATING" }] });
    const result = await timedOut(
      fake,
      ["wait", "job-1", "--timeout", "1s"],
      /\] CREATING$/m,
      1_000,
    );
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ state: "JOB_STATE_CREATING" });
    expect(result.stderr).toContain(
      "Waiting up to 1s, plus 48h0m0s in PENDING, for job-1 to reach RUNNING",
    );
    expect(errorLines(result)).toEqual([
      "fireworks-rlor: WaitTimeoutError: job-1 did not reach RUNNING within 1s outside PENDING (last seen CREATING); --timeout raises this limit",
    ]);
    expect(result.stderr).toContain(
      "To keep waiting: fireworks-rlor wait job-1 --until RUNNING --timeout 1s --pending-timeout 48h0m0s",
    );
  });

  it("3 when the job stays in PENDING past --pending-timeout, naming that flag", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    const result = await timedOut(
      fake,
      ["wait", "job-1", "--timeout", "1s", "--pending-timeout", "2h"],
      /\] PENDING$/m,
      2 * 3_600_000,
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      "Waiting up to 1s, plus 2h in PENDING, for job-1 to reach RUNNING",
    );
    expect(errorLines(result)).toEqual([
      "fireworks-rlor: WaitTimeoutError: job-1 did not reach RUNNING within 2h in PENDING, queued for capacity (last seen PENDING); --pending-timeout raises this limit",
    ]);
  });

  it("3 when create --wait times out: the hint keeps waiting on the created job, by its name", async () => {
    const fake = await start({ lifecycle: { create: ["JOB_STATE_CREATING"] } });
    const result = await run(
      fake,
      ["create", "-f", "-", "--wait", "--timeout", "300ms", "-o", "name", ...FAST_WAIT],
      { stdin: JSON.stringify({ displayName: "x" }) },
    );
    expect(result.code).toBe(3);
    const name = result.stdout.trim();
    expect(name).toMatch(/^accounts\/acme\/rlorTrainerJobs\/\S+$/);
    expect(errorLines(result)).toEqual([
      `fireworks-rlor: WaitTimeoutError: the new job did not reach RUNNING within 300ms outside PENDING (last seen CREATING); --timeout raises this limit`,
    ]);
    expect(result.stderr).toContain(
      `To keep waiting: fireworks-rlor wait ${name} --until RUNNING --timeout 300ms --pending-timeout 48h0m0s\n`,
    );
  });

  it("3 when a cancel's one clock runs out: no PENDING budget there", async () => {
    const fake = await start({
      jobs: [
        {
          id: "job-1",
          state: "JOB_STATE_RUNNING",
          lifecycle: { cancel: ["JOB_STATE_CANCELLING"] },
        },
      ],
    });
    const result = await timedOut(
      fake,
      ["cancel", "job-1", "--wait", "--timeout", "1s"],
      /\] CANCELLING$/m,
      1_000,
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Waiting up to 1s for job-1 to reach CANCELLED");
    expect(errorLines(result)).toEqual([
      "fireworks-rlor: WaitTimeoutError: job-1 did not reach CANCELLED within 1s (last seen CANCELLING); --timeout raises this limit",
    ]);
  });

  it("5 when the job stalls: the job on stdout, what changed last, how to stop it; nothing cancelled", async () => {
    const fake = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", lifecycle: { stall: true } }],
    });
    const result = await run(fake, [
      "wait",
      "job-1",
      "--until",
      "COMPLETED",
      "--stall-timeout",
      "200ms",
      "-o",
      "json",
      ...FAST_WAIT,
    ]);
    expect(result.code).toBe(5);
    expect(JSON.parse(result.stdout)).toMatchObject({ state: "JOB_STATE_RUNNING" });
    expect(errorLines(result)).toEqual([
      expect.stringMatching(
        /^fireworks-rlor: JobStalledError: job-1 made no progress for 200ms while RUNNING \(last change: state, seen at \S+Z\); --stall-timeout sets this limit$/,
      ),
    ]);
    expect(result.stderr).toContain(
      "To stop it: fireworks-rlor cancel accounts/acme/rlorTrainerJobs/job-1",
    );
    expect(fake.requests.filter((request) => request.method === "POST")).toEqual([]);
    expectNoSecrets(result, fake);
  });

  it("5 with --on-stall cancel: the cancel is sent, and said", async () => {
    const fake = await start({ jobs: [{ id: "job-1", lifecycle: { stall: true } }] });
    const result = await run(fake, [
      "resume",
      "job-1",
      "--wait",
      "--until",
      "COMPLETED",
      "--stall-timeout",
      "200ms",
      "--on-stall",
      "cancel",
      ...FAST_WAIT,
    ]);
    expect(result.code).toBe(5);
    expect(errorLines(result)).toEqual([
      expect.stringMatching(
        /^fireworks-rlor: JobStalledError: job-1 made no progress for 200ms while RUNNING \(.*\); --on-stall cancel: cancel sent$/,
      ),
    ]);
    const posts = fake.requests.filter((request) => request.method === "POST");
    expect(posts.map((request) => request.url)).toEqual([
      "/v1/accounts/acme/rlorTrainerJobs/job-1:resume",
      "/v1/accounts/acme/rlorTrainerJobs/job-1:cancel",
    ]);
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_CANCELLING");
    expect(result.stderr).toContain(
      "Follow the cancel with: fireworks-rlor wait accounts/acme/rlorTrainerJobs/job-1 --until CANCELLED",
    );
  });

  it("5 with --on-stall cancel when the cancel is refused: says so", async () => {
    const fake = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", lifecycle: { stall: true } }],
      behaviours: { cancelRlorTrainerJob: () => fakeError("PERMISSION_DENIED", "not yours") },
    });
    const result = await run(fake, [
      "wait",
      "job-1",
      "--until",
      "COMPLETED",
      "--stall-timeout",
      "100ms",
      "--on-stall",
      "cancel",
      ...FAST_WAIT,
    ]);
    expect(result.code).toBe(5);
    expect(errorLines(result)[0]).toMatch(/; --on-stall cancel: the cancel failed$/);
    expect(result.stderr).toContain("PermissionDeniedError: 403 PERMISSION_DENIED: not yours");
  });

  it("4 when the job fails, quoting its status message", async () => {
    const fake = await start({ jobs: [{ id: "job-1", resume: { fail: "CUDA out of memory" } }] });
    const result = await run(fake, ["resume", "job-1", "--wait", "-o", "json", ...FAST_WAIT]);
    expect(result.code).toBe(4);
    expect(JSON.parse(result.stdout)).toMatchObject({
      state: "JOB_STATE_FAILED",
      wandbConfig: { apiKey: "[REDACTED]" },
    });
    expect(errorLines(result)[0]).toMatch(
      /^fireworks-rlor: JobFailedError: job-1 ended FAILED before reaching RUNNING: CUDA out of memory$/,
    );
    expectNoSecrets(result, fake);
  });

  it("ends the line with the job status's ErrorInfo reason, never one read from the message", async () => {
    const fake = await start({
      jobs: [
        {
          id: "job-1",
          resume: {
            fail: {
              code: "RESOURCE_EXHAUSTED",
              message: "no capacity (reason: NOT_THIS_ONE)",
              details: [fakeErrorInfo("RESOURCE_EXHAUSTED")],
            },
          },
        },
        { id: "job-2", resume: { fail: "no capacity (reason: NOT_THIS_ONE)" } },
      ],
    });
    const result = await run(fake, ["resume", "job-1", "job-2", "--wait", ...FAST_WAIT]);
    expect(result.code).toBe(4);
    expect(errorLines(result)).toEqual([
      "fireworks-rlor: JobFailedError: job-1 ended FAILED before reaching RUNNING: no capacity (reason: NOT_THIS_ONE) (reason: RESOURCE_EXHAUSTED)",
      "fireworks-rlor: JobFailedError: job-2 ended FAILED before reaching RUNNING: no capacity (reason: NOT_THIS_ONE)",
    ]);
  });

  it("ends an API error's line with its ErrorInfo reason, after the request id", async () => {
    const fake = await start({
      behaviours: {
        getRlorTrainerJob: () =>
          fakeError("FAILED_PRECONDITION", "training shape not enabled", [
            fakeErrorInfo("TRAINING_SHAPE_NOT_ENABLED"),
          ]),
      },
    });
    const result = await run(fake, ["get", "job-1"]);
    expect(result.code).toBe(1);
    expect(errorLines(result)).toEqual([
      expect.stringMatching(
        /^fireworks-rlor: BadRequestError: 400 FAILED_PRECONDITION: training shape not enabled \(request id [0-9a-f-]{36}\) \(reason: TRAINING_SHAPE_NOT_ENABLED\)$/,
      ),
    ]);
  });

  it("4 when the job ended COMPLETED before reaching RUNNING", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_COMPLETED" }] });
    const result = await run(fake, ["wait", "job-1", ...FAST_WAIT]);
    expect(result.code).toBe(4);
    expect(errorLines(result)[0]).toBe(
      "fireworks-rlor: JobFailedError: job-1 ended COMPLETED before reaching RUNNING",
    );
  });

  it("4 when the job was deleted", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_DELETED" }] });
    const result = await run(fake, ["wait", "job-1", ...FAST_WAIT]);
    expect(result.code).toBe(4);
    expect(errorLines(result)[0]).toContain("job-1 was deleted DELETED before reaching RUNNING");
  });

  it("0 for a wait on another target state", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_COMPLETED" }] });
    const result = await run(fake, ["wait", "job-1", "--until", "COMPLETED,FAILED", ...FAST_WAIT]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^State {2,}COMPLETED$/m);
  });
});

describe("fireworks-rlor while waiting", () => {
  it("keeps polling through server errors and reports them on stderr", async () => {
    const fake = await start({ jobs: [{ id: "job-1", resumed: true }] });
    fake.failNext({ status: 503, body: "<html>upstream unavailable</html>" }, 2);
    const result = await run(fake, ["wait", "job-1", "--max-retries", "0", ...FAST_WAIT]);
    expect(result.code).toBe(0);
    expect(result.stderr.match(/poll failed, will retry: InternalServerError: 503/g)).toHaveLength(
      2,
    );
    expect(result.stdout).toMatch(/^State {2,}RUNNING$/m);
  });

  it("keeps polling through a reset connection and a proxy's HTML 502 (fault server)", async () => {
    const fault = await startFaultServer();
    try {
      fault.script(
        json(200, sampleJob({ state: "JOB_STATE_PENDING" })),
        reset(),
        text(502, "<html><body>Bad gateway</body></html>", { "content-type": "text/html" }),
      );
      const result = await runInProcess(
        [
          "wait",
          "accounts/acme/rlorTrainerJobs/job-1",
          "--max-retries",
          "0",
          "-o",
          "json",
          ...FAST_WAIT,
        ],
        { env: { FIREWORKS_API_KEY: "fw-test-key", FIREWORKS_BASE_URL: fault.url } },
      );
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/poll failed, will retry: APIConnectionError: /);
      expect(result.stderr).toMatch(/poll failed, will retry: InternalServerError: 502 /);
      expect(JSON.parse(result.stdout)).toMatchObject({ state: "JOB_STATE_RUNNING" });
      expect(result.stdout).not.toContain("wandb-secret");
      expect(fault.requests).toHaveLength(4);
    } finally {
      await fault.close();
    }
  });
});
