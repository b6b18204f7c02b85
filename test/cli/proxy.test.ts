import { afterEach, describe, expect, it } from "vitest";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";
import {
  type CountingProxy,
  type FailingProxy,
  startCountingProxy,
  startFailingProxy,
} from "../helpers/counting-proxy.js";
import { runInProcess } from "./in-process.js";

let fake: FakeFireworks | undefined;
let proxy: CountingProxy | undefined;
let failing: FailingProxy | undefined;

afterEach(async () => {
  await fake?.close();
  await proxy?.close();
  await failing?.close();
  fake = undefined;
  proxy = undefined;
  failing = undefined;
});

async function setUp(): Promise<{ fake: FakeFireworks; proxy: CountingProxy }> {
  fake = await startFakeFireworks({ accountId: "acme", jobs: [{ id: "job-1" }] });
  proxy = await startCountingProxy();
  return { fake, proxy };
}

function env(server: FakeFireworks, extra: Record<string, string>): Record<string, string> {
  return {
    FIREWORKS_API_KEY: server.apiKey,
    FIREWORKS_ACCOUNT_ID: server.accountId,
    FIREWORKS_BASE_URL: server.baseUrl,
    ...extra,
  };
}

describe("fireworks-rlor behind a proxy", () => {
  it("sends through HTTP_PROXY, in a CONNECT tunnel (undici's default, as for https)", async () => {
    const { fake, proxy } = await setUp();
    const result = await runInProcess(["get", "job-1", "-o", "name"], {
      env: env(fake, { HTTP_PROXY: proxy.url }),
    });
    expect(result).toMatchObject({ code: 0, stdout: "accounts/acme/rlorTrainerJobs/job-1\n" });
    expect(proxy.tunnels).toEqual([new URL(fake.baseUrl).host]);
    expect(proxy.forwarded).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("goes direct for a host NO_PROXY names", async () => {
    const { fake, proxy } = await setUp();
    const result = await runInProcess(["get", "job-1", "-o", "name"], {
      env: env(fake, { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" }),
    });
    expect(result.code).toBe(0);
    expect([...proxy.tunnels, ...proxy.forwarded]).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it.each(["127.0.0.0/8", "10.0.0.0/8 127.0.0.1/32", "example.com,127.0.0.0/24"])(
    "goes direct for an address in a NO_PROXY range in CIDR form (%s), as curl and Go do",
    async (noProxy) => {
      const { fake, proxy } = await setUp();
      const result = await runInProcess(["get", "job-1", "-o", "name"], {
        env: env(fake, { HTTP_PROXY: proxy.url, NO_PROXY: noProxy }),
      });
      expect(result.code, result.stderr).toBe(0);
      expect([...proxy.tunnels, ...proxy.forwarded]).toEqual([]);
      expect(fake.requests).toHaveLength(1);
    },
  );

  it("chooses proxy or not per host: the log's storage host is not the API's", async () => {
    fake = await startFakeFireworks({
      accountId: "acme",
      jobs: [{ id: "job-1", state: "JOB_STATE_COMPLETED", log: ["step 1\n"] }],
    });
    proxy = await startCountingProxy();
    const api = new URL(fake.baseUrl).host;
    const storage = new URL(fake.logOrigin).host;
    expect(storage).not.toBe(api);
    // The API direct (NO_PROXY names its host and port), the storage host through the proxy.
    const result = await runInProcess(["logs", "job-1", "--content"], {
      env: env(fake, { HTTP_PROXY: proxy.url, NO_PROXY: api }),
    });
    expect(result, result.stderr).toMatchObject({ code: 0, stdout: "step 1\n" });
    expect(proxy.tunnels).toEqual([storage]);
  });

  it("control: a CIDR range the address is not in leaves the proxy in use", async () => {
    const { fake, proxy } = await setUp();
    const result = await runInProcess(["get", "job-1", "-o", "name"], {
      env: env(fake, { HTTP_PROXY: proxy.url, NO_PROXY: "10.0.0.0/8" }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.tunnels).toEqual([new URL(fake.baseUrl).host]);
  });

  it("names the proxy variable when the connection fails", async () => {
    const { fake, proxy } = await setUp();
    const url = proxy.url;
    await proxy.close();
    const result = await runInProcess(["get", "job-1", "--max-retries", "0"], {
      env: env(fake, { HTTP_PROXY: url }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("through the proxy in HTTP_PROXY");
    expect(fake.requests).toEqual([]);
  });

  it("retries a create without an id when the proxy drops the CONNECT: it never left", async () => {
    fake = await startFakeFireworks({ accountId: "acme" });
    failing = await startFailingProxy("drop");
    // One retry (one backoff to wait): the connects show it was retried, up to the limit.
    const result = await runInProcess(["create", "-f", "-", "--max-retries", "1"], {
      env: env(fake, { HTTP_PROXY: failing.url }),
      stdin: '{"displayName":"x"}',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("proxy closed the connection during CONNECT");
    expect(failing.connects()).toBe(2);
    expect(fake.requests).toEqual([]);
  });
});
