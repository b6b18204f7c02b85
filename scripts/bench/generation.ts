// `npm run generate` on our spec (lint + types + wrapper, into a scratch dir) against the
// openapi-typescript CLI alone on the same spec. npm's own start-up is left out of both sides.
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { OPENAPI_TS } from "./generators.js";
import { wallMs } from "./process-time.js";
import { makeWorkDir, OUR_SPEC } from "./specs.js";
import { type Comparison, compare, interleave } from "./stats.js";

export interface GenerationResult {
  runs: number;
  /** Wall milliseconds of each whole command, a fresh process each run. */
  contestants: Comparison;
}

/** The same CLI as the scale rows' baseline, here run in the project (it lints with redocly.yaml). */
export const GENERATION_BASELINE = OPENAPI_TS;
export const GENERATE = "npm run generate (lint + types + wrapper)";

export async function measureGeneration(runs = 5): Promise<GenerationResult> {
  const dir = makeWorkDir("generate");
  try {
    // Both in the project, so both read redocly.yaml: the CLI lints with it as our lint stage does.
    const commands: Record<string, [string, string[]]> = {
      [GENERATION_BASELINE]: [
        resolve("node_modules/.bin/openapi-typescript"),
        [OUR_SPEC, "-o", join(dir, "schema.ts")],
      ],
      [GENERATE]: [
        process.execPath,
        ["--import", "tsx", "scripts/generate.ts", "--out", join(dir, "generated")],
      ],
    };
    const samples = await interleave(Object.keys(commands), runs, (name) => {
      const [command, args] = commands[name] as [string, string[]];
      return wallMs(command, args);
    });
    return { runs, contestants: compare(samples, GENERATION_BASELINE) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
