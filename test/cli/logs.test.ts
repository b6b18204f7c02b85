/** fireworks-rlor logs --content and --follow against the fake server and its log storage. */
import { afterEach, describe, expect, it } from "vitest";
import {
  FAKE_PUBLIC_LOGS_SIGNATURE,
  type FakeFireworks,
  type FakeFireworksOptions,
  type FakeJobInit,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { runAgainst } from "./in-process.js";

let server: FakeFireworks | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: FakeFireworksOptions): Promise<FakeFireworks> {
  server = await startFakeFireworks({ accountId: "acme", ...options });
  return server;
}

const run = runAgainst;

/** A job at work for `polls` GETs, then COMPLETED; its log grows one part per read. */
function growingJob(log: readonly string[], polls = 4): FakeJobInit {
  return {
    id: "a",
    state: "JOB_STATE_RUNNING",
    resumed: true,
    resume: {
      staleReads: 0,
      path: ["JOB_STATE_RUNNING"],
      final: "JOB_STATE_COMPLETED",
      pollsPerStep: polls,
    },
    log,
  };
}

const PARTS = ["step 1 loss=0.69\n", "step 2 loss=0.54\n", "step 3 loss=0.41\n", "done\n"];
const FAST = ["--poll-interval", "5ms"];

describe("fireworks-rlor logs", () => {
  it("--follow prints a growing log once, in order, until the job ends; -f is the same", async () => {
    for (const flag of ["--follow", "-f"]) {
      const fake = await start({ jobs: [growingJob(PARTS)] });
      const result = await run(fake, ["logs", "a", flag, ...FAST]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(PARTS.join(""));
      expect(result.stderr).toBe(
        "Following the log of a until the job ends or pauses (Ctrl-C stops)\n",
      );
      expect(fake.getJob("a")?.state).toBe("JOB_STATE_COMPLETED");
      await fake.close();
      server = undefined;
    }
  });

  it("--content prints the log once, without polling the job; without it, the URL as before", async () => {
    const fake = await start({ jobs: [growingJob(PARTS)] });
    const content = await run(fake, ["logs", "a", "--content"]);
    expect(content).toMatchObject({ code: 0, stdout: PARTS[0], stderr: "" });
    expect(fake.requests.map((request) => request.url)).toEqual([
      "/v1/accounts/acme/rlorTrainerJobs/a/publicLogs",
    ]);
    const url = await run(fake, ["logs", "a"]);
    expect(url.stdout.startsWith(`${fake.logOrigin}/trainer-logs/`)).toBe(true);
  });

  it("strips terminal controls from the log, keeping tabs and line breaks", async () => {
    const evil = "loss\t0.5\u001b]0;pwned\u0007\u001b[2J\u009b31m\r\n";
    const fake = await start({
      jobs: [{ id: "a", state: "JOB_STATE_COMPLETED", log: [evil, "next\n"] }],
    });
    const result = await run(fake, ["logs", "a", "--follow", ...FAST]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("loss\t0.5]0;pwned[2J31m\nnext\n");
  });

  it("never shows the signed URL or its signature, not even with --debug", async () => {
    const fake = await start({ jobs: [growingJob(PARTS)], logs: { signatureTtl: 300 } });
    const result = await run(fake, [
      "logs",
      "a",
      "--follow",
      "--debug",
      "--poll-interval",
      "100ms",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(PARTS.join(""));
    // The debug log shows the storage reads (and the refused ones), without their URL.
    expect(result.stderr).toContain("ExpiredToken");
    expect(result.stderr).toContain("range: bytes=");
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(FAKE_PUBLIC_LOGS_SIGNATURE);
      expect(text).not.toContain(`${fake.logOrigin}/trainer-logs`);
      expect(text).not.toContain(fake.apiKey);
    }
  });

  it("refuses flags that make no sense with the log, before any request", async () => {
    const fake = await start({ jobs: [growingJob(PARTS)] });
    const poll = await run(fake, ["logs", "a", "--poll-interval", "1s"]);
    expect(poll.code).toBe(2);
    expect(poll.stderr).toContain("--poll-interval needs --follow");
    const json = await run(fake, ["logs", "a", "--follow", "-o", "json"]);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain("print the log as text");
    // jsonl is no format of logs at all: said as such, not as one of the signed URL's.
    const jsonl = await run(fake, ["logs", "a", "--follow", "-o", "jsonl"]);
    expect(jsonl.code).toBe(2);
    expect(jsonl.stderr).toContain('--output: logs takes text, json, name; got "jsonl"');
    expect(fake.requests).toHaveLength(0);
  });

  it("--dry-run shows the publicLogs request and says what would follow", async () => {
    const fake = await start({ jobs: [growingJob(PARTS)] });
    const result = await run(fake, ["logs", "a", "--follow", "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("GET http");
    expect(result.stdout).toContain("/publicLogs");
    expect(result.stderr).toContain("(dry run: the log would then be read from the signed URL");
    expect(fake.requests).toHaveLength(0);
  });
});
