/**
 * `npm run demo`: the whole lifecycle with no API key and no network. Starts the fake Fireworks
 * server and runs the command line against it, as a user would type it: create a job and wait
 * until it runs, list, two train steps, promote the newest checkpoint to a model, cancel the job and watch it until it
 * is cancelled, resume it and wait until its trainer answers (READY: the trainer answers its
 * health probe only after a few tries, as a real one still starting does), delete. Exits with the
 * first failing code.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../src/cli/run.js";
import { startFakeFireworks } from "../src/testing/index.js";

const JOB_ID = "demo-grpo-job";
const FAST = ["--poll-interval", "200ms", "--timeout", "1m"];

const job = {
  displayName: "GRPO on GSM8K (demo)",
  dataset: "accounts/demo-account/datasets/gsm8k",
  keepAlive: true,
  trainingConfig: { baseModel: "accounts/fireworks/models/qwen3-8b", maxContextLength: 8192 },
};

const fake = await startFakeFireworks({
  accountId: "demo-account",
  lifecycle: { pollsPerStep: 2 },
  notReadyProbes: 2,
});
const dir = await mkdtemp(join(tmpdir(), "fireworks-rlor-demo-"));
const jobFile = join(dir, "job.json");
await writeFile(jobFile, JSON.stringify(job, null, 2));
// The command line reads these, as it would in a user's shell.
process.env.FIREWORKS_API_KEY = fake.apiKey;
process.env.FIREWORKS_ACCOUNT_ID = fake.accountId;
process.env.FIREWORKS_BASE_URL = fake.baseUrl;

const steps: string[][] = [
  ["create", "-f", jobFile, "--job-id", JOB_ID, "--wait", ...FAST],
  ["list"],
  // A keep-alive trainer takes steps on demand; each saves a checkpoint (training, then inference).
  ["train-step", JOB_ID, "--dataset", "gsm8k", "--output-model", "demo-step-1"],
  ["train-step", JOB_ID, "--dataset", "gsm8k", "--output-model", "demo-step-2"],
  // Its newest inference checkpoint becomes a model, before any delete could lose it.
  ["promote", JOB_ID, "--latest", "--output-model", "demo-model"],
  // Cancel without waiting, then watch the job (one line per change) until it is cancelled.
  ["cancel", JOB_ID],
  ["watch", JOB_ID, "--until", "CANCELLED", ...FAST],
  // Back to work: RUNNING is not ready, so wait until the trainer answers its health probe.
  ["resume", JOB_ID, "--wait", "--until", "READY", ...FAST],
  ["delete", JOB_ID, "--wait", ...FAST],
];

process.stderr.write(`fake Fireworks server at ${fake.baseUrl}\n`);
const started = performance.now();
let code = 0;
try {
  for (const args of steps) {
    process.stderr.write(`\n$ fireworks-rlor ${args.join(" ").replace(jobFile, "job.json")}\n`);
    code = await runCli(args, { stdout: process.stdout, stderr: process.stderr });
    if (code !== 0) break;
  }
} finally {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stderr.write(
  `\n${code === 0 ? "lifecycle done" : `stopped with exit code ${code}`} in ${seconds} s; ${fake.requests.length} requests served\n`,
);
process.exitCode = code;
