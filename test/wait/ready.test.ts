import { afterEach, describe, expect, it } from "vitest";
import {
  APIUserAbortError,
  createFireworksClient,
  createRlorTrainerJobAndWaitReady,
  type FireworksClient,
  type HealthProbe,
  InvalidArgumentError,
  type ReadyTrainerJob,
  reconnectRlorTrainerJob,
  resumeRlorTrainerJobAndWaitReady,
  type WaitOptions,
  WaitTimeoutError,
  waitForRlorTrainerJob,
  waitForRlorTrainerJobReady,
} from "../../src/index.js";
import {
  type FaultServer,
  hang,
  json,
  namedJob,
  redirect,
  startFaultServer,
  text,
} from "../helpers/fault-server.js";
import { useFake } from "../testing/fake-setup.js";

const start = useFake();
const FAST = { pollInterval: 1, timeout: 20_000 };
const HEALTH = /\/training\/v1\/rlorTrainerJobs\/acme\/job-1\/api\/v1\/healthz$/;

const faults: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(faults.splice(0).map((server) => server.close()));
});

async function faultServer(): Promise<FaultServer> {
  const server = await startFaultServer();
  faults.push(server);
  return server;
}

function probesOf(requests: readonly { url: string }[]): number {
  return requests.filter((request) => HEALTH.test(request.url)).length;
}

describe("waitForRlorTrainerJobReady", () => {
  it("resolves after the fourth probe of a RUNNING job whose trainer answers 404 three times, not before", async () => {
    const { fake, client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", notReadyProbes: 3 }],
    });
    let resolved = false;
    const seen: { status: number | undefined; resolvedBefore: boolean }[] = [];
    const onProbe = (probe: HealthProbe) =>
      seen.push({ status: probe.status, resolvedBefore: resolved });
    const waiting = waitForRlorTrainerJobReady(client, "job-1", { ...FAST, onProbe });
    void waiting.then(() => {
      resolved = true;
    });
    const ready = await waiting;
    expect(seen).toEqual([
      { status: 404, resolvedBefore: false },
      { status: 404, resolvedBefore: false },
      { status: 404, resolvedBefore: false },
      { status: 200, resolvedBefore: false },
    ]);
    // One probe per poll of the RUNNING job: four reads, four probes, nothing after the 200.
    expect(probesOf(fake.requests)).toBe(4);
    expect(fake.requests.filter((request) => request.url.endsWith("/job-1"))).toHaveLength(4);
    expect(ready.job.state).toBe("JOB_STATE_RUNNING");
    expect(ready.endpoint).toEqual({
      baseUrl: `${fake.baseUrl}/training/v1/rlorTrainerJobs/acme/job-1`,
      jobName: "accounts/acme/rlorTrainerJobs/job-1",
      jobId: "job-1",
      maxContextLength: 8192,
    });
    // The probe carries the key, as every request of the client does.
    const probe = fake.requests.find((request) => HEALTH.test(request.url));
    expect(probe?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
  });

  it("is still waiting after three 404s: aborted then, it rejects instead of resolving", async () => {
    const { client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", notReadyProbes: 3 }],
    });
    const controller = new AbortController();
    let probes = 0;
    const error = await waitForRlorTrainerJobReady(client, "job-1", {
      ...FAST,
      signal: controller.signal,
      onProbe: () => {
        probes += 1;
        if (probes === 3) controller.abort();
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(probes).toBe(3);
  });

  it("does not probe before RUNNING, and a plain wait still ends at RUNNING without a probe", async () => {
    const { fake, client } = await start({
      jobs: [{ id: "job-1", resumed: true, notReadyProbes: 1 }],
    });
    const ready = await waitForRlorTrainerJobReady(client, "job-1", FAST);
    expect(ready.job.state).toBe("JOB_STATE_RUNNING");
    const urls = fake.requests.map((request) => (HEALTH.test(request.url) ? "probe" : "get"));
    // PAUSED (stale), RE_QUEUEING, PENDING, RUNNING: probe 404; RUNNING: probe 200.
    expect(urls).toEqual(["get", "get", "get", "get", "probe", "get", "probe"]);

    const plain = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", notReadyProbes: 9 }],
    });
    await waitForRlorTrainerJob(plain.client, "job-1", FAST);
    expect(probesOf(plain.fake.requests)).toBe(0);
  });

  it("times out, naming the wait's limit, when the trainer never answers", async () => {
    const { client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", notReadyProbes: 1_000_000 }],
    });
    const error = await waitForRlorTrainerJobReady(client, "job-1", {
      pollInterval: 5,
      timeout: 200,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ timeout: 200, job: { state: "JOB_STATE_RUNNING" } });
  });

  it("takes a probe that times out, fails to connect, redirects or answers 503 as not yet", async () => {
    const server = await faultServer();
    const other = await faultServer();
    const running = namedJob({ trainingConfig: { maxContextLength: 4096 } });
    server.script(
      running,
      hang(),
      running,
      redirect(302, `${other.url}/healthz`),
      running,
      json(503, { code: 14, message: "no pod" }),
      running,
      text(200, "OK", { "content-type": "text/plain" }),
    );
    // Each probe's limit is the client's, as it is below 5 s: long enough that the job's own
    // GETs never time out on a loaded machine (which would shift the script), as one did at 100 ms.
    const client = createFireworksClient({
      apiKey: "key-1",
      accountId: "acme",
      baseUrl: server.url,
      maxRetries: 0,
      timeout: 1000,
    });
    const probes: HealthProbe[] = [];
    const ready = await waitForRlorTrainerJobReady(client, "job-1", {
      ...FAST,
      onProbe: (probe) => probes.push(probe),
    });
    expect(probes.map((probe) => probe.status)).toEqual([undefined, undefined, 503, 200]);
    expect(ready.endpoint.maxContextLength).toBe(4096);
    expect(ready.endpoint.baseUrl).toBe(`${server.url}/training/v1/rlorTrainerJobs/acme/job-1`);
    // Neither retried nor redirected: one request per probe, none to the redirect's target.
    expect(server.requests).toHaveLength(8);
    expect(other.requests).toHaveLength(0);
  });
});

describe("directRouteHandle", () => {
  async function setup(handle: (foreign: FaultServer) => string) {
    const foreign = await faultServer();
    foreign.script(json(200, { status: "ok" }));
    const { fake, client } = await start({
      jobs: [
        {
          id: "job-1",
          state: "JOB_STATE_RUNNING",
          notReadyProbes: 1_000_000,
          body: { directRouteHandle: handle(foreign) },
        },
      ],
    });
    return { foreign, fake, client };
  }

  it("on another origin is never sent the key (nor anything) unless the caller trusts that origin", async () => {
    const { foreign, fake, client } = await setup((server) => server.url);
    const error = await waitForRlorTrainerJobReady(client, "job-1", {
      pollInterval: 5,
      timeout: 300,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(probesOf(fake.requests)).toBeGreaterThan(1);
    expect(foreign.requests).toHaveLength(0);
  });

  it("on an origin the caller trusts is probed when the gateway is not ready, and answers", async () => {
    const { foreign, fake, client } = await setup((server) => `${server.url}/trainer/`);
    const ready = await waitForRlorTrainerJobReady(client, "job-1", {
      ...FAST,
      trustedOrigins: [foreign.url],
    });
    expect(ready.endpoint.baseUrl).toBe(`${foreign.url}/trainer`);
    expect(foreign.requests.map((request) => request.url)).toEqual(["/trainer/api/v1/healthz"]);
    expect(foreign.requests[0]?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(probesOf(fake.requests)).toBe(1);
  });
});

describe("bad input is refused before any request", () => {
  const noClient = {} as FireworksClient;

  it.each([
    ["not a URL", { trustedOrigins: ["trainer.example.com"] }, /not a URL/],
    [
      "plain http to a remote host",
      { trustedOrigins: ["http://trainer.example.com"] },
      /not trusted/,
    ],
    ["a path", { trustedOrigins: ["https://trainer.example.com/api"] }, /origin alone/],
    ["credentials", { trustedOrigins: ["https://u:p@trainer.example.com"] }, /origin alone/],
    ["not http", { trustedOrigins: ["ftp://trainer.example.com"] }, /not http/],
    ["a negative timeout", { timeout: -1 }, /timeout/],
    ["a non-numeric pendingTimeout", { pendingTimeout: Number.NaN }, /pendingTimeout/],
  ])("%s", async (_, options, message) => {
    const { fake, client } = await start({ jobs: [{ id: "job-1" }] });
    for (const wait of [
      () => waitForRlorTrainerJobReady(client, "job-1", options),
      () => resumeRlorTrainerJobAndWaitReady(client, "job-1", options),
      () => createRlorTrainerJobAndWaitReady(client, undefined, {}, options),
    ]) {
      const error = await wait().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(message);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("a client not made by createFireworksClient", async () => {
    const error = await waitForRlorTrainerJobReady(noClient, "accounts/a/rlorTrainerJobs/j").catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
  });

  it("trusts a loopback http origin and an https one", async () => {
    const { client } = await start({ jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING" }] });
    const ready = await waitForRlorTrainerJobReady(client, "job-1", {
      ...FAST,
      trustedOrigins: ["http://127.0.0.1:1", "https://trainer.example.com"],
    });
    expect(ready.endpoint.jobId).toBe("job-1");
  });
});

describe("a ready wait's target is RUNNING and answering, whatever `until` an options object carries", () => {
  // A WaitOptions object spread into a ready wait's options type-checks with its `until`.
  const plainWait: WaitOptions = { until: ["JOB_STATE_COMPLETED"] };
  const LIMITED = { pollInterval: 1, timeout: 2_000 };
  const waits: [string, (client: FireworksClient) => Promise<ReadyTrainerJob>][] = [
    ["wait", (client) => waitForRlorTrainerJobReady(client, "job-1", { ...plainWait, ...LIMITED })],
    [
      "resume",
      (client) => resumeRlorTrainerJobAndWaitReady(client, "job-1", { ...plainWait, ...LIMITED }),
    ],
    [
      "reconnect",
      (client) => reconnectRlorTrainerJob(client, "job-1", { ...plainWait, ...LIMITED }),
    ],
  ];

  it.each(waits)("%s resolves once the RUNNING job's trainer answers", async (_, wait) => {
    const { fake, client } = await start({
      jobs: [{ id: "job-1", state: "JOB_STATE_RUNNING", notReadyProbes: 1 }],
    });
    const ready = await wait(client);
    expect(ready.job.state).toBe("JOB_STATE_RUNNING");
    expect(probesOf(fake.requests)).toBe(2);
  });
});

describe("resume and create, then ready", () => {
  it("resumes a PAUSED job and resolves once its trainer answers", async () => {
    const { fake, client } = await start({ jobs: [{ id: "job-1", notReadyProbes: 2 }] });
    const ready = await resumeRlorTrainerJobAndWaitReady(client, "job-1", FAST);
    expect(ready.job.state).toBe("JOB_STATE_RUNNING");
    expect(fake.requests[0]?.url).toMatch(/:resume$/);
    expect(probesOf(fake.requests)).toBe(3);
  });

  it("creates a keep-alive job and resolves once its trainer answers", async () => {
    const { fake, client } = await start({ notReadyProbes: 1 });
    const ready = await createRlorTrainerJobAndWaitReady(
      client,
      undefined,
      { keepAlive: true, trainingConfig: { maxContextLength: 2048 } },
      { ...FAST, rlorTrainerJobId: "job-1" },
    );
    expect(ready.endpoint).toMatchObject({ jobId: "job-1", maxContextLength: 2048 });
    expect(probesOf(fake.requests)).toBe(2);
  });
});
