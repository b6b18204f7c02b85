// esbuild --bundle --minify of a consumer, then gzip -9: the bytes a user ships.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export interface BundleSize {
  minified: number;
  gzip: number;
  /** Minified bytes each source module puts in the bundle (esbuild's metafile), largest first. */
  modules: ModuleBytes[];
}

export interface ModuleBytes {
  /** Relative to the project (`src/core/errors.ts`), or the package (`openapi-fetch`). */
  module: string;
  bytes: number;
}

/** esbuild's input path, as a reader names it: a package by its name, a project file by its path. */
function moduleName(input: string, entry: string): string {
  if (input.endsWith(entry)) return "(the consumer)";
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (inPackage?.[1] !== undefined) return inPackage[1];
  return input.replace(/^(\.\.\/)+/, "").replace(/^.*?\/(src|generated)\//, "$1/");
}

function moduleBytes(
  inputs: Record<string, { bytesInOutput: number }>,
  entry: string,
): ModuleBytes[] {
  const byModule = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    if (bytesInOutput === 0) continue;
    const module = moduleName(input, entry);
    byModule.set(module, (byModule.get(module) ?? 0) + bytesInOutput);
  }
  return [...byModule]
    .map(([module, bytes]) => ({ module, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.module.localeCompare(b.module));
}

/** Bundles `source` (an ES module written to `dir`); rejects with esbuild's errors. */
export async function bundleSize(
  source: string,
  dir: string,
  name = "consumer",
): Promise<BundleSize> {
  const entry = join(dir, `${name}.mjs`);
  writeFileSync(entry, source);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    metafile: true,
    nodePaths: [resolve("node_modules")],
    logLevel: "silent",
  });
  const [file] = result.outputFiles;
  const output = Object.values(result.metafile.outputs)[0];
  if (!file || !output) throw new Error("esbuild produced no output");
  return {
    minified: file.contents.length,
    gzip: gzipSync(file.contents, { level: 9 }).length,
    modules: moduleBytes(output.inputs, `${name}.mjs`),
  };
}

/** The first lines of an esbuild failure, for the report. */
export function buildErrors(error: unknown): string[] {
  const errors = (error as { errors?: { text: string; location?: { file: string } | null }[] })
    .errors;
  if (errors === undefined) return [String(error)];
  return errors.map((e) => `${e.location?.file ?? ""}: ${e.text}`);
}
