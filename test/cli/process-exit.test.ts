/**
 * The CLI as a real process ends by itself, whatever happened: its reader went away (EPIPE), or
 * a proxy failed. Each run has a generous safety limit (KILL_AFTER): a process still running
 * then is killed, which fails the test. Not a speed test: the limit is only there so that a CLI
 * that never exits fails instead of hanging the suite.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";
import {
  type CountingProxy,
  type FailingProxy,
  startCountingProxy,
  startFailingProxy,
} from "../helpers/counting-proxy.js";
import { type BuiltCli, buildCli, killLeftoverClis, runCli } from "./cli-harness.js";

const KILL_AFTER = 25_000;
/** Each test's own limit (vitest's), past KILL_AFTER so that the kill is what a hang shows. */
const TEST_LIMIT = 40_000;

let cli: BuiltCli;
let fake: FakeFireworks | undefined;
let proxy: FailingProxy | CountingProxy | undefined;

beforeAll(async () => {
  cli = await buildCli();
});
afterAll(async () => {
  await cli.remove();
});
afterEach(async () => {
  killLeftoverClis();
  await fake?.close();
  await proxy?.close();
  fake = undefined;
  proxy = undefined;
});

async function env(jobs = 1, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  fake = await startFakeFireworks({
    accountId: "acme",
    jobs: Array.from({ length: jobs }, (_, i) => ({ id: `job-${i + 1}` })),
  });
  return {
    FIREWORKS_API_KEY: fake.apiKey,
    FIREWORKS_BASE_URL: fake.baseUrl,
    FIREWORKS_ACCOUNT_ID: fake.accountId,
    ...extra,
  };
}

const listRequests = () => fake?.requests.filter((request) => request.method === "GET").length;

describe("a reader that goes away (EPIPE on stdout)", () => {
  it(
    "list --all -o name, read up to its first line: the command stops, quietly, exit 0",
    async () => {
      const result = await runCli(cli, ["list", "-o", "name", "--all", "--page-size", "1"], {
        env: await env(40),
        killAfter: KILL_AFTER,
        // As `head -1` does: read the first line, then close the pipe.
        onStdout: (stdout, child) => {
          if (stdout.includes("\n")) child.stdout?.destroy();
        },
      });
      expect(result).toMatchObject({ code: 0, signal: null, stderr: "" });
      // It stopped reading pages once nobody read what it printed.
      expect(listRequests()).toBeLessThan(40);
    },
    TEST_LIMIT,
  );

  it(
    "list -o name into a pipe closed before its one write: exit 0, no stack",
    async () => {
      const result = await runCli(cli, ["list", "-o", "name"], {
        env: await env(3),
        killAfter: KILL_AFTER,
        onSpawn: (child) => child.stdout?.destroy(),
      });
      expect(result).toMatchObject({ code: 0, signal: null, stderr: "" });
    },
    TEST_LIMIT,
  );

  it(
    "fireworks-rlor list -o name --all | head -1 prints one line and no error",
    async () => {
      const vars = await env(30);
      const { stdout, stderr } = await promisify(execFile)(
        "sh",
        ["-c", `"${process.execPath}" "${cli.main}" list -o name --all --page-size 1 | head -1`],
        { env: { PATH: process.env.PATH ?? "", ...vars }, timeout: KILL_AFTER },
      );
      expect(stdout).toBe("accounts/acme/rlorTrainerJobs/job-1\n");
      expect(stderr).toBe("");
    },
    TEST_LIMIT,
  );
});

describe("a proxy that fails CONNECT", () => {
  it(
    "drops it: retried within --max-retries, then the error, and the process exits",
    async () => {
      proxy = await startFailingProxy("drop");
      const result = await runCli(
        cli,
        // One retry shows the retry bound (its backoff is the only wait); a drop needs no timeout.
        ["get", "job-1", "--max-retries", "1", "--request-timeout", "2s"],
        { env: await env(1, { HTTP_PROXY: proxy.url }), killAfter: KILL_AFTER },
      );
      expect(result.signal, "the process did not exit by itself").toBeNull();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("APIConnectionError");
      expect(result.stderr).toContain("through the proxy in HTTP_PROXY");
      expect(proxy.connects()).toBeGreaterThanOrEqual(1);
      expect(proxy.connects()).toBeLessThanOrEqual(2);
      expect(fake?.requests).toEqual([]);
    },
    TEST_LIMIT,
  );

  it(
    "stalls it: each attempt times out, within --max-retries, and the process exits",
    async () => {
      proxy = await startFailingProxy("stall");
      const result = await runCli(
        cli,
        // Each attempt waits out its whole limit: a short one, still far above a CONNECT's time on
        // loopback, so that every attempt reaches the proxy.
        ["get", "job-1", "--max-retries", "1", "--request-timeout", "300ms"],
        { env: await env(1, { HTTPS_PROXY: "", HTTP_PROXY: proxy.url }), killAfter: KILL_AFTER },
      );
      expect(result.signal, "the process did not exit by itself").toBeNull();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("APITimeoutError");
      expect(proxy.connects()).toBeGreaterThanOrEqual(1);
      expect(proxy.connects()).toBeLessThanOrEqual(2);
    },
    TEST_LIMIT,
  );

  it(
    "control: through a working proxy, a refusal ends the process too",
    async () => {
      proxy = await startCountingProxy();
      const result = await runCli(cli, ["get", "missing"], {
        env: await env(1, { HTTP_PROXY: proxy.url }),
        killAfter: KILL_AFTER,
      });
      expect(result).toMatchObject({ code: 1, signal: null });
      expect(result.stderr).toContain("404");
      expect(proxy.tunnels).toHaveLength(1);
    },
    TEST_LIMIT,
  );
});
