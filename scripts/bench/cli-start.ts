// Command-line start: the installed bin printing a dry run, against a bare `node -e 0`.
import { resolve } from "node:path";
import { wallMs } from "./process-time.js";
import { type Comparison, compare, interleave } from "./stats.js";

export const NODE_BASELINE = "node -e 0";
export const CLI = "fireworks-rlor get <job> --dry-run";

export interface CliStartResult {
  runs: number;
  /** Wall milliseconds of each fresh process. */
  contestants: Comparison;
}

/** Needs dist/ (npm run build). Sends nothing: --dry-run only prints the request. */
export async function measureCliStart(runs = 20): Promise<CliStartResult> {
  const env = { ...process.env, FIREWORKS_API_KEY: "fw-bench-key", FIREWORKS_ACCOUNT_ID: "bench" };
  const commands: Record<string, string[]> = {
    [NODE_BASELINE]: ["-e", "0"],
    [CLI]: [resolve("bin/fireworks-rlor.js"), "get", "bench-job-0001", "--dry-run"],
  };
  const names = Object.keys(commands);
  await interleave(names, 2, (name) => wallMs(process.execPath, commands[name] ?? [], { env }));
  const samples = await interleave(names, runs, (name) =>
    wallMs(process.execPath, commands[name] ?? [], { env }),
  );
  return { runs, contestants: compare(samples, NODE_BASELINE) };
}
