/** `npm run demo` walks the lifecycle against the fake server, as the README promises. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

it("walks create, list, train steps, promote, cancel and watch, resume until READY and delete, each exiting 0", async () => {
  const { stderr, stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "scripts/demo.ts"],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? "" } },
  );
  const commands = stderr
    .split("\n")
    .filter((line) => line.startsWith("$ fireworks-rlor "))
    .map((line) => line.split(" ")[2]);
  expect(commands).toEqual([
    "create",
    "list",
    "train-step",
    "train-step",
    "promote",
    "cancel",
    "watch",
    "resume",
    "delete",
  ]);
  expect(stderr).toMatch(/^lifecycle done in [\d.]+ s; \d+ requests served$/m);
  for (const state of ["RUNNING", "DELETED"]) {
    expect(stdout).toMatch(new RegExp(`^State {2,}${state}$`, "m"));
  }
  // The promote made a model of the newest promotable checkpoint.
  expect(stderr).toMatch(
    /^Promoted checkpoint step-2 of demo-grpo-job to accounts\/demo-account\/models\/demo-model /m,
  );
  expect(stdout).toMatch(/^Name {2,}accounts\/demo-account\/models\/demo-model$/m);
  // The watch follows the cancel to its end.
  expect(stderr).toMatch(
    /^\[[\d.]+s\] accounts\/demo-account\/rlorTrainerJobs\/demo-grpo-job: CANCELLING -> CANCELLED( .*)? \[reached\]$/m,
  );
  expect(stderr).toMatch(/^\$ fireworks-rlor resume demo-grpo-job --wait --until READY /m);
  expect(stderr).toMatch(/-> RUNNING, waiting for the trainer to answer$/m);
  expect(stdout).toMatch(
    /^Trainer {2,}http:\/\/127\.0\.0\.1:\d+\/training\/v1\/rlorTrainerJobs\/demo-account\/demo-grpo-job$/m,
  );
  expect(stdout).toMatch(/^Max context {2,}8192$/m);
});
