import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  FAKE_WANDB_API_KEY,
  type FakeFireworks,
  type FakeFireworksOptions,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { json, reset, sampleJob, startFaultServer, text } from "../helpers/fault-server.js";
import {
  type BuiltCli,
  buildCli,
  type CliResult,
  killLeftoverClis,
  type RunOptions,
  runCli,
} from "./cli-harness.js";

let cli: BuiltCli;
let server: FakeFireworks | undefined;

beforeAll(async () => {
  cli = await buildCli();
});

afterAll(async () => {
  await cli.remove();
});

afterEach(async () => {
  killLeftoverClis();
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

/** Runs the CLI against the fake server, with short polls unless the args say otherwise. */
function run(fake: FakeFireworks, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return runCli(cli, args, { ...options, env: { ...envFor(fake), ...options.env } });
}

function expectNoSecrets(result: CliResult, fake: FakeFireworks): void {
  for (const output of [result.stdout, result.stderr]) {
    expect(output).not.toContain(FAKE_WANDB_API_KEY);
    expect(output).not.toContain(fake.apiKey);
  }
}

/** One line of stderr starting with the program name (plus the usage hint for usage errors). */
function errorLines(result: CliResult): string[] {
  return result.stderr.split("\n").filter((line) => line.startsWith("fireworks-rlor: "));
}

const FAST_WAIT = ["--poll-interval", "20ms"];

describe("fireworks-rlor help and version", () => {
  it("prints the package version", async () => {
    const result = await runCli(cli, ["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${cli.version}\n`, stderr: "" });
  });

  it("prints usage with commands, flags and exit codes", async () => {
    const result = await runCli(cli, ["--help"]);
    expect(result.code).toBe(0);
    for (const text of [
      "resume <job>",
      "--wait-timeout",
      "--dry-run",
      "FIREWORKS_API_KEY",
      "130",
    ]) {
      expect(result.stdout).toContain(text);
    }
  });
});

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
});

describe("fireworks-rlor resume", () => {
  it("--wait reports state changes on stderr and prints the running job", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["resume", "job-1", "--wait", ...FAST_WAIT]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^State {2,}RUNNING$/m);
    expect(result.stderr).toMatch(/^\[\d+\.\ds\] PAUSED$/m);
    expect(result.stderr).toMatch(/^\[\d+\.\ds\] PENDING -> RUNNING$/m);
    // stderr is a pipe here: no spinner, no terminal control codes.
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

  it("without --wait prints the job the resume returned", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["resume", "job-1", "-o", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      name: "accounts/acme/rlorTrainerJobs/job-1",
    });
    expect(fake.requests.map((request) => request.method)).toEqual(["POST"]);
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

describe("fireworks-rlor exit codes", () => {
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

  it("1 with the stack trace under --debug, which also logs the exchange without the key", async () => {
    const fake = await start();
    const result = await run(fake, ["get", "missing", "--debug"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\s+at /m);
    expect(result.stderr).toContain("> authorization: Bearer [REDACTED]");
    expect(result.stderr).toMatch(/^< 404 /m);
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

  it("1 for a rejected API key, without echoing it", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["get", "job-1"], {
      env: { FIREWORKS_API_KEY: "fw-wrong-key-123" },
    });
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toMatch(/^fireworks-rlor: AuthenticationError: 401 UNAUTHORIZED/);
    expect(result.stderr).not.toContain("fw-wrong-key-123");
  });

  it("1 when the server refuses to resume a pending job", async () => {
    // A RUNNING job is already where a resume --wait goes (success); PENDING is refused and is not.
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    const result = await run(fake, ["resume", "job-1", "--wait", ...FAST_WAIT]);
    expect(result.code).toBe(1);
    expect(errorLines(result)[0]).toContain("BadRequestError: 400 FAILED_PRECONDITION");
  });

  it.each([
    [["stop", "job-1"]],
    [["get", "job-1", "--output", "yaml"]],
    [["wait", "job-1", "--wait-timeout", "15"]],
    [["get", ".."]],
    [["get", "job-1", "--timeout", "600h"]],
  ])("2 for bad input %j, before any request", async (args) => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, args);
    expect(result.code).toBe(2);
    expect(errorLines(result)).toHaveLength(1);
    expect(fake.requests).toEqual([]);
  });

  it("0 for a full name in another account while FIREWORKS_ACCOUNT_ID is set: used as given", async () => {
    const fake = await start({ accountId: "other", jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["get", "accounts/other/rlorTrainerJobs/job-1"], {
      env: { FIREWORKS_ACCOUNT_ID: "acme" },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("accounts/other/rlorTrainerJobs/job-1");
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

  it("2 naming the flag for a duration above what it takes", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, ["wait", "job-1", "--poll-interval", "600h"]);
    expect(result.code).toBe(2);
    expect(errorLines(result)[0]).toMatch(/^fireworks-rlor: UsageError: --poll-interval: /);
  });

  it("3 when the wait times out, with the last job seen on stdout", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    // One poll, then a sleep only the timeout ends: a slow process start cannot skip the poll.
    const result = await run(fake, [
      "wait",
      "job-1",
      "--wait-timeout",
      "5s",
      "--poll-interval",
      "1h",
      "-o",
      "json",
    ]);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ state: "JOB_STATE_PENDING" });
    expect(errorLines(result)[0]).toMatch(/^fireworks-rlor: WaitTimeoutError: /);
  });

  it("4 when the job fails, quoting its status message", async () => {
    const fake = await start({ jobs: [{ id: "job-1", resume: { fail: "CUDA out of memory" } }] });
    const result = await run(fake, ["resume", "job-1", "--wait", "-o", "json", ...FAST_WAIT]);
    expect(result.code).toBe(4);
    expect(JSON.parse(result.stdout)).toMatchObject({
      state: "JOB_STATE_FAILED",
      wandbConfig: { apiKey: "[REDACTED]" },
    });
    expect(errorLines(result)[0]).toMatch(/^fireworks-rlor: JobFailedError: .*CUDA out of memory$/);
    expectNoSecrets(result, fake);
  });

  it("4 when the job was deleted", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_DELETED" }] });
    const result = await run(fake, ["wait", "job-1", ...FAST_WAIT]);
    expect(result.code).toBe(4);
    expect(errorLines(result)[0]).toContain("was deleted");
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
      const result = await runCli(
        cli,
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

  it("stops cleanly on Ctrl-C (SIGINT) with exit code 130", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    let interrupted = false;
    const result = await run(fake, ["wait", "job-1", "--poll-interval", "1h"], {
      onStderr: (stderr, child) => {
        // Interrupt once the first poll has been reported: the CLI is then in its sleep.
        if (!interrupted && /\] PENDING$/m.test(stderr)) {
          interrupted = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(interrupted).toBe(true);
    expect(result.code).toBe(130);
    expect(errorLines(result)).toEqual(["fireworks-rlor: interrupted"]);
    expect(result.stdout).toBe("");
  });
});
