// The specs the bench runs the pipeline on, smallest first: the scale axis of the chart.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseYaml, stringifyYaml } from "@redocly/openapi-core";
import { UPSTREAM_SPEC } from "../pipeline/project.js";

export const OUR_SPEC = resolve("openapi/rlor-trainer-jobs.yaml");
/** Scratch space inside the project, so generated files resolve openapi-fetch and @types/node. */
export const WORK_ROOT = resolve(".bench/work");

export interface BenchSpec {
  /** Short name used as a key in results.json. */
  key: "two-operations" | "rlor" | "fireworks";
  label: string;
  path: string;
  operations: number;
  bytes: number;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Operations of a spec's paths object. */
export function countOperations(document: unknown): number {
  if (!isObject(document) || !isObject(document.paths)) return 0;
  return Object.values(document.paths).reduce<number>(
    (sum, item) => sum + (isObject(item) ? METHODS.filter((m) => isObject(item[m])).length : 0),
    0,
  );
}

/** A copy of `document` keeping only the operations named in `keep` (and their paths). */
export function keepOperations(document: Json, keep: readonly string[]): Json {
  const copy = structuredClone(document);
  const paths = isObject(copy.paths) ? copy.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (isObject(operation) && !keep.includes(String(operation.operationId))) delete item[method];
    }
    if (!METHODS.some((method) => isObject(item[method]))) delete paths[path];
  }
  return copy;
}

export function makeWorkDir(prefix: string): string {
  mkdirSync(WORK_ROOT, { recursive: true });
  return mkdtempSync(join(WORK_ROOT, `${prefix}-`));
}

function describe(key: BenchSpec["key"], label: string, path: string): BenchSpec {
  const operations = countOperations(parseYaml(readFileSync(path, "utf8")));
  return { key, label, path, operations, bytes: statSync(path).size };
}

/**
 * The two-operation spec (our spec cut down to resume + get), ours, and the whole Fireworks API
 * when its file is there; `missing` says why it is not.
 */
export function benchSpecs(dir: string): { specs: BenchSpec[]; missing?: string } {
  const ours = parseYaml(readFileSync(OUR_SPEC, "utf8")) as Json;
  const twoPath = join(dir, "two-operations.yaml");
  writeFileSync(
    twoPath,
    stringifyYaml(keepOperations(ours, ["getRlorTrainerJob", "resumeRlorTrainerJob"])),
  );
  const specs = [
    describe("two-operations", "resume + get", twoPath),
    describe("rlor", "RLOR spec", OUR_SPEC),
  ];
  if (!existsSync(UPSTREAM_SPEC)) {
    return { specs, missing: `no published spec at ${UPSTREAM_SPEC} (set RLOR_UPSTREAM_SPEC)` };
  }
  specs.push(describe("fireworks", "whole Fireworks API", UPSTREAM_SPEC));
  return { specs };
}
