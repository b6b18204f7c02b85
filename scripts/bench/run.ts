/**
 * `npm run bench`: what users of this package feel, side by side in one run. Prints a table and
 * writes .bench/results.json. Benchmarks, not tests: nothing here fails on a slow machine.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { measureBundleSize } from "./bundle-size.js";
import { measureGeneration } from "./generation.js";
import { measureImportCost } from "./import-cost.js";
import { measurePerCall } from "./per-call.js";
import type { Comparison } from "./stats.js";

const TARGETS = { perCall: 1.1, importCost: 1.5, bundleGzip: 3500, generation: 1.25 };

function comparisonRows(title: string, unit: string, comparison: Comparison): string[] {
  return Object.entries(comparison).map(
    ([name, s]) =>
      `| ${title} | ${name} | ${s.median.toFixed(1)} ${unit} (${s.min.toFixed(1)}–${s.max.toFixed(1)}) | ${s.ratio.toFixed(2)}× |`,
  );
}

function verdict(ok: boolean): string {
  return ok ? "met" : "NOT met";
}

async function main(): Promise<void> {
  // The import measure loads dist/: build it exactly as the published package is built.
  execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  const perCall = await measurePerCall();
  const importCost = await measureImportCost("dist/src/index.js");
  const bundle = await measureBundleSize();
  const generation = await measureGeneration();

  const ours = (c: Comparison) => c["fireworks-rlor"]?.ratio ?? Number.NaN;
  const genRatio = Object.values(generation.contestants).at(-1)?.ratio ?? Number.NaN;
  const gzip = bundle.contestants["fireworks-rlor"]?.gzip ?? Number.NaN;
  const lines = [
    `Node ${process.version}; per call: ${perCall.calls} sequential resumes per contestant in ${perCall.rounds} interleaved rounds; import: ${importCost.processes} processes; generation: ${generation.runs} runs. Median (min–max).`,
    "",
    "| measure | contestant | median (min–max) | ratio |",
    "|---|---|---|---|",
    ...comparisonRows("per call", "µs", perCall.contestants),
    ...comparisonRows("import", "ms", importCost.contestants),
    ...Object.entries(bundle.contestants).map(
      ([name, b]) => `| bundle (min / gzip -9) | ${name} | ${b.minified} B / ${b.gzip} B | |`,
    ),
    ...comparisonRows("generation", "ms", generation.contestants),
    "",
    `Targets: per call <= ${TARGETS.perCall}× raw fetch: ${verdict(ours(perCall.contestants) <= TARGETS.perCall)}; ` +
      `import <= ${TARGETS.importCost}× openapi-fetch: ${verdict(ours(importCost.contestants) <= TARGETS.importCost)}; ` +
      `bundle <= ${TARGETS.bundleGzip} B gzip: ${verdict(gzip <= TARGETS.bundleGzip)}; ` +
      `generation <= ${TARGETS.generation}× openapi-typescript: ${verdict(genRatio <= TARGETS.generation)}.`,
  ];
  console.log(lines.join("\n"));
  mkdirSync(".bench", { recursive: true });
  const results = {
    node: process.version,
    date: new Date().toISOString(),
    perCall,
    importCost,
    bundle,
    generation,
  };
  writeFileSync(".bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
}

await main();
