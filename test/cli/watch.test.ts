import { afterEach, describe, expect, it } from "vitest";
import {
  FAKE_WANDB_API_KEY,
  type FakeFireworks,
  type FakeJobInit,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { type FaultServer, json, sampleJob, startFaultServer } from "../helpers/fault-server.js";
import { type InProcessOptions, runInProcess } from "./in-process.js";

let fake: FakeFireworks | undefined;
let faults: FaultServer | undefined;
afterEach(async () => {
  await fake?.close();
  await faults?.close();
  fake = undefined;
  faults = undefined;
});

const name = (id: string) => `accounts/acme/rlorTrainerJobs/${id}`;
const FAST = ["--poll-interval", "1ms", "--max-retries", "0"];

async function startFake(jobs: FakeJobInit[]): Promise<FakeFireworks> {
  fake = await startFakeFireworks({ accountId: "acme", jobs });
  return fake;
}

function watch(baseUrl: string, args: string[], options: InProcessOptions = {}) {
  return runInProcess(["watch", ...args, ...FAST], {
    ...options,
    env: {
      FIREWORKS_API_KEY: "fw-fake-key",
      FIREWORKS_ACCOUNT_ID: "acme",
      FIREWORKS_BASE_URL: baseUrl,
    },
  });
}

interface ChangeLine {
  time: string;
  name: string;
  previousState: string | null;
  state: string | null;
  progress: unknown;
  end: string | null;
  error: { name: string; message: string } | null;
  job: Record<string, unknown> | null;
}

/** Each line of stdout parsed on its own, as `jq` or a log shipper reads it. */
const jsonLines = (stdout: string): ChangeLine[] =>
  stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as ChangeLine);

describe("fireworks-rlor watch --all", () => {
  it("-o jsonl on 300 jobs: one JSON object per line, one list pass per round, no GET of a job", async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `job-${String(i).padStart(3, "0")}`);
    const server = await startFake(ids.map((id) => ({ id, state: "JOB_STATE_RUNNING" })));
    let lines = 0;
    const result = await watch(server.baseUrl, ["--all", "-o", "jsonl"], {
      onStdout: (text) => {
        lines += text.split("\n").length - 1;
        // The first round's 300 lines are out: every job completes before the next round.
        if (lines === 300) for (const id of ids) server.setJobState(id, "JOB_STATE_COMPLETED");
      },
    });
    expect(result.code).toBe(0);
    const changes = jsonLines(result.stdout);
    expect(changes).toHaveLength(600);
    expect(result.stdout.split("\n")).toHaveLength(601);
    expect(changes[0]).toMatchObject({
      name: name("job-000"),
      previousState: null,
      state: "JOB_STATE_RUNNING",
      end: null,
      error: null,
      job: { name: name("job-000"), wandbConfig: { apiKey: "[REDACTED]" } },
    });
    expect(changes[300]).toMatchObject({
      previousState: "JOB_STATE_RUNNING",
      state: "JOB_STATE_COMPLETED",
      end: "reached",
    });
    expect(changes.every((change) => !Number.isNaN(Date.parse(change.time)))).toBe(true);
    expect(result.stdout).not.toContain(FAKE_WANDB_API_KEY);
    const urls = server.requests.map((request) => request.url);
    expect(urls.every((url) => /^\/v1\/accounts\/acme\/rlorTrainerJobs(\?|$)/.test(url))).toBe(
      true,
    );
    expect(urls.filter((url) => !url.includes("pageToken="))).toHaveLength(2);
    expect(urls).toHaveLength(12);
  });

  it("--state and --filter choose the jobs; plain lines on stderr, the final table on stdout", async () => {
    const server = await startFake([
      { id: "a", state: "JOB_STATE_PENDING", body: { displayName: "x" } },
      { id: "b", state: "JOB_STATE_PENDING" },
      { id: "c", state: "JOB_STATE_RUNNING", body: { displayName: "x" } },
    ]);
    const result = await watch(
      server.baseUrl,
      ["--all", "--state", "PENDING", "--filter", 'displayName = "x"', "--until", "RUNNING"],
      { onStderr: () => server.setJobState("a", "JOB_STATE_RUNNING") },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^\[\d+\.\ds\] accounts\/acme\/rlorTrainerJobs\/a: PENDING\n/);
    expect(result.stderr).toMatch(
      /\n\[\d+\.\ds\] accounts\/acme\/rlorTrainerJobs\/a: PENDING -> RUNNING \[reached\]\n$/,
    );
    const table = result.stdout.split("\n");
    expect(table[0]).toMatch(/^NAME {2,}STATE {2,}PROGRESS {2,}GPU-HOURS {2,}AGE$/);
    expect(table[1]).toMatch(
      /^accounts\/acme\/rlorTrainerJobs\/a {2}RUNNING {2,}- {2,}2 {2,}1h00m\d\ds$/,
    );
    expect(table).toHaveLength(3);
  });

  it("nothing live: says so and exits 0", async () => {
    const server = await startFake([{ id: "a", state: "JOB_STATE_COMPLETED" }]);
    const result = await watch(server.baseUrl, ["--all"]);
    expect(result).toMatchObject({
      code: 0,
      stdout: "",
      stderr: "No job to watch: none is live, or in the --state given.\n",
    });
  });
});

describe("fireworks-rlor watch <job>...", () => {
  it("exits with the worst of the jobs', each failure reported", async () => {
    const server = await startFake([
      { id: "a", state: "JOB_STATE_RUNNING" },
      { id: "b", state: "JOB_STATE_RUNNING" },
    ]);
    const result = await watch(server.baseUrl, ["a", "b", "missing"], {
      onStderr: (text) => {
        if (text.includes("missing")) {
          server.setJobState("a", "JOB_STATE_COMPLETED");
          server.setJobState("b", "JOB_STATE_FAILED", { code: "INTERNAL", message: "OOM" });
        }
      },
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      `fireworks-rlor: JobFailedError: ${name("b")} ended FAILED, not COMPLETED,EARLY_STOPPED,PAUSED: OOM\n`,
    );
    expect(result.stderr).toMatch(/fireworks-rlor: NotFoundError: .*\n/);
    expect(result.stdout).toMatch(/rlorTrainerJobs\/a {2,}COMPLETED /);
    expect(result.stdout).toMatch(/rlorTrainerJobs\/missing {2,}- \(error\)/);
  });

  it("a job that cannot be read alone exits 1", async () => {
    const server = await startFake([{ id: "a", state: "JOB_STATE_COMPLETED" }]);
    const result = await watch(server.baseUrl, ["a", "missing"]);
    expect(result.code).toBe(1);
  });

  it("--timeout: exit 3, naming what is left and how to keep watching", async () => {
    const server = await startFake([
      { id: "a", state: "JOB_STATE_RUNNING" },
      { id: "b", state: "JOB_STATE_COMPLETED" },
    ]);
    const result = await watch(server.baseUrl, ["a", "--timeout", "50ms"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      "fireworks-rlor: WaitTimeoutError: 1 job still not done after 50ms\n",
    );
    expect(result.stderr).toContain(
      `To keep watching: fireworks-rlor watch ${name("a")} --until COMPLETED,EARLY_STOPPED,PAUSED\n`,
    );
  });

  it("on a terminal: a table redrawn in place on stderr, erased at the end; the last one on stdout", async () => {
    const server = await startFake([
      // Frozen: the fake moves a RUNNING job's progress at each read otherwise.
      {
        id: "a",
        state: "JOB_STATE_RUNNING",
        body: { jobProgress: { percent: 40 } },
        lifecycle: { stall: true },
      },
    ]);
    let writes = 0;
    const result = await watch(server.baseUrl, ["a"], {
      tty: true,
      onStderr: () => {
        writes += 1;
        if (writes === 1) server.setJobState("a", "JOB_STATE_COMPLETED");
      },
    });
    expect(result.code).toBe(0);
    // Drawn (2 lines: header and the job), then the cursor goes back up those lines and erases.
    expect(result.stderr.startsWith("\r\u001b[J")).toBe(true);
    expect(result.stderr.slice(4)).toMatch(
      /^NAME {2,}STATE {2,}PROGRESS {2,}GPU-HOURS {2,}AGE\naccounts\/acme\/rlorTrainerJobs\/a {2}RUNNING {2}40% {2,}2 {2,}1h00m\d\ds\n/,
    );
    expect(result.stderr.endsWith("\u001b[2A\r\u001b[J")).toBe(true);
    expect(result.stdout).toMatch(
      /^NAME {2,}STATE {2,}PROGRESS {2,}GPU-HOURS {2,}AGE\naccounts\/acme\/rlorTrainerJobs\/a {2}COMPLETED {2}40% {2,}2 /,
    );
  });
});

describe("fireworks-rlor watch against an untrusted server", () => {
  it("-o jsonl: terminal controls escaped, secrets redacted, every line parses", async () => {
    faults = await startFaultServer(
      "127.0.0.1",
      json(200, sampleJob({ name: name("a"), state: "JOB_STATE_COMPLETED" })),
    );
    faults.script(
      json(200, {
        ...sampleJob({ name: name("a"), state: "JOB_STATE_RUNNING\u001b[2J\u009b31m" }),
        status: { code: "OK", message: "line\nbreak \u0007 fw-fake-key" },
      }),
    );
    const result = await watch(faults.url, ["a", "-o", "jsonl"]);
    expect(result.code).toBe(0);
    const changes = jsonLines(result.stdout);
    expect(changes.map((change) => change.state)).toEqual([
      "JOB_STATE_RUNNING\u001b[2J\u009b31m",
      "JOB_STATE_COMPLETED",
    ]);
    for (const raw of ["\u001b", "\u009b", "\u0007", "wandb-secret", "fw-fake-key"]) {
      expect(result.stdout).not.toContain(raw);
      expect(result.stderr).not.toContain(raw);
    }
  });
});

describe("fireworks-rlor watch: failed polls", () => {
  const completed = json(200, sampleJob({ name: name("a"), state: "JOB_STATE_COMPLETED" }));
  const unavailable = json(503, { code: 14, message: "unavailable" });

  it("are a line on stderr, and the watch goes on", async () => {
    faults = await startFaultServer("127.0.0.1", completed);
    faults.script(json(200, sampleJob({ name: name("a") })), unavailable);
    const result = await watch(faults.url, ["a"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /\npoll failed, will retry: InternalServerError: 503 UNAVAILABLE: unavailable.*\n\[/,
    );
  });

  it("on a terminal, a line under the table until the next change", async () => {
    faults = await startFaultServer("127.0.0.1", completed);
    faults.script(json(200, sampleJob({ name: name("a") })), unavailable);
    const result = await watch(faults.url, ["a"], { tty: true });
    expect(result.code).toBe(0);
    // The table (header, job), then the note under it: 3 lines drawn, and 3 erased.
    expect(result.stderr).toContain(
      "RUNNING  -         1          -\npoll failed, will retry: InternalServerError: 503 UNAVAILABLE: unavailable\n\u001b[3A\r\u001b[J",
    );
  });
});

describe("fireworks-rlor watch usage", () => {
  it.each([
    [["watch"], "watch: give jobs, or --all for the account's jobs"],
    [
      ["watch", "--state", "RUNNING"],
      "watch: give jobs, or --all for the account's jobs (--state needs --all)",
    ],
    [["watch", "a", "--all"], "watch: --all is for the account's jobs (--all), not named ones"],
    [["watch", "a", "-o", "json"], 'watch takes text, jsonl; got "json"'],
    [["list", "-o", "jsonl"], 'list takes text, json, name; got "jsonl"'],
    // A watch follows states and probes no trainer: READY would be ignored, the watch endless.
    [["watch", "a", "--until", "READY"], "watch: --until takes job states, not READY"],
  ])("%j: exit 2, nothing sent", async (args, message) => {
    faults = await startFaultServer();
    const result = await runInProcess(args, {
      env: { FIREWORKS_API_KEY: "k", FIREWORKS_ACCOUNT_ID: "acme", FIREWORKS_BASE_URL: faults.url },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(faults.requests).toHaveLength(0);
  });

  it("--dry-run prints the first request and what the watch would do", async () => {
    const result = await runInProcess([
      "watch",
      "a",
      "b",
      "--dry-run",
      "--api-key",
      // A key the scrubber can find without taking letters out of the URL ("k" would).
      "fw-dry-run-key",
      "-a",
      "acme",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "GET https://api.fireworks.ai/v1/accounts/acme/rlorTrainerJobs/a",
    );
    expect(result.stderr).toBe(
      "(dry run: watching would GET each job every 5s until each is COMPLETED,EARLY_STOPPED,PAUSED or ends)\n",
    );
  });
});
