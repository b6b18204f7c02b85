import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Comparison, compare, interleave } from "./stats.js";

export interface GenerationResult {
  runs: number;
  /** Wall milliseconds of each whole command, a fresh process each run. */
  contestants: Comparison;
}

const SPEC = "openapi/rlor-trainer-jobs.yaml";
const BASELINE = "openapi-typescript CLI (bare)";

function wallMs(command: string, args: readonly string[]): number {
  const start = process.hrtime.bigint();
  execFileSync(command, args, { stdio: "ignore" });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs the command behind `npm run generate`; npm's own start-up is left out of both sides. */
export async function measureGeneration(runs = 5): Promise<GenerationResult> {
  const dir = mkdtempSync(join(tmpdir(), "rlor-gen-"));
  try {
    const commands: Record<string, [string, string[]]> = {
      [BASELINE]: ["node_modules/.bin/openapi-typescript", [SPEC, "-o", join(dir, "schema.ts")]],
      "npm run generate (lint + types + wrapper)": [
        process.execPath,
        ["--import", "./scripts/pipeline/ts-loader.mjs", "scripts/generate.ts"],
      ],
    };
    const samples = await interleave(Object.keys(commands), runs, (name) => {
      const [command, args] = commands[name] as [string, string[]];
      return wallMs(command, args);
    });
    return { runs, contestants: compare(samples, BASELINE) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
