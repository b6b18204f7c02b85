// The generation pipeline, one process:
//   lintSpec → readOperations → generateWrapper (on a worker thread, see wrapper-thread.ts)
//            → generateTypes → write (or, with --check, compare).
// Usage: npm run generate [-- --check] [--timings] [--spec <file>] [--out <dir>]
import { join, relative, resolve, sep } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateTypes, loadOpenapiTypescript } from "./pipeline/generate-types.js";
import { generatedHeader } from "./pipeline/header.js";
import { lintSpec } from "./pipeline/lint-spec.js";
import { findStaleFiles, type GeneratedFile, writeFiles } from "./pipeline/output-files.js";
import { readOperations } from "./pipeline/read-operations.js";
import { StageTimer } from "./pipeline/stage-timer.js";
import { startWrapperThread } from "./pipeline/wrapper-thread.js";

/** The project root: every default path, and the spec path in headers, is relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DEFAULT_SPEC = "openapi/rlor-trainer-jobs.yaml";
const DEFAULT_OUT_DIR = "generated";
export const LINT_CONFIG = "redocly.yaml";

export interface GenerateOptions {
  specPath: string;
  outDir: string;
  /** Redocly config; defaults to the project's redocly.yaml. */
  configPath?: string;
}

function projectRelative(path: string): string {
  return relative(PROJECT_ROOT, path).split(sep).join("/");
}

/** Runs every stage in memory and returns the files that belong in `outDir`. */
export async function generate(
  options: GenerateOptions,
  timer = new StageTimer(),
): Promise<GeneratedFile[]> {
  const specPath = resolve(options.specPath);
  const configPath = resolve(options.configPath ?? join(PROJECT_ROOT, LINT_CONFIG));
  const wrapperThread = startWrapperThread();
  try {
    const document = await timer.time("lintSpec", () => lintSpec(specPath, configPath));
    const api = await timer.time("readOperations", () => readOperations(document));
    const wrapper = wrapperThread.generateWrapper(api);
    await timer.time("loadOpenapiTypescript", loadOpenapiTypescript);
    const types = await timer.time("generateTypes", () => generateTypes(specPath));
    const { source, stages } = await timer.time("waitForWrapper", () => wrapper);
    timer.stages.push(...stages);
    const header = generatedHeader(projectRelative(specPath));
    return [
      { path: join(options.outDir, "schema.ts"), contents: header + types },
      { path: join(options.outDir, "operations.ts"), contents: header + source },
    ];
  } finally {
    await wrapperThread.close();
  }
}

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** The command line; returns the exit code. */
export async function main(args: string[], output: Output = console): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      check: { type: "boolean", default: false },
      timings: { type: "boolean", default: false },
      spec: { type: "string", default: join(PROJECT_ROOT, DEFAULT_SPEC) },
      out: { type: "string", default: join(PROJECT_ROOT, DEFAULT_OUT_DIR) },
    },
  });
  const timer = new StageTimer();
  // The main thread's clock starts with the process: this is Node, the loader and our modules.
  timer.record("startup", performance.now());
  const files = await generate({ specPath: values.spec, outDir: resolve(values.out) }, timer);
  let exitCode = 0;
  if (values.check) {
    const stale = await timer.time("check", () => findStaleFiles(files));
    for (const file of stale) {
      output.error(`${file.reason}: ${projectRelative(file.path)} (run \`npm run generate\`)`);
    }
    exitCode = stale.length > 0 ? 1 : 0;
    if (exitCode === 0) output.log("generated files are up to date");
  } else {
    const written = await timer.time("write", () => writeFiles(files));
    output.log(
      written.length > 0
        ? `wrote ${written.map(projectRelative).join(", ")}`
        : "generated files are up to date",
    );
  }
  // Last, the API reports (etc/) of the project's own generated/: what changed for users.
  if (!values.check && resolve(values.out) === join(PROJECT_ROOT, DEFAULT_OUT_DIR)) {
    await timer.time("apiReport", async () => {
      const { refreshApiReports } = await import("./api-report/main.js");
      return refreshApiReports(PROJECT_ROOT, output);
    });
  }
  if (values.timings) output.error(timer.report());
  return exitCode;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
