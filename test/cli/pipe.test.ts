/** The README's pipe: names from `list -o name` feed `resume`, one process per job (xargs -n1). */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";
import { type BuiltCli, buildCli } from "./cli-harness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// The bin in front of a bundle: each of the pipe's three processes starts as a plain `node`, not
// through tsx's loader.
let cli: BuiltCli;
let fake: FakeFireworks | undefined;
beforeAll(async () => {
  cli = await buildCli();
});
afterAll(async () => {
  await fake?.close();
  await cli?.remove();
});

it("fireworks-rlor list --state PAUSED -o name | xargs -n1 fireworks-rlor resume", async () => {
  fake = await startFakeFireworks({
    jobs: [{ id: "paused-1" }, { id: "running-1", state: "JOB_STATE_RUNNING" }, { id: "paused-2" }],
  });
  const CLI = `"${process.execPath}" "${cli.main}"`;
  const { stderr } = await promisify(execFile)(
    "sh",
    ["-c", `${CLI} list --state PAUSED -o name | xargs -n1 ${CLI} resume -o name`],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        FIREWORKS_API_KEY: fake.apiKey,
        FIREWORKS_ACCOUNT_ID: fake.accountId,
        FIREWORKS_BASE_URL: fake.baseUrl,
      },
    },
  );
  const resumed = fake.requests
    .filter((request) => request.method === "POST")
    .map((request) => request.url);
  expect(resumed, stderr).toEqual([
    `/v1/accounts/${fake.accountId}/rlorTrainerJobs/paused-1:resume`,
    `/v1/accounts/${fake.accountId}/rlorTrainerJobs/paused-2:resume`,
  ]);
  expect(fake.getJob("running-1")?.state).toBe("JOB_STATE_RUNNING");
});
