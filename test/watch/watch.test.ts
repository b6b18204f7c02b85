import { afterEach, describe, expect, it } from "vitest";
import { createFireworksClient, type FireworksClient } from "../../src/core/client.js";
import {
  APIUserAbortError,
  InvalidArgumentError,
  JobFailedError,
  NotFoundError,
  PaginationLoopError,
  UnexpectedResourceError,
  WaitTimeoutError,
} from "../../src/core/errors.js";
import {
  type RlorTrainerJobChange,
  type WatchOptions,
  type WatchTarget,
  watchRlorTrainerJobs,
} from "../../src/core/watch.js";
import type { JobState } from "../../src/index.js";
import {
  type FakeFireworks,
  type FakeJobInit,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { type FaultServer, json, sampleJob, startFaultServer } from "../helpers/fault-server.js";

let fake: FakeFireworks | undefined;
let faults: FaultServer | undefined;
afterEach(async () => {
  await fake?.close();
  await faults?.close();
  fake = undefined;
  faults = undefined;
});

const FAST: WatchOptions = { pollInterval: 1, timeout: 20_000 };
const name = (id: string) => `accounts/acme/rlorTrainerJobs/${id}`;

function clientOf(baseUrl: string): FireworksClient {
  return createFireworksClient({
    apiKey: "fw-fake-key",
    accountId: "acme",
    baseUrl,
    maxRetries: 0,
  });
}

async function startFake(
  jobs: FakeJobInit[],
): Promise<{ fake: FakeFireworks; client: FireworksClient }> {
  fake = await startFakeFireworks({ accountId: "acme", jobs });
  return { fake, client: clientOf(fake.baseUrl) };
}

/** Every change, calling `after(change, all so far)` on each before asking for the next. */
async function collect(
  client: FireworksClient,
  target: WatchTarget,
  options: WatchOptions = FAST,
  after: (change: RlorTrainerJobChange, all: RlorTrainerJobChange[]) => void = () => undefined,
): Promise<RlorTrainerJobChange[]> {
  const all: RlorTrainerJobChange[] = [];
  for await (const change of watchRlorTrainerJobs(client, target, options)) {
    all.push(change);
    after(change, all);
  }
  return all;
}

/** `previous>state(end)` of each change, as one string per change. */
const summary = (changes: RlorTrainerJobChange[]) =>
  changes.map(
    (c) =>
      `${c.name.split("/").pop()}:${c.previousState ?? "-"}>${String(c.state)}${c.end ? `(${c.end})` : ""}`,
  );

const isListRequest = (url: string) => /^\/v1\/accounts\/acme\/rlorTrainerJobs(\?|$)/.test(url);

describe("watchRlorTrainerJobs on an account", () => {
  it("300 jobs: one list pass per round (6 pages of 50), no GET of any job; ends when all end", async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `job-${String(i).padStart(3, "0")}`);
    const { fake, client } = await startFake(ids.map((id) => ({ id, state: "JOB_STATE_RUNNING" })));
    const changes = await collect(client, {}, FAST, (_, all) => {
      // After the first round's 300 first sightings, every job completes before the next round.
      if (all.length === 300) for (const id of ids) fake.setJobState(id, "JOB_STATE_COMPLETED");
    });
    expect(changes).toHaveLength(600);
    expect(changes.slice(0, 300).every((c) => c.previousState === undefined)).toBe(true);
    expect(summary(changes.slice(300))).toEqual(
      ids.map((id) => `${id}:JOB_STATE_RUNNING>JOB_STATE_COMPLETED(reached)`),
    );
    const urls = fake.requests.map((request) => request.url);
    expect(urls.every(isListRequest)).toBe(true);
    expect(fake.requests.every((request) => request.method === "GET")).toBe(true);
    // Two rounds: two passes, each starting without a token and reading all 6 pages.
    expect(urls.filter((url) => !url.includes("pageToken="))).toHaveLength(2);
    expect(urls).toHaveLength(12);
  });

  it("watches live jobs only; a failure ends with a JobFailedError, a deleted job as gone", async () => {
    const { fake, client } = await startFake([
      { id: "old", state: "JOB_STATE_FAILED" },
      { id: "paused" },
      { id: "a", state: "JOB_STATE_RUNNING" },
      { id: "b", state: "JOB_STATE_PENDING" },
      { id: "c", state: "JOB_STATE_RUNNING" },
    ]);
    const changes = await collect(client, {}, FAST, (_, all) => {
      if (all.length === 3) {
        fake.setJobState("a", "JOB_STATE_FAILED", { code: "INTERNAL", message: "trainer crashed" });
        fake.setJobState("b", "JOB_STATE_RUNNING");
        fake.setJobState("c", "JOB_STATE_DELETED");
      }
      if (all.length === 6) fake.setJobState("b", "JOB_STATE_EARLY_STOPPED");
    });
    expect(summary(changes)).toEqual([
      "a:->JOB_STATE_RUNNING",
      "b:->JOB_STATE_PENDING",
      "c:->JOB_STATE_RUNNING",
      "a:JOB_STATE_RUNNING>JOB_STATE_FAILED(ended)",
      "b:JOB_STATE_PENDING>JOB_STATE_RUNNING",
      "c:JOB_STATE_RUNNING>JOB_STATE_RUNNING(gone)",
      "b:JOB_STATE_RUNNING>JOB_STATE_EARLY_STOPPED(reached)",
    ]);
    expect(changes[3]?.error).toBeInstanceOf(JobFailedError);
    expect(changes[3]?.error?.message).toContain("trainer crashed");
  });

  it("states: watches the jobs seen in them, as the list checks them here", async () => {
    const { fake, client } = await startFake([
      { id: "a", state: "JOB_STATE_RUNNING" },
      { id: "b", state: "JOB_STATE_PENDING" },
      { id: "p" },
    ]);
    const changes = await collect(
      client,
      { states: ["JOB_STATE_PAUSED"] },
      { ...FAST, until: ["JOB_STATE_RUNNING"] },
      (_, all) => {
        if (all.length === 1) fake.setJobState("p", "JOB_STATE_RUNNING");
      },
    );
    expect(summary(changes)).toEqual([
      "p:->JOB_STATE_PAUSED",
      "p:JOB_STATE_PAUSED>JOB_STATE_RUNNING(reached)",
    ]);
    // The states are checked here: the server's filter is the caller's own.
    expect(fake.requests.every((request) => !request.url.includes("filter="))).toBe(true);
  });

  it("sends the filter on every page of every round", async () => {
    const { fake, client } = await startFake([
      { id: "a", state: "JOB_STATE_RUNNING", body: { displayName: "x" } },
      { id: "b", state: "JOB_STATE_RUNNING" },
    ]);
    const changes = await collect(client, { filter: 'displayName = "x"', pageSize: 1 }, FAST, () =>
      fake.setJobState("a", "JOB_STATE_COMPLETED"),
    );
    expect(summary(changes)).toEqual([
      "a:->JOB_STATE_RUNNING",
      "a:JOB_STATE_RUNNING>JOB_STATE_COMPLETED(reached)",
    ]);
    const filters = fake.requests.map((r) => new URL(r.url, "http://x").searchParams.get("filter"));
    expect(filters).toEqual(['displayName = "x"', 'displayName = "x"']);
  });

  it("ends at once when nothing is live", async () => {
    const { fake, client } = await startFake([{ id: "a", state: "JOB_STATE_COMPLETED" }]);
    expect(await collect(client, {})).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });
});

describe("watchRlorTrainerJobs on an untrusted server", () => {
  /** A list page of `jobs` with no page after it. */
  const page = (...jobs: unknown[]) => json(200, { rlorTrainerJobs: jobs, nextPageToken: "" });

  it("a state that is not a string is transitional; jobs of other accounts and unnamed items are not taken", async () => {
    faults = await startFaultServer("127.0.0.1", page());
    faults.script(
      page(
        sampleJob({ name: name("a"), state: 7 }),
        sampleJob({ name: "accounts/other/rlorTrainerJobs/x", state: "JOB_STATE_RUNNING" }),
        { state: "JOB_STATE_RUNNING" },
        "not a job",
      ),
      page(sampleJob({ name: name("a"), state: { odd: true } })),
      page(sampleJob({ name: name("a"), state: "JOB_STATE_COMPLETED" })),
    );
    const changes = await collect(clientOf(faults.url), {});
    expect(summary(changes)).toEqual([
      "a:->7",
      "a:7>[object Object]",
      "a:[object Object]>JOB_STATE_COMPLETED(reached)",
    ]);
  });

  it("a list whose page tokens loop ends the watch with PaginationLoopError", async () => {
    faults = await startFaultServer("127.0.0.1", (response, request) => {
      const token = new URL(request.url ?? "", "http://x").searchParams.get("pageToken");
      json(200, {
        rlorTrainerJobs: [sampleJob({ name: name(`j-${token}`) })],
        nextPageToken: token === "A" ? "B" : "A",
      })(response, request, "");
    });
    await expect(collect(clientOf(faults.url), {})).rejects.toBeInstanceOf(PaginationLoopError);
    expect(faults.requests).toHaveLength(3);
  });

  it("a 503 mid-pass is heard and the next round goes on; gone is only judged on a whole pass", async () => {
    faults = await startFaultServer("127.0.0.1", page());
    const two = json(200, {
      rlorTrainerJobs: [sampleJob({ name: name("a") })],
      nextPageToken: "p2",
    });
    faults.script(
      two,
      page(sampleJob({ name: name("b") })),
      two,
      json(503, { code: 14, message: "unavailable" }),
      two,
      page(sampleJob({ name: name("b"), state: "JOB_STATE_COMPLETED" })),
      json(200, {
        rlorTrainerJobs: [sampleJob({ name: name("a"), state: "JOB_STATE_CANCELLED" })],
      }),
    );
    const heard: string[] = [];
    const changes = await collect(
      clientOf(faults.url),
      {},
      {
        ...FAST,
        onPollError: (error) => heard.push(error.name),
      },
    );
    expect(heard).toEqual(["InternalServerError"]);
    expect(summary(changes)).toEqual([
      "a:->JOB_STATE_RUNNING",
      "b:->JOB_STATE_RUNNING",
      "b:JOB_STATE_RUNNING>JOB_STATE_COMPLETED(reached)",
      "a:JOB_STATE_RUNNING>JOB_STATE_CANCELLED(ended)",
    ]);
  });
});

describe("watchRlorTrainerJobs on named jobs", () => {
  it("GETs each job still watched each round, and ends when every one has", async () => {
    const { fake, client } = await startFake([
      { id: "a", state: "JOB_STATE_RUNNING" },
      { id: "b", state: "JOB_STATE_RUNNING" },
    ]);
    const changes = await collect(client, ["a", name("b"), "a"], FAST, (_, all) => {
      if (all.length === 2) fake.setJobState("a", "JOB_STATE_COMPLETED");
      if (all.length === 3) fake.setJobState("b", "JOB_STATE_CANCELLED");
    });
    expect(summary(changes)).toEqual([
      "a:->JOB_STATE_RUNNING",
      "b:->JOB_STATE_RUNNING",
      "a:JOB_STATE_RUNNING>JOB_STATE_COMPLETED(reached)",
      "b:JOB_STATE_RUNNING>JOB_STATE_CANCELLED(ended)",
    ]);
    expect(fake.requests.map((r) => r.url)).toEqual([
      "/v1/accounts/acme/rlorTrainerJobs/a",
      "/v1/accounts/acme/rlorTrainerJobs/b",
      "/v1/accounts/acme/rlorTrainerJobs/a",
      "/v1/accounts/acme/rlorTrainerJobs/b",
    ]);
  });

  it("a job answered with another name is not taken, a 404 is the end of that job alone", async () => {
    faults = await startFaultServer(
      "127.0.0.1",
      json(200, sampleJob({ name: name("b"), state: "JOB_STATE_COMPLETED" })),
    );
    faults.script(
      json(200, sampleJob({ name: name("someone-else"), state: "JOB_STATE_COMPLETED" })),
      json(404, { code: 5, message: "not found" }),
    );
    const changes = await collect(clientOf(faults.url), ["a", "gone", "b"]);
    expect(summary(changes)).toEqual([
      "a:->undefined(failed)",
      "gone:->undefined(failed)",
      "b:->JOB_STATE_COMPLETED(reached)",
    ]);
    expect(changes[0]?.error).toBeInstanceOf(UnexpectedResourceError);
    expect(changes[0]?.job).toBeUndefined();
    expect(changes[1]?.error).toBeInstanceOf(NotFoundError);
  });

  it("reports progress as it moves, with the state unchanged", async () => {
    const running = (percent: number) =>
      json(200, sampleJob({ name: name("a"), jobProgress: { percent, epoch: 0 } }));
    faults = await startFaultServer(
      "127.0.0.1",
      json(200, sampleJob({ name: name("a"), state: "JOB_STATE_COMPLETED", jobProgress: null })),
    );
    faults.script(running(10), running(10), running(50));
    const changes = await collect(clientOf(faults.url), ["a"]);
    expect(summary(changes)).toEqual([
      "a:->JOB_STATE_RUNNING",
      "a:JOB_STATE_RUNNING>JOB_STATE_RUNNING",
      "a:JOB_STATE_RUNNING>JOB_STATE_COMPLETED(reached)",
    ]);
    expect(changes.map((c) => c.progress)).toEqual([
      { percent: 10, epoch: 0 },
      { percent: 50, epoch: 0 },
      undefined,
    ]);
    expect(faults.requests).toHaveLength(4);
  });
});

describe("watchRlorTrainerJobs budgets and bad input", () => {
  it.each([
    ["no job", [] as string[], {}],
    ["a bad id", ["a b"], {}],
    ["an empty until", ["a"], { until: [] }],
    ["a string for until", ["a"], { until: "JOB_STATE_RUNNING" as unknown as JobState[] }],
    ["a string for states", { states: "JOB_STATE_RUNNING" as unknown as JobState[] }, {}],
    ["a poll interval of 0", ["a"], { pollInterval: 0 }],
    ["a negative timeout", ["a"], { timeout: -1 }],
    // As the waits: a string is no number of ms, even one that reads as one.
    ["a numeric-string timeout", ["a"], { timeout: "900000" as unknown as number }],
    ["a numeric-string poll interval", ["a"], { pollInterval: "1000" as unknown as number }],
  ] as [string, WatchTarget, WatchOptions][])(
    "refuses %s with InvalidArgumentError before any request",
    async (_, target, options) => {
      faults = await startFaultServer();
      await expect(collect(clientOf(faults.url), target, options)).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      expect(faults.requests).toHaveLength(0);
    },
  );

  it("times out with WaitTimeoutError; aborts with APIUserAbortError", async () => {
    const { client } = await startFake([{ id: "a", state: "JOB_STATE_RUNNING" }]);
    await expect(collect(client, ["a"], { pollInterval: 5, timeout: 30 })).rejects.toBeInstanceOf(
      WaitTimeoutError,
    );
    const controller = new AbortController();
    await expect(
      collect(client, {}, { pollInterval: 3_600_000, signal: controller.signal }, () =>
        controller.abort(),
      ),
    ).rejects.toBeInstanceOf(APIUserAbortError);
  });
});
