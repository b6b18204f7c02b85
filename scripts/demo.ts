/**
 * `npm run demo`: the whole resume-and-wait path with no API key and no network. Starts the
 * fake Fireworks server with a PAUSED job, runs `fireworks-rlor resume <job> --wait` against it
 * as a child process, and exits with the CLI's exit code.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import { startFakeFireworks } from "../src/testing/index.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const JOB_ID = "demo-grpo-job";

const fake = await startFakeFireworks({
  accountId: "demo-account",
  jobs: [{ id: JOB_ID, body: { displayName: "GRPO on GSM8K (demo)" } }],
  // Each step is shown for two polls, so the state changes are easy to follow.
  steps: { pollsPerStep: 2 },
});

const args = ["resume", JOB_ID, "--wait", "--poll-interval", "300ms", "--wait-timeout", "1m"];
process.stderr.write(`fake Fireworks server at ${fake.baseUrl}, job ${JOB_ID} is PAUSED\n`);
process.stderr.write(`$ fireworks-rlor ${args.join(" ")}\n\n`);

const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
  cwd: ROOT,
  env: {
    ...process.env,
    FIREWORKS_API_KEY: fake.apiKey,
    FIREWORKS_BASE_URL: fake.baseUrl,
    FIREWORKS_ACCOUNT_ID: fake.accountId,
  },
  stdio: ["ignore", "inherit", "inherit"],
});
// Ctrl-C reaches the CLI too (same process group); it stops by itself and reports 130.
process.on("SIGINT", () => undefined);
const code = await new Promise<number>((resolve) => {
  child.on("close", (exitCode, signal) =>
    resolve(exitCode ?? 128 + (signal ? constants.signals[signal] : 0)),
  );
  child.on("error", () => resolve(1));
});
await fake.close();
process.stderr.write(
  `\nfireworks-rlor exited with code ${code}; ${fake.requests.length} requests served\n`,
);
process.exitCode = code;
