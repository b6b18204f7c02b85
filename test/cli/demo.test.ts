/** `npm run demo` walks the lifecycle against the fake server, as the README promises. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

it("walks create, list, cancel, resume, watch, wait until READY and delete, each exiting 0", async () => {
  const { stderr, stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "scripts/demo.ts"],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? "" } },
  );
  const commands = stderr
    .split("\n")
    .filter((line) => line.startsWith("$ fireworks-rlor "))
    .map((line) => line.split(" ")[2]);
  expect(commands).toEqual(["create", "list", "cancel", "resume", "watch", "wait", "delete"]);
  expect(stderr).toMatch(
    /^\[[\d.]+s\] accounts\/demo-account\/rlorTrainerJobs\/demo-grpo-job: \S+ -> RUNNING( .*)? \[reached\]$/m,
  );
  expect(stderr).toMatch(/^lifecycle done in [\d.]+ s; \d+ requests served$/m);
  for (const state of ["RUNNING", "CANCELLED", "DELETED"]) {
    expect(stdout).toMatch(new RegExp(`^State {2,}${state}$`, "m"));
  }
  expect(stderr).toMatch(/^\$ fireworks-rlor wait demo-grpo-job --until READY /m);
  expect(stderr).toMatch(/\] RUNNING, waiting for the trainer to answer$/m);
  expect(stdout).toMatch(
    /^Trainer {2,}http:\/\/127\.0\.0\.1:\d+\/training\/v1\/rlorTrainerJobs\/demo-account\/demo-grpo-job$/m,
  );
});
