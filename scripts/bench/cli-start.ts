// Command-line start: the installed bin, against a bare `node -e 0` and against the floor any Node
// command line that makes a request pays (Node loading its own fetch: Request and Response).
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { wallMs } from "./process-time.js";
import { type Comparison, compare, interleave } from "./stats.js";

export const NODE_BASELINE = "node -e 0";
export const FETCH_FLOOR = "node + fetch (new Request, new Response)";
export const CLI = "fireworks-rlor get <job> --dry-run";
export const CLI_VERSION = "fireworks-rlor --version";

export interface CliStartResult {
  runs: number;
  /** Wall milliseconds of each fresh process; ratios to `node -e 0`. */
  contestants: Comparison;
  /** The same samples, ratios to the fetch floor. */
  vsFetchFloor: Comparison;
}

/**
 * Needs dist/ (npm run build). Sends nothing: --dry-run only prints the request. The bin's code
 * cache is removed first, so that the first warm-up run, a `get`, writes it, as a user's first
 * `get` would: not a cache some other run (a test's `--version`) left behind.
 */
export async function measureCliStart(runs = 40): Promise<CliStartResult> {
  const env = { ...process.env, FIREWORKS_API_KEY: "fw-bench-key", FIREWORKS_ACCOUNT_ID: "bench" };
  const bin = resolve("bin/fireworks-rlor.cjs");
  rmSync(resolve("dist/src/cli/main.cjs.code-cache"), { force: true });
  const commands: Record<string, string[]> = {
    [NODE_BASELINE]: ["-e", "0"],
    [FETCH_FLOOR]: ["-e", 'new Request("http://x/"); new Response("{}")'],
    [CLI]: [bin, "get", "bench-job-0001", "--dry-run"],
    [CLI_VERSION]: [bin, "--version"],
  };
  // The CLI's `get` before its `--version`: the first round's `get` writes the code cache.
  const names = Object.keys(commands);
  const run = (name: string) => wallMs(process.execPath, commands[name] ?? [], { env });
  await interleave(names, 2, run);
  const samples = await interleave(names, runs, run);
  return {
    runs,
    contestants: compare(samples, NODE_BASELINE),
    vsFetchFloor: compare(samples, FETCH_FLOOR),
  };
}
