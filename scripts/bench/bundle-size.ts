// Bundle of a consumer that creates a client and resumes a job: ours against bare openapi-fetch.
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { type BundleSize, bundleSize } from "./bundle.js";
import { makeWorkDir } from "./specs.js";

export interface BundleSizeResult {
  contestants: Record<string, BundleSize>;
}

export const OURS_BUNDLE = "fireworks-rlor";

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
