/**
 * followRlorTrainerJobLogs against the fake server's log storage (its own loopback origin, with
 * Range support and expiring signatures) and against the fault server as a hostile storage host.
 */
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  APIUserAbortError,
  createFireworksClient,
  type Fetch,
  type FireworksClient,
  type FollowLogsOptions,
  followRlorTrainerJobLogs,
  getRlorTrainerJobPublicLogs,
  InvalidArgumentError,
  LogStorageError,
} from "../../src/index.js";
import {
  type FakeFireworks,
  type FakeFireworksOptions,
  type FakeJobInit,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { type FaultServer, reset, startFaultServer, text } from "../helpers/fault-server.js";

let fake: FakeFireworks | undefined;
let storage: FaultServer | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await fake?.close();
  await storage?.close();
  fake = undefined;
  storage = undefined;
});

async function start(
  options: FakeFireworksOptions,
  fetch?: Fetch,
): Promise<{ fake: FakeFireworks; client: FireworksClient }> {
  fake = await startFakeFireworks(options);
  const client = createFireworksClient({
    apiKey: fake.apiKey,
    accountId: fake.accountId,
    baseUrl: fake.baseUrl,
    headers: { "x-team-secret": "team-secret-6d1f0a" },
    fetch,
  });
  return { fake, client };
}

/**
 * Signed URLs' lifetimes on fake time: `Date` (the client's and the fake storage's clock) stands
 * still, and the client's fetch moves it on `step` ms before each poll of the job, so the polls
 * come `step` ms apart without the test sleeping through them.
 */
function pollsApart(step: number): Fetch {
  vi.useFakeTimers({ toFake: ["Date"] });
  return (url, init) => {
    if (init.method === "GET" && new URL(url).pathname.endsWith("/rlorTrainerJobs/job-1")) {
      vi.setSystemTime(Date.now() + step);
    }
    return globalThis.fetch(url, init);
  };
}

/** A job at work for `polls` GETs, then COMPLETED; its log grows one part per read. */
function growingJob(log: readonly string[], polls: number): FakeJobInit {
  return {
    id: "job-1",
    state: "JOB_STATE_RUNNING",
    resumed: true,
    resume: {
      staleReads: 0,
      path: ["JOB_STATE_RUNNING"],
      final: "JOB_STATE_COMPLETED",
      pollsPerStep: polls,
    },
    log,
  };
}

async function collect(
  client: FireworksClient,
  options: FollowLogsOptions = {},
): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of followRlorTrainerJobLogs(client, "job-1", options)) {
    chunks.push(chunk);
  }
  return chunks;
}

const FAST = { pollInterval: 5 };
const PARTS = ["step 1 loss=0.69\n", "step 2 loss=0.54\n", "step 3 loss=0.41\n", "done\n"];

function rangeStarts(server: FakeFireworks): number[] {
  return server.logRequests.map((request) =>
    Number(/^bytes=(\d+)-/.exec(String(request.headers.range))?.[1]),
  );
}

function apiCalls(server: FakeFireworks, suffix: string): number {
  return server.requests.filter((request) => request.url.endsWith(suffix)).length;
}

function everything(error: unknown): string {
  const { message, stack } = error as Error;
  return [message, stack, inspect(error, { depth: 10 }), JSON.stringify(error)].join("\n");
}

describe("followRlorTrainerJobLogs", () => {
  it("prints a log that grows across three polls once, in order, with no byte twice, and ends with the job", async () => {
    const { fake, client } = await start({ jobs: [growingJob(PARTS, 4)] });
    const chunks = await collect(client, FAST);
    // One part per poll: the first three while the job runs, the last once it has completed.
    expect(chunks).toEqual(PARTS);
    // Each read asked from where the one before ended: no byte was asked for (or sent) twice.
    const ends = PARTS.map((_, i) => Buffer.byteLength(PARTS.slice(0, i).join("")));
    expect(rangeStarts(fake)).toEqual([...ends, Buffer.byteLength(PARTS.join(""))]);
    expect(fake.getJob("job-1")?.state).toBe("JOB_STATE_COMPLETED");
    expect(apiCalls(fake, "/publicLogs")).toBe(1);
  });

  it("reads the whole log of a job being deleted at once: the fake and the client agree it rests", async () => {
    const { client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_DELETING", log: PARTS }],
    });
    expect((await collect(client, FAST)).join("")).toBe(PARTS.join(""));
  });

  it("skips the bytes already passed on when the host ignores Range (200), and takes 416 as nothing new", async () => {
    const log = ["a\n", "", "b\n", "c\n"];
    const { fake, client } = await start({
      jobs: [growingJob(log, 4)],
      logs: { ignoreRange: true },
    });
    expect((await collect(client, FAST)).join("")).toBe("a\nb\nc\n");
    await fake.close();
    const ranged = await start({ jobs: [growingJob(log, 4)] });
    expect(await collect(ranged.client, FAST)).toEqual(["a\n", "b\n", "c\n"]);
  });

  it("reads a log larger than one read's limit in several reads, each byte once", async () => {
    const log = ["0123456789\nabcdefghij\nKLMNOPQRST\n"];
    const { fake, client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_COMPLETED", log }],
    });
    const chunks = await collect(client, { ...FAST, maxBytesPerRead: 8 });
    expect(chunks.join("")).toBe(log[0]);
    expect(rangeStarts(fake)).toEqual([0, 8, 16, 24, 32]);
    expect(fake.logRequests.map((request) => request.headers.range)).toContain("bytes=8-15");
  });

  it("without follow, reads the log once and never polls the job", async () => {
    const { fake, client } = await start({ jobs: [growingJob(PARTS, 4)] });
    expect(await collect(client, { follow: false })).toEqual([PARTS[0]]);
    expect(apiCalls(fake, "/job-1")).toBe(0);
  });

  it("asks publicLogs for a new URL when the storage refuses an expired signature", async () => {
    const { fake, client } = await start(
      { jobs: [growingJob(PARTS, 4)], logs: { signatureTtl: 200 } },
      pollsApart(300),
    );
    expect((await collect(client, FAST)).join("")).toBe(PARTS.join(""));
    // The URL says it lives 1 s, the storage gives it 200 ms: a read a poll (300 ms) later is
    // refused, then made again with a new URL.
    expect(apiCalls(fake, "/publicLogs")).toBeGreaterThanOrEqual(2);
    const signatures = fake.logRequests.map((request) =>
      new URL(request.url, fake.logOrigin).searchParams.get("X-Goog-Signature"),
    );
    expect(new Set(signatures).size).toBe(apiCalls(fake, "/publicLogs"));
    // Reads refused and made again: more storage requests than polls.
    expect(fake.logRequests.length).toBeGreaterThan(apiCalls(fake, "/job-1"));
  });

  it("asks for a new URL before the one in hand nears its end, with no refused read", async () => {
    const { fake, client } = await start(
      { jobs: [growingJob(PARTS, 4)], logs: { signatureTtl: 1000 } },
      pollsApart(400),
    );
    expect((await collect(client, FAST)).join("")).toBe(PARTS.join(""));
    expect(apiCalls(fake, "/publicLogs")).toBeGreaterThanOrEqual(2);
    // One storage request per poll: none was refused and made again.
    expect(fake.logRequests.length).toBe(apiCalls(fake, "/job-1"));
  });

  it("never sends the API key, or the client's headers, to the storage host", async () => {
    const { fake, client } = await start({ jobs: [growingJob(PARTS, 4)] });
    await collect(client, FAST);
    expect(fake.logRequests.length).toBeGreaterThan(0);
    for (const request of fake.logRequests) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers["x-team-secret"]).toBeUndefined();
      expect(JSON.stringify(request.headers)).not.toContain(fake.apiKey);
    }
    expect(new URL(fake.logOrigin).origin).not.toBe(new URL(fake.baseUrl).origin);
  });

  it("the fake's storage refuses a request that carries an Authorization header", async () => {
    const { fake, client } = await start({ jobs: [{ id: "job-1", log: ["x\n"] }] });
    const { signedUrl = "" } = await getRlorTrainerJobPublicLogs(client, "job-1");
    expect(new URL(signedUrl).origin).toBe(fake.logOrigin);
    const withKey = await fetch(signedUrl, { headers: { authorization: `Bearer ${fake.apiKey}` } });
    expect(withKey.status).toBe(400);
    expect(await withKey.text()).toContain("takes no Authorization header");
    expect((await fetch(signedUrl)).status).toBe(200);
  });

  it("keeps a signed URL the storage host echoes out of errors and text", async () => {
    storage = await startFaultServer();
    const signature = "hostile-signature-0b7e4f2a91";
    const signedUrl = `${storage.url}/log?X-Goog-Expires=86400&X-Goog-Credential=sa%40p&X-Goog-Signature=${signature}`;
    const xmlEscaped = signedUrl.replaceAll("&", "&amp;");
    const { client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_COMPLETED" }],
      behaviours: { getRlorTrainerJobPublicLogs: () => ({ body: { signedUrl } }) },
    });
    // In the log itself (raw and XML-escaped), then in refusals' bodies and headers.
    storage.script(text(200, `fetched ${signedUrl}\nagain ${xmlEscaped}\nsig=${signature}\n`));
    const chunks = await collect(client, { follow: false });
    const printed = chunks.join("");
    expect(printed).toContain("fetched [REDACTED]");
    for (const leak of [signature, signedUrl]) expect(printed).not.toContain(leak);
    const refusal = text(403, `<Error><Details>GET ${xmlEscaped}</Details></Error>`, {
      "x-echo": signedUrl,
      location: signedUrl,
    });
    // A body longer than the error reads, with the signature across the point where it stops.
    const long = text(400, `${" ".repeat(16 * 1024 - 10)}${signature} and more`);
    for (const second of [refusal, long]) {
      storage.script(refusal, second);
      const error = await collect(client, { follow: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogStorageError);
      expect((error as Error).message).toMatch(/answered 40[03]/);
      for (const leak of [signature, signedUrl, signature.slice(0, 10)]) {
        expect(everything(error)).not.toContain(leak);
      }
    }
  });

  it("a connection the storage host drops is an error without the URL; in follow it passes", async () => {
    storage = await startFaultServer();
    const signedUrl = `${storage.url}/log?X-Goog-Signature=dropped-signature-5c2d8e`;
    const { client } = await start({
      jobs: [growingJob([], 3)],
      behaviours: { getRlorTrainerJobPublicLogs: () => ({ body: { signedUrl } }) },
    });
    const after = text(200, "after the drop\n");
    storage.script(reset(), after, after, after, after, after, after);
    const passing: unknown[] = [];
    const chunks = await collect(client, { ...FAST, onPollError: (e) => passing.push(e) });
    expect(chunks.join("")).toBe("after the drop\n");
    expect(passing).toHaveLength(1);
    expect(passing[0]).toBeInstanceOf(LogStorageError);
    expect(everything(passing[0])).not.toContain("dropped-signature-5c2d8e");
  });

  it("takes a 206 from where it was asked: skips bytes sent again, refuses a gap and a redirect", async () => {
    storage = await startFaultServer();
    const signedUrl = `${storage.url}/log?X-Goog-Signature=range-signature-7a3e91`;
    const { client } = await start({
      jobs: [growingJob([], 2)],
      behaviours: { getRlorTrainerJobPublicLogs: () => ({ body: { signedUrl } }) },
    });
    const again = text(206, "a\nb\n", { "content-range": "bytes 0-3/4" });
    storage.script(text(200, "a\n"), again, again);
    expect((await collect(client, FAST)).join("")).toBe("a\nb\n");
    expect(storage.requests.map((request) => request.headers.range?.split("-")[0])).toEqual([
      "bytes=0",
      "bytes=2",
      "bytes=4",
    ]);
    for (const answer of [
      text(206, "zz", { "content-range": "bytes 9-10/11" }),
      text(302, "", { location: `${signedUrl}&next=1` }),
    ]) {
      storage.script(answer);
      const error = await collect(client, { follow: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogStorageError);
      expect((error as Error).message).toMatch(
        /bytes from 9, not 0|a redirect, which is not followed/,
      );
      expect(everything(error)).not.toContain("range-signature-7a3e91");
    }
  });

  it("refuses bad options before any request, and stops at once when aborted", async () => {
    const { fake, client } = await start({ jobs: [growingJob(PARTS, 1000)] });
    expect(() => followRlorTrainerJobLogs(client, "job-1", { pollInterval: 0 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => followRlorTrainerJobLogs(client, "job-1", { maxBytesPerRead: 0.5 })).toThrow(
      InvalidArgumentError,
    );
    // As the waits: a string is no number of ms, even one that reads as one.
    const pollInterval = "5000" as unknown as number;
    expect(() => followRlorTrainerJobLogs(client, "job-1", { pollInterval })).toThrow(
      InvalidArgumentError,
    );
    expect(fake.requests).toHaveLength(0);
    const controller = new AbortController();
    const chunks: string[] = [];
    const following = (async () => {
      for await (const chunk of followRlorTrainerJobLogs(client, "job-1", {
        pollInterval: 60_000,
        signal: controller.signal,
      })) {
        chunks.push(chunk);
        controller.abort();
      }
    })();
    await expect(following).rejects.toBeInstanceOf(APIUserAbortError);
    expect(chunks).toEqual([PARTS[0]]);
  });

  describe("a custom fetch that misbehaves on the storage host", () => {
    /** A client whose fetch goes as `storageFetch` for the storage host, normally for the API. */
    async function misbehaving(storageFetch: Fetch): Promise<FireworksClient> {
      const { fake } = await start({ jobs: [growingJob(PARTS, 1)] });
      const byHost: Fetch = (url, init) =>
        url.startsWith(fake.baseUrl) ? globalThis.fetch(url, init) : storageFetch(url, init);
      return createFireworksClient({
        apiKey: fake.apiKey,
        accountId: fake.accountId,
        baseUrl: fake.baseUrl,
        timeout: 200,
        fetch: byHost,
      });
    }

    it("is timed out when it ignores its signal and never answers", async () => {
      const client = await misbehaving(() => new Promise<Response>(() => undefined));
      const error = await collect(client, { follow: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogStorageError);
      expect((error as Error).message).toMatch(/timed out after 200 ms/);
    });

    it("is timed out when it ignores its signal and its body never ends", async () => {
      const client = await misbehaving(() => {
        const body = new ReadableStream<Uint8Array>({
          start: (controller) => controller.enqueue(new TextEncoder().encode("step 1\n")),
        });
        return Promise.resolve(new Response(body, { status: 200 }));
      });
      const error = await collect(client, { follow: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogStorageError);
      expect((error as Error).message).toMatch(/timed out after 200 ms/);
    });

    it("throwing a Proxy whose every trap throws is a LogStorageError", async () => {
      const hostile = new Proxy(
        {},
        {
          get: () => {
            throw new Error("trap");
          },
          getPrototypeOf: () => {
            throw new Error("trap");
          },
        },
      );
      const client = await misbehaving(() => Promise.reject(hostile));
      const error = await collect(client, { follow: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogStorageError);
      expect((error as Error).message).toMatch(/^Could not reach the log storage host/);
    });
  });
});
