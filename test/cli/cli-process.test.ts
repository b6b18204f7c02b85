import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";
import { type BuiltCli, buildCli, killLeftoverClis, runCli } from "./cli-harness.js";

/**
 * What needs a real process: the bin's start, signals, exit codes as the shell sees them, and
 * source-mapped stack traces. Everything else runs in-process (cli.test.ts), for speed.
 */
let cli: BuiltCli;
let fake: FakeFireworks | undefined;

beforeAll(async () => {
  cli = await buildCli();
});

afterAll(async () => {
  await cli.remove();
});

afterEach(async () => {
  killLeftoverClis();
  await fake?.close();
  fake = undefined;
});

async function env(): Promise<Record<string, string>> {
  fake = await startFakeFireworks({ accountId: "acme", jobs: [{ id: "job-1" }] });
  return {
    FIREWORKS_API_KEY: fake.apiKey,
    FIREWORKS_BASE_URL: fake.baseUrl,
    FIREWORKS_ACCOUNT_ID: fake.accountId,
  };
}

describe("the fireworks-rlor process", () => {
  it("prints the package version and help", async () => {
    expect(await runCli(cli, ["--version"])).toMatchObject({
      code: 0,
      stdout: `${cli.version}\n`,
      stderr: "",
    });
    const help = await runCli(cli, ["help", "list"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--page-size <n>");
  });

  it("Ctrl-C during resume --wait: exit 130, the resume was sent, how to follow the job", async () => {
    let interrupted = false;
    const result = await runCli(cli, ["resume", "job-1", "--wait", "--poll-interval", "1h"], {
      env: await env(),
      onStderr: (stderr, child) => {
        // The resume's answer has been reported: the CLI is now in its first sleep.
        if (!interrupted && /\] PAUSED$/m.test(stderr)) {
          interrupted = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(interrupted).toBe(true);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain(
      "fireworks-rlor: interrupted\nThe resume of job-1 was sent: follow the job with fireworks-rlor wait job-1\n",
    );
    expect(result.stdout).toBe("");
  });

  it("Ctrl-C during logs --follow stops it cleanly: exit 130", async () => {
    fake = await startFakeFireworks({
      accountId: "acme",
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", log: ["step 1\n", "step 2\n"] }],
    });
    let interrupted = false;
    const result = await runCli(cli, ["logs", "job-1", "-f", "--poll-interval", "1h"], {
      env: {
        FIREWORKS_API_KEY: fake.apiKey,
        FIREWORKS_BASE_URL: fake.baseUrl,
        FIREWORKS_ACCOUNT_ID: fake.accountId,
      },
      onStderr: (stderr, child) => {
        if (!interrupted && stderr.includes("Following the log of job-1")) {
          interrupted = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(interrupted).toBe(true);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("fireworks-rlor: interrupted\n");
    expect(result.stdout).not.toContain("step 2");
  });

  it("--debug stack traces point at the TypeScript sources", async () => {
    const result = await runCli(cli, ["get", "missing", "--debug"], { env: await env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\s+at .*src\/(core|internal|cli)\/[\w-]+\.ts:\d+:\d+/m);
  });
});
