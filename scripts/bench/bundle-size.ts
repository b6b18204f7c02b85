import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export interface BundleSizeResult {
  /** gzip -9 bytes of an esbuild --bundle --minify of a consumer that creates a client and resumes. */
  contestants: Record<string, { minified: number; gzip: number }>;
}

const consumers = {
  "openapi-fetch (bare)": `
import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://api.fireworks.ai", headers: { Authorization: "Bearer " + process.env.FIREWORKS_API_KEY } });
const { data } = await client.POST("/v1/accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}:resume", {
  params: { path: { account_id: "my-account", rlor_trainer_job_id: "my-job" } },
  body: {},
});
console.log(data);
`,
  "fireworks-rlor": `
import { createFireworksClient, resumeRlorTrainerJob } from ${JSON.stringify(resolve("src/index.ts"))};
const client = createFireworksClient({ accountId: "my-account" });
console.log(await resumeRlorTrainerJob(client, "my-job"));
`,
};

async function bundledBytes(source: string, dir: string): Promise<Uint8Array> {
  const entry = join(dir, "consumer.mjs");
  writeFileSync(entry, source);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    nodePaths: [resolve("node_modules")],
    logLevel: "silent",
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error("esbuild produced no output");
  return file.contents;
}

export async function measureBundleSize(): Promise<BundleSizeResult> {
  const dir = mkdtempSync(join(tmpdir(), "rlor-bundle-"));
  try {
    const contestants: BundleSizeResult["contestants"] = {};
    for (const [name, source] of Object.entries(consumers)) {
      const bytes = await bundledBytes(source, dir);
      contestants[name] = { minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    }
    return { contestants };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
