/**
 * `npm run bench [-- --with-tests] [-- --quick]`: what users of this package feel, and the pipeline
 * at the scale of the whole Fireworks API, side by side in one run. Prints every row with its
 * target, writes .bench/results.json and the chart (docs/bench-generation.svg). Benchmarks, not
 * tests: nothing here fails on a slow machine. `npm run bench:readme` then updates docs/performance.md.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, platform } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measureBundleSize } from "./bundle-size.js";
import { generationChart } from "./chart.js";
import { measureCliStart } from "./cli-start.js";
import { measureGeneration } from "./generation.js";
import { measureImportCost } from "./import-cost.js";
import { measureLint } from "./lint-whole.js";
import { measurePerCall } from "./per-call.js";
import { type PreparedProject, prepareProject } from "./prepare.js";
import { loadAverage } from "./process-time.js";
import { CHART_PATH, report } from "./report.js";
import { type BenchResults, RESULTS_PATH, readResults } from "./results.js";
import { measureScale } from "./scale.js";
import { benchSpecs, makeWorkDir } from "./specs.js";
import { measureStages } from "./stages.js";
import { measureTestTime } from "./test-time.js";
import { measureTreeShaking } from "./tree-shaking.js";
import { typecheck } from "./typecheck.js";

const { values } = parseArgs({
  options: {
    "with-tests": { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
  },
});
const quick = values.quick;
const step = (text: string) => console.error(`[bench] ${text} (load ${loadAverage()[0]})`);

async function main(): Promise<void> {
  const previous = readResults();
  const loadStart = loadAverage();
  step("build (dist/ for the import and command-line rows)");
  execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  const work = makeWorkDir("run");
  try {
    step("per call");
    // 90 rounds: at 30, the ratio moved by ±6 % between runs on this shared machine, as much as
    // the 5 % it is judged by; at 90, by about ±2 % (2026-12-02).
    const perCall = await measurePerCall(quick ? 600 : 18_000, quick ? 3 : 90);
    step("import");
    const importCost = await measureImportCost("dist/src/index.js", quick ? 3 : 21);
    step("bundle");
    const bundle = await measureBundleSize();
    step("command-line start");
    const cliStart = await measureCliStart(quick ? 4 : 40);
    step("npm run generate on our spec");
    const generation = await measureGeneration(quick ? 1 : 5);
    const { specs, missing } = benchSpecs(work);
    if (missing !== undefined)
      console.error(`[bench] whole Fireworks API rows skipped: ${missing}`);
    step("generation against spec size");
    const scale = await measureScale(specs, work, (spec) =>
      quick ? 1 : spec.key === "fireworks" ? 3 : 5,
    );
    const projects = new Map<string, PreparedProject>();
    const treeShaking: BenchResults["treeShaking"] = {};
    for (const spec of specs) {
      step(`tree-shaking on ${spec.label}`);
      const project = await prepareProject(spec.path, join(work, `project-${spec.key}`));
      projects.set(spec.key, project);
      treeShaking[spec.key] = await measureTreeShaking(project);
    }
    let wholeApi: BenchResults["wholeApi"];
    const whole = specs.find((spec) => spec.key === "fireworks");
    const wholeProject = projects.get("fireworks");
    if (whole !== undefined && wholeProject !== undefined) {
      step("whole API: lint with Redocly's recommended rules");
      const lint = measureLint(whole.path, work);
      step("whole API: type-check our output");
      const checked = typecheck(wholeProject.dir, ["generated/*.ts"], "generated");
      const srcChecked = typecheck(wholeProject.dir, ["generated/*.ts", "src/**/*.ts"], "src");
      step("whole API: our generation by stage");
      const stages = measureStages(whole.path, work, quick ? 1 : 3);
      wholeApi = {
        lint,
        typecheck: checked,
        srcTypecheck: srcChecked,
        skipped: wholeProject.skipped,
        stages,
      };
    }
    let tests = previous?.tests;
    if (values["with-tests"]) {
      step("npm test (wall time)");
      tests = measureTestTime(loadAverage);
    }
    const cpu = cpus()[0];
    const results: BenchResults = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpu?.model.trim() ?? "unknown CPU",
        platform: `${platform()} ${process.arch}`,
        node: process.version,
      },
      load: { start: loadStart, end: loadAverage() },
      perCall,
      importCost,
      bundle,
      cliStart,
      generation,
      specs,
      ...(missing === undefined ? {} : { wholeApiMissing: missing }),
      scale,
      ...(wholeApi === undefined ? {} : { wholeApi }),
      treeShaking,
      ...(tests === undefined ? {} : { tests }),
    };
    mkdirSync(".bench", { recursive: true });
    writeFileSync(RESULTS_PATH, `${JSON.stringify(results, null, 2)}\n`);
    mkdirSync("docs", { recursive: true });
    writeFileSync(
      CHART_PATH,
      generationChart(scale, `${results.date.slice(0, 10)}, ${results.machine.cpus} cores`),
    );
    console.log(report(results));
    console.log(
      `\nwrote ${RESULTS_PATH} and ${CHART_PATH}; \`npm run bench:readme\` puts the table in docs/performance.md`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
