import { afterEach, describe, expect, it } from "vitest";
import {
  FAKE_WANDB_API_KEY,
  type FakeFireworks,
  type FakeFireworksOptions,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { json, startFaultServer } from "../helpers/fault-server.js";
import { type InProcessResult, runAgainst, runInProcess } from "./in-process.js";

const started: FakeFireworks[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

async function start(options: FakeFireworksOptions = {}): Promise<FakeFireworks> {
  const fake = await startFakeFireworks({ accountId: "acme", ...options });
  started.push(fake);
  return fake;
}

const run = runAgainst;

const FAST_WAIT = ["--poll-interval", "10ms"];
const probes = (fake: FakeFireworks) =>
  fake.requests.filter((request) => request.url.endsWith("/api/v1/healthz")).length;

function expectNoSecrets(result: InProcessResult, fake: FakeFireworks): void {
  for (const output of [result.stdout, result.stderr]) {
    expect(output).not.toContain(FAKE_WANDB_API_KEY);
    expect(output).not.toContain(fake.apiKey);
  }
}

describe("--until READY", () => {
  it("resume --wait --until READY: waits for the trainer, shows it probing, prints the endpoint", async () => {
    const fake = await start({ jobs: [{ id: "job-1", notReadyProbes: 2 }] });
    const result = await run(fake, ["resume", "job-1", "--wait", "--until", "READY", ...FAST_WAIT]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /Waiting up to 15m0s, plus 48h0m0s in PENDING, for job-1 to reach READY/,
    );
    expect(result.stderr).toMatch(/PENDING -> RUNNING, waiting for the trainer to answer$/m);
    expect(result.stdout).toMatch(/^State {2,}RUNNING$/m);
    expect(result.stdout).toMatch(
      new RegExp(`^Trainer {2,}${fake.baseUrl}/training/v1/rlorTrainerJobs/acme/job-1$`, "m"),
    );
    expect(result.stdout).toMatch(/^Max context {2,}8192$/m);
    expect(probes(fake)).toBe(3);
    expectNoSecrets(result, fake);
  });

  it("wait --until ready -o json prints {job, endpoint}, secrets redacted", async () => {
    const fake = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING" }] });
    const result = await run(fake, [
      "wait",
      "job-1",
      "--until",
      "ready",
      "-o",
      "json",
      ...FAST_WAIT,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      job: expect.objectContaining({
        state: "JOB_STATE_RUNNING",
        wandbConfig: expect.objectContaining({ apiKey: "[REDACTED]" }),
      }),
      endpoint: {
        baseUrl: `${fake.baseUrl}/training/v1/rlorTrainerJobs/acme/job-1`,
        jobName: "accounts/acme/rlorTrainerJobs/job-1",
        jobId: "job-1",
        maxContextLength: 8192,
      },
    });
  });

  it("create -f - --wait --until READY creates and waits for the trainer", async () => {
    const fake = await start({ notReadyProbes: 1 });
    const result = await runInProcess(
      [
        "create",
        "-f",
        "-",
        "--job-id",
        "job-7",
        "--wait",
        "--until",
        "READY",
        "-o",
        "json",
        ...FAST_WAIT,
      ],
      {
        env: {
          FIREWORKS_API_KEY: fake.apiKey,
          FIREWORKS_BASE_URL: fake.baseUrl,
          FIREWORKS_ACCOUNT_ID: fake.accountId,
        },
        stdin: JSON.stringify({ keepAlive: true }),
      },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ endpoint: { jobId: "job-7" } });
    expect(probes(fake)).toBe(2);
  });

  it("times out with exit 3, saying the trainer did not answer and how to keep waiting", async () => {
    const fake = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", notReadyProbes: 1_000_000 }],
    });
    const result = await run(fake, [
      "wait",
      "job-1",
      "--until",
      "READY",
      // Long enough for the first poll to see RUNNING on a loaded machine, whose line it names.
      "--timeout",
      "1500ms",
      ...FAST_WAIT,
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /job-1 did not reach READY within 1500ms outside PENDING \(last seen RUNNING\), its trainer not answering yet; --timeout raises this limit/,
    );
    expect(result.stderr).toMatch(
      /To keep waiting: fireworks-rlor wait job-1 --until READY --timeout 1500ms/,
    );
  });

  it.each([
    [["wait", "job-1", "--until", "READY,PAUSED"], /--until READY stands alone.*PAUSED/],
    [
      ["resume", "job-1", "--wait", "--until", "READY", "--until", "RUNNING"],
      /stands alone.*RUNNING/,
    ],
    [
      ["create", "-f", "-", "--wait", "--until", "PAUSED"],
      /create: --until takes RUNNING or READY/,
    ],
    [["reconnect", "job-1", "--until", "RUNNING"], /reconnect: --until takes only READY/],
    [["reconnect", "job-1", "--settle-timeout", "-1s"], /settle-timeout/],
    [
      ["wait", "job-1", "--trusted-origin", "https://t.example.com"],
      /--trusted-origin needs --until READY/,
    ],
    [
      ["wait", "job-1", "--until", "READY", "--trusted-origin", "http://t.example.com"],
      /trustedOrigins: .*not trusted/,
    ],
    [["reconnect", "job-1", "--trusted-origin", "t.example.com"], /trustedOrigins: .*not a URL/],
  ])("refuses %j before any request (exit 2)", async (args, message) => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await run(fake, args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    [["resume", "job-1", "job-2", "--wait", "--trusted-origin", "https://t.example.com"]],
    [["reconnect", "job-1", "job-2", "--until", "RUNNING"]],
    [["wait", "job-1", "job-2", "--until", "READY", "--trusted-origin", "t.example.com"]],
  ])("refuses %j once for the whole command, not once per job", async (args) => {
    const fake = await start({ jobs: [{ id: "job-1" }, { id: "job-2" }] });
    const result = await run(fake, args);
    expect(result.code).toBe(2);
    expect(result.stderr.match(/^fireworks-rlor: /gm)).toHaveLength(1);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("--trusted-origin", () => {
  it("lets a ready wait probe a directRouteHandle on that origin, and only then", async () => {
    const foreign = await startFaultServer();
    try {
      foreign.script(json(200, { status: "ok" }));
      const fake = await start({
        jobs: [
          {
            id: "job-1",
            state: "JOB_STATE_RUNNING",
            notReadyProbes: 1_000_000,
            body: { directRouteHandle: foreign.url },
          },
        ],
      });
      const untrusted = await run(fake, [
        "wait",
        "job-1",
        "--until",
        "READY",
        "--timeout",
        "200ms",
        ...FAST_WAIT,
      ]);
      expect(untrusted.code).toBe(3);
      expect(foreign.requests).toHaveLength(0);
      const trusted = await run(fake, [
        "wait",
        "job-1",
        "--until",
        "READY",
        "--trusted-origin",
        foreign.url,
        ...FAST_WAIT,
      ]);
      expect(trusted.code).toBe(0);
      expect(trusted.stdout).toMatch(new RegExp(`^Trainer {2,}${foreign.url}$`, "m"));
      expect(foreign.requests.map((request) => request.url)).toEqual(["/api/v1/healthz"]);
    } finally {
      await foreign.close();
    }
  });
});

describe("fireworks-rlor reconnect", () => {
  it("resumes a failed job and one that runs, waits for both trainers; the exit code is the worst", async () => {
    const fake = await start({
      jobs: [
        { id: "a", state: "JOB_STATE_FAILED", notReadyProbes: 1 },
        { id: "b", state: "JOB_STATE_RUNNING" },
        { id: "c", state: "JOB_STATE_DELETED" },
      ],
    });
    const result = await run(fake, ["reconnect", "a", "b", "c", "-o", "name", ...FAST_WAIT]);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe(
      "accounts/acme/rlorTrainerJobs/a\naccounts/acme/rlorTrainerJobs/b\naccounts/acme/rlorTrainerJobs/c\n",
    );
    expect(result.stderr).toMatch(
      /Waiting up to 10m0s, plus 48h0m0s in PENDING, for a to reach READY/,
    );
    expect(result.stderr).toMatch(/FAILED -> RE_QUEUEING/);
    expect(result.stderr).toMatch(/c was deleted DELETED before reaching READY/);
    const resumes = fake.requests.filter((request) => request.url.endsWith(":resume"));
    expect(resumes.map((request) => request.url)).toEqual([
      "/v1/accounts/acme/rlorTrainerJobs/a:resume",
    ]);
  });

  it("takes the flags of every wait that heads for a running job, and --help lists them", async () => {
    const help = await runInProcess(["help", "reconnect"]);
    for (const flag of ["--pending-timeout", "--stall-timeout", "--on-stall"]) {
      expect(help.stdout).toContain(`      ${flag} `);
    }
    const fake = await start({
      jobs: [
        { id: "queued", state: "JOB_STATE_PENDING" },
        {
          id: "stuck",
          state: "JOB_STATE_RUNNING",
          notReadyProbes: 1_000_000,
          lifecycle: { stall: true },
        },
      ],
    });
    const pending = await run(fake, [
      "reconnect",
      "queued",
      "--pending-timeout",
      "100ms",
      ...FAST_WAIT,
    ]);
    expect(pending.code).toBe(3);
    expect(pending.stderr).toMatch(
      /Waiting up to 10m0s, plus 100ms in PENDING, for queued to reach READY/,
    );
    expect(pending.stderr).toMatch(
      /within 100ms in PENDING, .*--pending-timeout raises this limit/,
    );
    const stalled = await run(fake, [
      "reconnect",
      "stuck",
      "--stall-timeout",
      "200ms",
      "--on-stall",
      "cancel",
      ...FAST_WAIT,
    ]);
    expect(stalled.code).toBe(5);
    expect(stalled.stderr).toMatch(
      /stuck made no progress for 200ms while RUNNING .*cancel sent$/m,
    );
    expect(fake.getJob("stuck")?.state).toBe("JOB_STATE_CANCELLING");
  });

  it("--dry-run shows the read it starts with and sends nothing", async () => {
    const fake = await start({ jobs: [{ id: "job-1" }] });
    const result = await runInProcess(["reconnect", "job-1", "--dry-run"], {
      env: {
        FIREWORKS_API_KEY: fake.apiKey,
        FIREWORKS_BASE_URL: fake.baseUrl,
        FIREWORKS_ACCOUNT_ID: "acme",
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^GET .*\/v1\/accounts\/acme\/rlorTrainerJobs\/job-1$/m);
    expect(result.stderr).toContain(
      "(dry run: waiting would poll GET job-1 and then its trainer's health route every 5s until READY, for up to 10m0s, plus 48h0m0s in PENDING)\n",
    );
    expect(fake.requests).toHaveLength(0);
  });
});
