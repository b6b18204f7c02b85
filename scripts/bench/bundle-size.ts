// Bundle of a consumer that creates a client and resumes a job: ours against bare openapi-fetch.
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { type BundleSize, bundleSize } from "./bundle.js";
import { makeWorkDir } from "./specs.js";

export interface BundleSizeResult {
  contestants: Record<string, BundleSize>;
}

export const OURS_BUNDLE = "fireworks-rlor";

/**
 * What each module of the resume consumer's bundle gives its user, for the breakdown row: the
 * bundle is over its target, and this says what each kilobyte buys. A module missing here is
 * shown by name alone.
 */
export const MODULE_PURPOSE: Record<string, string> = {
  "openapi-fetch": "typed requests, path and query serialization",
  "src/internal/request.ts": "the one request path: attempts, per-attempt timeouts, error mapping",
  "generated/runtime.ts": "path-value checks (no `..`, no empty ids), resource names, call context",
  "src/core/errors.ts": "typed errors (APIError and kin) with redacted bodies",
  "generated/operation-table.ts":
    "what reconciliation needs of the five operations that change a job",
  "src/core/redact.ts": "secrets never in errors or logs (API key, W&B key, signed URLs)",
  "src/internal/reconcile.ts": "a retried resume, cancel or create settled by reading the job",
  "src/core/client.ts": "the client factory: key, account, base URL checks",
  "generated/names.ts": "resource-name patterns and parsers",
  "src/internal/retry.ts": "backoff with jitter, Retry-After",
  "src/internal/scrubbed-cause.ts": "connection errors' causes copied without secrets",
  "src/internal/secret-memory.ts":
    "learnt secrets as bounded fingerprints: 16,384 at ~140 B each, scrubbed in one pass",
  "src/internal/key-origin.ts": "the API key only over https or to loopback",
  "src/internal/limits.ts": "timer and size limits checked before a call",
  "generated/operations.ts": "the resume function itself",
};

/** A consumer of `entry` (a path to an index.ts or the package) that creates a client and resumes. */
export function oursConsumer(entry: string): string {
  return `
import { createFireworksClient, resumeRlorTrainerJob } from ${JSON.stringify(entry)};
const client = createFireworksClient({ accountId: "my-account" });
console.log(await resumeRlorTrainerJob(client, "my-job"));
`;
}

const BARE = `
import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://api.fireworks.ai", headers: { Authorization: "Bearer " + process.env.FIREWORKS_API_KEY } });
const { data } = await client.POST("/v1/accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}:resume", {
  params: { path: { account_id: "my-account", rlor_trainer_job_id: "my-job" } },
  body: {},
});
console.log(data);
`;

export async function measureBundleSize(): Promise<BundleSizeResult> {
  const dir = makeWorkDir("bundle");
  try {
    return {
      contestants: {
        "openapi-fetch (bare)": await bundleSize(BARE, dir, "bare"),
        [OURS_BUNDLE]: await bundleSize(oursConsumer(resolve("src/index.ts")), dir, "ours"),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
