/**
 * What remembering secrets costs: a client that read 40 jobs, each with a fresh 1 MiB W&B key,
 * then a page of 20,000 jobs with a key each (more than it keeps), holds under 8 MiB more after
 * GC, not the keys themselves. Measured in a child `node --expose-gc` on the built package, so
 * that nothing else of the test run is on its heap.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { MAX_REMEMBERED } from "../../src/internal/secret-memory.js";
import { type FaultServer, json, sampleJob, useFaultServer } from "../helpers/fault-server.js";

/** The bound the README states (Secrets): what learnt secrets may hold on the heap after GC. */
const MAX_RETAINED_BYTES = 8 * 1024 * 1024;
const LARGE_KEYS = 40;
const PAGE_JOBS = MAX_REMEMBERED + 3616;

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});

const ENTRY = new URL("../../dist/src/index.js", import.meta.url).href;

/**
 * Runs in the child: the same calls once without secrets (code compiled, buffers sized), a
 * measure, the calls whose answers carry the keys, a measure; both after full GCs.
 */
const CHILD = `
import { createFireworksClient, getRlorTrainerJob, listRlorTrainerJobs } from ${JSON.stringify(ENTRY)};
const [baseUrl, calls] = process.argv.slice(1);
const client = createFireworksClient({ apiKey: "fw_memory_test_key", accountId: "acme", baseUrl, maxRetries: 0 });
const settled = () => { for (let i = 0; i < 4; i++) globalThis.gc(); return process.memoryUsage().heapUsed; };
const round = async () => {
  for (let i = 0; i < Number(calls); i++) await getRlorTrainerJob(client, "job-1");
  await listRlorTrainerJobs(client);
};
await round();
const before = settled();
await round();
process.stdout.write(JSON.stringify({ before, after: settled() }));
`;

/** A page of jobs, each with a W&B key of `key(i)`. */
function page(key: (i: number) => string): unknown {
  return {
    rlorTrainerJobs: Array.from({ length: PAGE_JOBS }, (_, i) =>
      sampleJob({ name: `accounts/acme/rlorTrainerJobs/j${i}`, wandbConfig: { apiKey: key(i) } }),
    ),
  };
}

it(`${LARGE_KEYS} fresh 1 MiB W&B keys and ${PAGE_JOBS} more leave under 8 MiB on the heap`, async () => {
  const withKey = (apiKey: string) => json(200, sampleJob({ wandbConfig: { apiKey } }));
  // The warm-up round: the same sizes, no secret (a key too short to remember).
  for (let i = 0; i < LARGE_KEYS; i++) server.script(withKey("-".repeat(7)));
  server.script(
    json(
      200,
      page(() => "-".repeat(7)),
    ),
  );
  for (let i = 0; i < LARGE_KEYS; i++)
    server.script(withKey(randomBytes(512 * 1024).toString("hex")));
  server.script(
    json(
      200,
      page((i) => `wandb-${i}-${randomBytes(16).toString("hex")}`),
    ),
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--expose-gc", "--input-type=module", "-e", CHILD, server.url, String(LARGE_KEYS)],
    { cwd: fileURLToPath(new URL("../..", import.meta.url)) },
  );
  const { before, after } = JSON.parse(stdout) as { before: number; after: number };
  expect(server.requests).toHaveLength(2 * (LARGE_KEYS + 1));
  expect(after - before).toBeLessThan(MAX_RETAINED_BYTES);
});
