/**
 * A server that echoes secrets into a job's status: the wait's errors must not carry them, in
 * any field a user may print (message, stack, statusMessage, the job).
 */
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createFireworksClient,
  getRlorTrainerJobPublicLogs,
  JobFailedError,
  resumeRlorTrainerJobAndWait,
  WaitTimeoutError,
  waitForRlorTrainerJob,
} from "../../src/index.js";
import {
  FAKE_PUBLIC_LOGS_SIGNATURE,
  FAKE_WANDB_API_KEY,
  type FakeFireworks,
  startFakeFireworks,
} from "../../src/testing/index.js";

let fake: FakeFireworks | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await fake?.close();
  fake = undefined;
});

function everything(error: unknown): string {
  const { message, stack } = error as Error;
  return [message, stack, inspect(error, { depth: 10 }), JSON.stringify(error)].join("\n");
}

describe("wait errors keep secrets out", () => {
  it("JobFailedError: the API key, a signed URL the client returned and the W&B key", async () => {
    fake = await startFakeFireworks({ jobs: [{ id: "job-1" }] });
    const client = createFireworksClient({
      apiKey: fake.apiKey,
      accountId: fake.accountId,
      baseUrl: fake.baseUrl,
    });
    const { signedUrl } = await getRlorTrainerJobPublicLogs(client, "job-1");
    fake.addJob({
      id: "job-2",
      resume: { fail: `denied for key ${fake.apiKey}; logs at ${signedUrl ?? ""}` },
    });
    const error = await resumeRlorTrainerJobAndWait(client, "job-2", { pollInterval: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).statusMessage).toContain("denied for key [REDACTED]");
    const text = everything(error);
    for (const secret of [fake.apiKey, FAKE_PUBLIC_LOGS_SIGNATURE, FAKE_WANDB_API_KEY]) {
      expect(text).not.toContain(secret);
    }
  });

  it("WaitTimeoutError: the API key echoed into the last job seen", async () => {
    fake = await startFakeFireworks({ jobs: [{ id: "job-1", state: "JOB_STATE_PENDING" }] });
    fake.setJobState("job-1", "JOB_STATE_PENDING", {
      code: "OK",
      message: `queued for ${fake.apiKey}`,
    });
    const client = createFireworksClient({
      apiKey: fake.apiKey,
      accountId: fake.accountId,
      baseUrl: fake.baseUrl,
    });
    // Only the wait's own clock uses the global setTimeout once the first job is in (the poll
    // interval is the longest there is): fake time runs out the limit with no real wait.
    let polled: () => void = () => undefined;
    const firstPoll = new Promise<void>((resolve) => {
      polled = resolve;
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pending = waitForRlorTrainerJob(client, "job-1", {
      pendingTimeout: 1000,
      pollInterval: 2 ** 31 - 1,
      onStateChange: () => polled(),
    }).catch((e: unknown) => e);
    await firstPoll;
    await vi.advanceTimersByTimeAsync(1000);
    const error = await pending;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(JSON.stringify((error as WaitTimeoutError).job)).toContain("queued for [REDACTED]");
    expect(everything(error)).not.toContain(fake.apiKey);
  });
});
