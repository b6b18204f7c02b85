/** What the command line prints on stdout holds no secret the client knows, whatever the server echoes. */
import { afterEach, expect, it } from "vitest";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";
import { runAgainst } from "./in-process.js";

let fake: FakeFireworks | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

it.each([
  ["get", "text"],
  ["get", "json"],
  ["list", "text"],
  ["list", "json"],
])("%s -o %s: a job echoing the API key prints it redacted", async (command, output) => {
  fake = await startFakeFireworks({ accountId: "acme" });
  fake.addJob({ id: "job-1", state: "JOB_STATE_FAILED" });
  fake.setJobState("job-1", "JOB_STATE_FAILED", {
    code: "INVALID_ARGUMENT",
    message: `bad key ${fake.apiKey}`,
  });
  const args = command === "get" ? ["get", "job-1"] : ["list"];
  const { code, stdout } = await runAgainst(fake, [...args, "-o", output]);
  expect(code).toBe(0);
  expect(stdout).not.toContain(fake.apiKey);
  if (output === "json" && command === "get") expect(stdout).toContain("bad key [REDACTED]");
});
