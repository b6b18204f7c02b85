// esbuild --bundle --minify of a consumer, then gzip -9: the bytes a user ships.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export interface BundleSize {
  minified: number;
  gzip: number;
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
    nodePaths: [resolve("node_modules")],
    logLevel: "silent",
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error("esbuild produced no output");
  return { minified: file.contents.length, gzip: gzipSync(file.contents, { level: 9 }).length };
}

/** The first lines of an esbuild failure, for the report. */
export function buildErrors(error: unknown): string[] {
  const errors = (error as { errors?: { text: string; location?: { file: string } | null }[] })
    .errors;
  if (errors === undefined) return [String(error)];
  return errors.map((e) => `${e.location?.file ?? ""}: ${e.text}`);
}
