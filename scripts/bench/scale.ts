// Generation time against spec size: ours and each peer, interleaved, on each bench spec.
import { GENERATORS, generatorCommand, OPENAPI_TS } from "./generators.js";
import { wallMs } from "./process-time.js";
import type { BenchSpec } from "./specs.js";
import { type Comparison, compare, interleave } from "./stats.js";

export interface ScaleRow {
  spec: BenchSpec;
  runs: number;
  /** Wall milliseconds of each generator's command, a fresh process each run. */
  contestants: Comparison;
}

/** Runs every generator `runs` times on each spec, in interleaved rounds, into `workDir`. */
export async function measureScale(
  specs: readonly BenchSpec[],
  workDir: string,
  runs: (spec: BenchSpec) => number,
): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const spec of specs) {
    const samples = await interleave(GENERATORS, runs(spec), (generator) => {
      const { command, args, options } = generatorCommand(generator, spec.path, workDir);
      return wallMs(command, args, options);
    });
    rows.push({ spec, runs: runs(spec), contestants: compare(samples, OPENAPI_TS) });
    console.error(`generation on ${spec.label}: done`);
  }
  return rows;
}
