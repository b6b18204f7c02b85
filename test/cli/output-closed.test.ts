import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";

const VARIABLES = ["FIREWORKS_API_KEY", "FIREWORKS_BASE_URL", "FIREWORKS_ACCOUNT_ID"] as const;
const saved = VARIABLES.map((name) => [name, process.env[name]] as const);

let fake: FakeFireworks | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** Runs the CLI with a stdout whose first write fails as a closed pipe would, with `code`. */
async function runWithFailingStdout(args: string[], code: string) {
  fake = await startFakeFireworks({
    accountId: "acme",
    jobs: Array.from({ length: 5 }, (_, i) => ({ id: `job-${i + 1}` })),
  });
  Object.assign(process.env, {
    FIREWORKS_API_KEY: fake.apiKey,
    FIREWORKS_BASE_URL: fake.baseUrl,
    FIREWORKS_ACCOUNT_ID: fake.accountId,
  });
  const closed = new AbortController();
  let stderr = "";
  let writes = 0;
  const exit = await runCli(args, {
    stdout: {
      write: () => {
        writes++;
        // As Node reports it: an 'error' event after the write, not a throw.
        queueMicrotask(() => closed.abort(Object.assign(new Error(`write ${code}`), { code })));
      },
    },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    stdoutClosed: closed.signal,
  });
  return { exit, stderr, writes };
}

describe("stdout failing a write", () => {
  it("EPIPE stops list --all quietly with exit 0: no more pages are read", async () => {
    const result = await runWithFailingStdout(["list", "--all", "--page-size", "1"], "EPIPE");
    expect(result).toMatchObject({ exit: 0, stderr: "" });
    expect(fake?.requests.length).toBeLessThan(5);
  });

  it("EPIPE keeps the exit code of a job that failed before it", async () => {
    const result = await runWithFailingStdout(["get", "missing", "job-1", "job-2"], "EPIPE");
    expect(result.exit).toBe(1);
    expect(result.stderr).toMatch(/^fireworks-rlor: NotFoundError: 404/);
    expect(result.stderr).not.toContain("job-2");
    expect(fake?.requests.map((request) => request.url.split("/").pop())).toEqual([
      "missing",
      "job-1",
    ]);
  });

  it("another write error is reported, exit 1", async () => {
    const result = await runWithFailingStdout(["list", "--all", "--page-size", "1"], "EIO");
    expect(result.exit).toBe(1);
    expect(result.stderr).toBe("fireworks-rlor: cannot write the output: Error: write EIO\n");
  });
});
