// Where our generator's time goes on one spec: `npm run generate -- --timings`, stage by stage,
// the medians of a few runs. The whole-API row says how far ours is from the openapi-typescript
// CLI; this says which stage that is, for the performance page.
import { spawnSync } from "node:child_process";
import { generatorCommand, OURS } from "./generators.js";
import { summarize } from "./stats.js";

export interface StagesResult {
  runs: number;
  /** Median ms per stage, in the order the generator reports them. */
  stages: Record<string, number>;
}

/** A `--timings` line: the stage's name, then its milliseconds. */
const STAGE_LINE = /^(\S.*?)\s+(\d+) ms$/;

function stageTimes(stderr: string): [string, number][] {
  return stderr.split("\n").flatMap((line) => {
    const match = STAGE_LINE.exec(line.trim());
    return match?.[1] === undefined ? [] : [[match[1], Number(match[2])] as [string, number]];
  });
}

export function measureStages(specPath: string, workDir: string, runs: number): StagesResult {
  const samples = new Map<string, number[]>();
  const { command, args, options } = generatorCommand(OURS, specPath, workDir);
  for (let run = 0; run < runs; run++) {
    const result = spawnSync(command, [...args, "--timings"], { ...options, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`generate --timings failed:\n${result.stderr}`);
    for (const [stage, ms] of stageTimes(result.stderr)) {
      samples.set(stage, [...(samples.get(stage) ?? []), ms]);
    }
  }
  const stages = Object.fromEntries(
    [...samples].map(([stage, values]) => [stage, summarize(values).median]),
  );
  return { runs, stages };
}
