import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import type { paths } from "../../generated/schema.js";
import { createFireworksClient, resumeRlorTrainerJob } from "../../src/index.js";
import { buildFakeJobBody } from "../../src/testing/fake-jobs.js";
import { type Comparison, compare, interleave } from "./stats.js";

const ACCOUNT = "bench-account";
const JOB = "bench-job-0001";
const API_KEY = "fw-bench-key";
const RESUME_PATH = "/v1/accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}:resume";

export interface PerCallResult {
  calls: number;
  rounds: number;
  /** Median microseconds per call, with the spread across rounds. */
  contestants: Comparison;
}

export type Call = () => Promise<unknown>;

/** A keep-alive loopback server that answers every request with the job, after reading the body. */
export async function startJobServer(): Promise<{ server: Server; baseUrl: string }> {
  // The fake server's job (every field the API sends), with production-length names: ~1.5 kB.
  const body = {
    displayName: "GRPO math reasoning on GSM8K, 8B base, resumed after an account pause",
    rewardWeights: ["exact_match=1.0", "format=0.2", "length_penalty=0.05", "tool_use=0.1"],
    rolloutDeploymentName: `accounts/${ACCOUNT}/deployments/rollout-llama-v3p1-8b-0001`,
    hotLoadDeploymentId: "hotload-llama-v3p1-8b-0001",
  };
  const job = buildFakeJobBody(ACCOUNT, { id: JOB, state: "JOB_STATE_RUNNING", body }, new Date(0));
  const payload = Buffer.from(JSON.stringify(job));
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": payload.length,
        "x-request-id": "00000000-0000-4000-8000-000000000000",
      });
      res.end(payload);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { server, baseUrl: `http://127.0.0.1:${port}` };
}

export const PER_CALL_BASELINE = "openapi-fetch (bare)";
export const PER_CALL_OURS = "fireworks-rlor";

/** Every contestant sends through the same `fetch` (Node's global one) to the same server. */
export function contestants(baseUrl: string): Record<string, Call> {
  const url = `${baseUrl}/v1/accounts/${ACCOUNT}/rlorTrainerJobs/${JOB}:resume`;
  const init = {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: "{}",
  };
  const bare = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${API_KEY}` },
    fetch,
  });
  const ours = createFireworksClient({
    apiKey: API_KEY,
    accountId: ACCOUNT,
    baseUrl,
    fetch,
  });
  const params = { path: { account_id: ACCOUNT, rlor_trainer_job_id: JOB } };
  return {
    "raw fetch": async () => (await fetch(url, init)).json(),
    [PER_CALL_BASELINE]: () => bare.POST(RESUME_PATH, { params, body: {} }),
    [PER_CALL_OURS]: () => resumeRlorTrainerJob(ours, JOB),
  };
}

async function timeCalls(call: Call, count: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await call();
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}

/** Interleaved rounds, so drift of the machine (thermal, other load) hits every contestant alike. */
export async function measurePerCall(calls = 3000, rounds = 15): Promise<PerCallResult> {
  const { server, baseUrl } = await startJobServer();
  try {
    const byName = contestants(baseUrl);
    const names = Object.keys(byName);
    const perRound = Math.ceil(calls / rounds);
    await interleave(names, 1, (name) => timeCalls(byName[name] as Call, 500));
    const samples = await interleave(names, rounds, (name) =>
      timeCalls(byName[name] as Call, perRound),
    );
    return { calls: perRound * rounds, rounds, contestants: compare(samples, PER_CALL_BASELINE) };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
