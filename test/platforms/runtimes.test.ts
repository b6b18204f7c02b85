import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";
import { bundleFor, MAIN_ENTRY, nodeBuiltinsIn, ROOT } from "./platform-bundle.js";

const run = promisify(execFile);

/** Each child gets this long; a cold Deno start on a loaded 2-core machine takes about a second. */
const CHILD_TIMEOUT = 20_000;

interface Runtime {
  name: "node" | "bun" | "deno";
  command: string;
  args: (script: string) => string[];
  /** Where the binary comes from, for the message when it is missing. */
  origin: string;
}

const RUNTIMES: readonly Runtime[] = [
  {
    name: "node",
    command: process.execPath,
    args: (script) => [script],
    origin: "the Node.js running the tests",
  },
  {
    name: "bun",
    command: join(ROOT, "node_modules/.bin/bun"),
    args: (script) => ["run", script],
    origin: "the `bun` devDependency",
  },
  {
    name: "deno",
    command: join(ROOT, "node_modules/.bin/deno"),
    // No config, lock file, npm or remote resolution: the script imports one local file, so
    // nothing may reach for a registry.
    args: (script) => [
      "run",
      "--no-prompt",
      "--no-config",
      "--no-lock",
      "--no-remote",
      "--no-npm",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      script,
    ],
    origin: "the `deno` devDependency",
  },
];

/** The README's library example against the fake server: resume a paused job, wait, print. */
function exampleScript(fake: FakeFireworks, jobId: string): string {
  const options = { apiKey: fake.apiKey, accountId: fake.accountId, baseUrl: fake.baseUrl };
  return `import { createFireworksClient, getRlorTrainerJob, resumeRlorTrainerJobAndWait } from "./fireworks-rlor.js";

const client = createFireworksClient(${JSON.stringify(options)});
const before = await getRlorTrainerJob(client, ${JSON.stringify(jobId)});
if (before.state !== "JOB_STATE_PAUSED") throw new Error("expected a paused job, got " + before.state);
const job = await resumeRlorTrainerJobAndWait(client, ${JSON.stringify(jobId)}, { pollInterval: 10 });
console.log(job.state);
`;
}

/** The child's environment: no FIREWORKS_* of the developer's, no colours, no update checks. */
function childEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("FIREWORKS_") && !name.startsWith("DENO_")) env[name] = value;
  }
  return {
    ...env,
    NO_COLOR: "1",
    DENO_DIR: join(dir, "deno-cache"),
    DENO_NO_UPDATE_CHECK: "1",
    DENO_NO_PROMPT: "1",
  };
}

let dir: string;
let fake: FakeFireworks;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fireworks-rlor-platforms-"));
  // The main entry with its dependencies in one file, for the neutral platform: no node_modules
  // lookup in any runtime, and nothing a browser could not load either.
  const bundle = await bundleFor("neutral", `export * from ${JSON.stringify(MAIN_ENTRY)};`);
  expect(nodeBuiltinsIn(bundle)).toEqual([]);
  await writeFile(join(dir, "fireworks-rlor.js"), bundle.text);
  // Paused jobs, one per runtime; a resumed one shows PAUSED once, then RE_QUEUEING, PENDING, RUNNING.
  fake = await startFakeFireworks({
    jobs: RUNTIMES.map((runtime) => ({ id: `job-${runtime.name}` })),
  });
});

afterAll(async () => {
  await fake?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("the library example runs on every runtime with fetch", () => {
  it.each(RUNTIMES)("$name", async (runtime) => {
    if (!existsSync(runtime.command)) {
      throw new Error(
        `${runtime.name} is missing at ${runtime.command} (${runtime.origin}): run \`npm ci\`; its install script links the binary`,
      );
    }
    const jobId = `job-${runtime.name}`;
    const script = join(dir, `example-${runtime.name}.mjs`);
    await writeFile(script, exampleScript(fake, jobId));
    const { stdout, stderr } = await run(runtime.command, runtime.args(script), {
      cwd: dir,
      env: childEnv(dir),
      timeout: CHILD_TIMEOUT,
      killSignal: "SIGKILL",
    }).catch((error: unknown) => {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      throw new Error(`${runtime.name} failed: ${String(error)}\n${stdout}\n${stderr}`);
    });
    expect({ stdout: stdout.trim(), stderr: stderr.trim() }).toEqual({
      stdout: "JOB_STATE_RUNNING",
      stderr: "",
    });
    const path = `/v1/accounts/${fake.accountId}/rlorTrainerJobs/${jobId}`;
    const seen = fake.requests
      .filter((request) => request.url.startsWith(path))
      .map((request) => `${request.method} ${request.url}`);
    // One get, one resume, then polls until RUNNING.
    expect(seen.slice(0, 2)).toEqual([`GET ${path}`, `POST ${path}:resume`]);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.slice(2).every((line) => line === `GET ${path}`)).toBe(true);
    expect(fake.getJob(jobId)?.state).toBe("JOB_STATE_RUNNING");
  });
});
