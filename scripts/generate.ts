// The generation pipeline, one process and one thread:
//   lintSpec (redocly, a child process running alongside) → readSpec → readOperations
//   → emit names, operations, operation table (ts-morph) → generateTypes (openapi-typescript)
//   → format (Biome) → write, or with --check compare.
// Usage: npm run generate [-- --check] [--timings] [--spec <file>] [--out <dir>] [--skip-lint]
import { readFile } from "node:fs/promises";
import { register } from "node:module";
import { join, relative, resolve, sep } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseYaml } from "@redocly/openapi-core";
import type { Output } from "./api-report/main.js";
import { emitIndex, emitNames, RuleNames } from "./pipeline/emit-names.js";
import { emitOperations } from "./pipeline/emit-operations.js";
import { emitTable } from "./pipeline/emit-table.js";
import { formatSources } from "./pipeline/format-source.js";
import { generateTypes } from "./pipeline/generate-types.js";
import { generatedHeader } from "./pipeline/header.js";
import { isObject, type JsonObject } from "./pipeline/json-document.js";
import { lintSpec } from "./pipeline/lint-spec.js";
import { findStaleFiles, type GeneratedFile, writeFiles } from "./pipeline/output-files.js";
import { DEFAULT_SPEC, LINT_CONFIG, PROJECT_ROOT } from "./pipeline/project.js";
import {
  type ApiModel,
  readOperations,
  type SkippedOperation,
} from "./pipeline/read-operations.js";
import { resourcesOf } from "./pipeline/resource-names.js";
import { StageTimer } from "./pipeline/stage-timer.js";

const DEFAULT_OUT_DIR = "generated";
const RUNTIME_TEMPLATE = join(PROJECT_ROOT, "scripts/pipeline/runtime/runtime.ts");

export interface GenerateOptions {
  specPath: string;
  outDir: string;
  /** Redocly config; defaults to the project's redocly.yaml. */
  configPath?: string;
  /** False to skip linting: a foreign spec (the benchmark's whole Fireworks API) fails our rules. */
  lint?: boolean;
  /** Told of each operation left out because the generator cannot express it. */
  onSkipped?: (skipped: SkippedOperation) => void;
}

function projectRelative(path: string): string {
  return relative(PROJECT_ROOT, path).split(sep).join("/");
}

async function readSpec(specPath: string): Promise<JsonObject> {
  const parsed: unknown = parseYaml(await readFile(specPath, "utf8"));
  if (!isObject(parsed)) throw new Error(`${specPath} is not an OpenAPI object`);
  return parsed;
}

/** The modules ts-morph writes, by file name, unformatted. */
export function emitModules(api: ApiModel): Record<string, string> {
  const resources = resourcesOf(api.operations);
  const { patterns } = resources;
  const unpatterned = [...resources.byOperation.values()].flatMap((r) =>
    r.pattern ? [] : r.parameters,
  );
  // Every path parameter's rule constant, numbered once: names.ts defines them, operations.ts
  // imports them.
  const rules = new RuleNames([
    ...patterns.flatMap((pattern) => pattern.segments.filter((s) => typeof s !== "string")),
    ...unpatterned,
  ]);
  return {
    "index.ts": emitIndex(patterns),
    "names.ts": emitNames(patterns, rules),
    "operations.ts": emitOperations(api, resources, rules),
    "operation-table.ts": emitTable(api, resources),
  };
}

/** Runs every stage in memory and returns the files that belong in `outDir`. */
export async function generate(
  options: GenerateOptions,
  timer = new StageTimer(),
): Promise<GeneratedFile[]> {
  const specPath = resolve(options.specPath);
  const configPath = resolve(options.configPath ?? join(PROJECT_ROOT, LINT_CONFIG));
  const lint =
    options.lint === false ? Promise.resolve() : lintSpec(PROJECT_ROOT, specPath, configPath);
  // Settled here too, so a failing lint never goes unhandled while the other stages run.
  lint.catch(() => undefined);
  const document = await timer.time("readSpec", () => readSpec(specPath));
  const api = await timer.time("readOperations", () => readOperations(document));
  for (const skipped of api.skipped) options.onSkipped?.(skipped);
  const modules = await timer.time("emit (ts-morph)", () => emitModules(api));
  const schema = await timer.time("generateTypes", () => generateTypes(document, specPath));
  // One Biome process for every file: Biome formats them all in ~10 ms, less than starting a
  // second process costs.
  const formatted = await timer.time("format (biome)", async () =>
    Object.entries(await formatSources(PROJECT_ROOT, { ...modules, "schema.ts": schema })),
  );
  await timer.time("lintSpec (alongside)", () => lint);
  const header = generatedHeader(projectRelative(specPath));
  const runtime = await readFile(RUNTIME_TEMPLATE, "utf8");
  return [["runtime.ts", runtime] as const, ...formatted]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, contents]) => ({ path: join(options.outDir, name), contents: header + contents }));
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
      "skip-lint": { type: "boolean", default: false },
    },
  });
  const timer = new StageTimer();
  // The clock starts with the process: this is Node, tsx and our modules.
  timer.record("startup", performance.now());
  const files = await generate(
    {
      specPath: values.spec,
      outDir: resolve(values.out),
      lint: !values["skip-lint"],
      onSkipped: (op) =>
        output.error(
          `left out ${op.method.toUpperCase()} ${op.path} (${op.operationId}): ${op.reason}`,
        ),
    },
    timer,
  );
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
  // Before openapi-typescript is loaded (generateTypes imports it when first needed).
  register("./pipeline/typescript-default-hook.mjs", import.meta.url);
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
