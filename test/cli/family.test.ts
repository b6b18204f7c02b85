import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeFireworks,
  type FakeFireworksOptions,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { type InProcessOptions, type InProcessResult, runInProcess } from "./in-process.js";

let server: FakeFireworks | undefined;
let dir: string | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(options: FakeFireworksOptions = {}): Promise<FakeFireworks> {
  server = await startFakeFireworks({ accountId: "acme", ...options });
  return server;
}

function run(
  fake: FakeFireworks,
  args: string[],
  options: InProcessOptions = {},
): Promise<InProcessResult> {
  return runInProcess(args, {
    ...options,
    env: {
      FIREWORKS_API_KEY: fake.apiKey,
      FIREWORKS_BASE_URL: fake.baseUrl,
      FIREWORKS_ACCOUNT_ID: fake.accountId,
      ...options.env,
    },
  });
}

const FAST_WAIT = ["--poll-interval", "10ms"];

/** ESC, BEL or CSI (C1) anywhere: what a terminal would act on. */
const hasControls = (text: string) => ["\u001b", "\u0007", "\u009b"].some((c) => text.includes(c));
const name = (id: string) => `accounts/acme/rlorTrainerJobs/${id}`;

describe("fireworks-rlor list", () => {
  const jobs = [
    { id: "a" },
    { id: "b", state: "JOB_STATE_RUNNING" },
    { id: "c" },
    { id: "d", state: "JOB_STATE_FAILED" },
  ];

  it("prints an aligned table: name, state, created, base model", async () => {
    const fake = await start({ jobs });
    const result = await run(fake, ["list"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME {2,}STATE {2,}CREATED {2,}BASE MODEL$/);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(
      /^accounts\/acme\/rlorTrainerJobs\/b {2,}RUNNING {2,}\S+ {2,}accounts\/fireworks\/models\/qwen3-8b$/,
    );
    // Every column starts at the same place on every line.
    const starts = (line: string) => [...line.matchAll(/(?<= {2})\S/g)].map((m) => m.index);
    expect(new Set(lines.map((line) => JSON.stringify(starts(line)))).size).toBe(1);
  });

  it("--state PAUSED -o name prints one name per line, for xargs", async () => {
    const fake = await start({ jobs });
    const result = await run(fake, ["list", "--state", "PAUSED", "-o", "name"]);
    expect(result).toMatchObject({ code: 0, stdout: `${name("a")}\n${name("c")}\n`, stderr: "" });
  });

  it("takes the operation's query flags and pages: one page, a note, then --all", async () => {
    const fake = await start({ jobs });
    const one = await run(fake, [
      "list",
      "--page-size",
      "2",
      "--order-by",
      "name desc",
      "-o",
      "name",
    ]);
    expect(one.stdout).toBe(`${name("d")}\n${name("c")}\n`);
    expect(one.stderr).toMatch(/^More on the next page: add --all, or --page-token \S+$/m);
    const all = await run(fake, ["list", "--page-size", "2", "--all", "-o", "name"]);
    expect(all.stdout.trimEnd().split("\n")).toEqual(["a", "b", "c", "d"].map(name));
    expect(fake.requests.at(-1)?.url).toContain("pageToken=");
  });

  it("-o json prints the jobs, secrets redacted", async () => {
    const fake = await start({ jobs });
    const result = await run(fake, [
      "list",
      "--filter",
      'state = "JOB_STATE_FAILED"',
      "-o",
      "json",
    ]);
    const printed = JSON.parse(result.stdout) as { rlorTrainerJobs: { name: string }[] };
    expect(printed.rlorTrainerJobs.map((job) => job.name)).toEqual([name("d")]);
    expect(result.stdout).toContain('"apiKey": "[REDACTED]"');
  });
});

describe("fireworks-rlor create, cancel, delete", () => {
  it("create -f job.json --job-id ID --wait: creates with that id and waits until RUNNING", async () => {
    const fake = await start();
    dir = await mkdtemp(join(tmpdir(), "fireworks-rlor-create-"));
    const file = join(dir, "job.json");
    await writeFile(
      file,
      JSON.stringify({ displayName: "new", trainingConfig: { baseModel: "m" } }),
    );
    const result = await run(fake, [
      "create",
      "-f",
      file,
      "--job-id",
      "new-1",
      "--wait",
      ...FAST_WAIT,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Name {2,}accounts\/acme\/rlorTrainerJobs\/new-1$/m);
    expect(result.stdout).toMatch(/^State {2,}RUNNING$/m);
    expect(fake.requests[0]?.url).toBe("/v1/accounts/acme/rlorTrainerJobs?rlorTrainerJobId=new-1");
  });

  it("create -f - reads the job from stdin; a bad file is a usage error", async () => {
    const fake = await start();
    const ok = await run(fake, ["create", "-f", "-", "-o", "name"], {
      stdin: '{"displayName":"x"}',
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^accounts\/acme\/rlorTrainerJobs\/\S+\n$/);
    const bad = await run(fake, ["create", "-f", "-"], { stdin: "[1]" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--file -: expected a JSON object");
  });

  it("cancel says what happened and how to follow; --wait waits for CANCELLED", async () => {
    const fake = await start({
      jobs: [
        { id: "a", state: "JOB_STATE_RUNNING" },
        { id: "b", state: "JOB_STATE_RUNNING" },
      ],
    });
    const sent = await run(fake, ["cancel", "a", "-o", "name"]);
    expect(sent).toMatchObject({ code: 0, stdout: `${name("a")}\n` });
    expect(sent.stderr).toContain(
      "Cancel sent for a. Follow it with: fireworks-rlor wait a --until CANCELLED",
    );
    const waited = await run(fake, ["cancel", "b", "--wait", ...FAST_WAIT]);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toMatch(/^State {2,}CANCELLED$/m);
  });

  it("delete --wait of several jobs: each reported, the worst exit code", async () => {
    const fake = await start({ jobs: [{ id: "a" }, { id: "b" }] });
    const result = await run(fake, [
      "delete",
      "a",
      "missing",
      "b",
      "--wait",
      "-o",
      "name",
      ...FAST_WAIT,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${name("a")}\n${name("b")}\n`);
    expect(result.stderr).toMatch(/^fireworks-rlor: NotFoundError: 404 .*missing/m);
  });
});

describe("fireworks-rlor on a job's parts", () => {
  it("train-step sends the dataset and output model", async () => {
    const fake = await start({
      jobs: [{ id: "k", state: "JOB_STATE_RUNNING", body: { keepAlive: true } }],
    });
    const result = await run(fake, ["train-step", "k", "--dataset", "ds", "--output-model", "om"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual({ dataset: "ds", outputModel: "om" });
    expect(result.stderr).toContain("Train step started on k");
  });

  it("checkpoints prints a table, names or JSON", async () => {
    const fake = await start({ jobs: [{ id: "a", checkpoints: 3 }] });
    const table = await run(fake, ["checkpoints", "a"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME {2,}TYPE {2,}PROMOTABLE {2,}CREATED$/);
    const names = await run(fake, ["checkpoints", "a", "--page-size", "2", "--all", "-o", "name"]);
    expect(names.stdout.trimEnd().split("\n")).toEqual(
      [1, 2, 3].map((i) => `${name("a")}/checkpoints/step-${i}`),
    );
  });

  it("logs prints the signed URL; --debug never shows it", async () => {
    const fake = await start({ jobs: [{ id: "a" }] });
    const plain = await run(fake, ["logs", "a"]);
    expect(plain.code).toBe(0);
    const url = plain.stdout.trim();
    expect(url.startsWith(`${fake.logOrigin}/`)).toBe(true);
    expect(plain.stderr).toContain("valid for 24 hours");
    const debug = await run(fake, ["logs", "a", "--debug", "-o", "name"]);
    expect(debug.stdout).toBe(`${name("a")}\n`);
    expect(debug.stderr).toContain('"signedUrl":"[REDACTED]"');
    expect(debug.stderr).not.toContain(url);
  });
});

describe("fireworks-rlor and what the server sends", () => {
  it("strips terminal controls from server text in output, progress and errors", async () => {
    const evil = "x\u001b]0;pwned\u0007\u001b[2J\u009b31m";
    const fake = await start({
      jobs: [{ id: "a", body: { displayName: evil, status: { code: "OK", message: evil } } }],
    });
    fake.failNext({ status: 503, body: JSON.stringify({ code: 14, message: evil }) }, 1);
    for (const args of [
      ["get", "a"],
      ["list"],
      ["get", "a", "--debug"],
      ["wait", "a", "--until", "PAUSED", ...FAST_WAIT],
    ]) {
      const result = await run(fake, [...args, "--max-retries", "0"]);
      for (const text of [result.stdout, result.stderr]) {
        expect(hasControls(text)).toBe(false);
      }
    }
    const json = await run(fake, ["get", "a", "-o", "json"]);
    expect(hasControls(json.stdout)).toBe(false);
    expect((JSON.parse(json.stdout) as { displayName: string }).displayName).toBe(evil);
  });
});
