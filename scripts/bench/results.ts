// The shape of .bench/results.json: everything one `npm run bench` measured, and where.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { BundleSizeResult } from "./bundle-size.js";
import type { CliStartResult } from "./cli-start.js";
import type { GenerationResult } from "./generation.js";
import type { ImportCostResult } from "./import-cost.js";
import type { LintRow } from "./lint-whole.js";
import type { PerCallResult } from "./per-call.js";
import type { ScaleRow } from "./scale.js";
import type { BenchSpec } from "./specs.js";
import type { StagesResult } from "./stages.js";
import type { TestTimeResult } from "./test-time.js";
import type { TreeShakingRow } from "./tree-shaking.js";
import type { TypecheckResult } from "./typecheck.js";

export const RESULTS_PATH = resolve(".bench/results.json");

export interface Machine {
  cpus: number;
  cpuModel: string;
  platform: string;
  node: string;
}

export interface BenchResults {
  date: string;
  machine: Machine;
  /** 1/5/15-minute load averages at the start and at the end of the run. */
  load: { start: number[]; end: number[] };
  perCall: PerCallResult;
  importCost: ImportCostResult;
  bundle: BundleSizeResult;
  cliStart: CliStartResult;
  generation: GenerationResult;
  specs: BenchSpec[];
  /** Why the whole Fireworks API rows are missing, when they are. */
  wholeApiMissing?: string;
  scale: ScaleRow[];
  wholeApi?: {
    lint: LintRow;
    /** Our generated/ for the whole spec, under the project's strict flags. */
    typecheck: TypecheckResult;
    /** src/ copied beside that generated/: does the package itself build against it? */
    srcTypecheck: TypecheckResult;
    /** Operations the generator left out, with its reason. */
    skipped: string[];
    /** Our generation, stage by stage (absent in results from before it was measured). */
    stages?: StagesResult;
  };
  treeShaking: Partial<Record<BenchSpec["key"], TreeShakingRow>>;
  /** The last `--with-tests` run, carried over from earlier results when this run skipped it. */
  tests?: TestTimeResult;
}

export function readResults(path = RESULTS_PATH): BenchResults | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as BenchResults;
}
