import { describe, expect, it } from "vitest";
import { createFireworksClientWithPolicy } from "../../src/core/client.js";
import {
  APITimeoutError,
  APIUserAbortError,
  type Fetch,
  getRlorTrainerJob,
} from "../../src/index.js";
import { type FaultServer, hang, useFaultServer } from "../helpers/fault-server.js";
import { recordingPolicy } from "../helpers/retry-recorder.js";

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});

/** A custom fetch that drops the signal it is given: nothing it starts can be aborted. */
const deaf: Fetch = (url, init) => globalThis.fetch(url, { ...init, signal: null });

/** Answers at once with a 200 whose body starts and never ends, whatever the signal says. */
const endlessBody: Fetch = async () =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"name":'));
      },
    }),
    { status: 200, headers: { "content-type": "application/json" } },
  );

/** The timeout is what is tested: the backoff between the two attempts is recorded, not slept. */
function client(fetch: Fetch) {
  return createFireworksClientWithPolicy(
    {
      apiKey: "test-key",
      accountId: "acme",
      baseUrl: server.url,
      fetch,
      timeout: 100,
      maxRetries: 1,
    },
    recordingPolicy(),
  );
}

describe("a custom fetch that ignores its signal", () => {
  it("is timed out all the same: each attempt ends at the timeout", async () => {
    server.script(hang(), hang());
    await expect(getRlorTrainerJob(client(deaf), "job-1")).rejects.toBeInstanceOf(APITimeoutError);
    expect(server.requests).toHaveLength(2);
  });

  it("is timed out while its body never ends", async () => {
    await expect(getRlorTrainerJob(client(endlessBody), "job-1")).rejects.toBeInstanceOf(
      APITimeoutError,
    );
  });

  it("is stopped by the caller's abort", async () => {
    server.script(hang());
    const controller = new AbortController();
    const call = getRlorTrainerJob(client(deaf), "job-1", {
      signal: controller.signal,
      timeout: 60_000,
    });
    await expect.poll(() => server.requests.length).toBe(1);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
  });
});
