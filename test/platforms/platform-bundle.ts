import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The main entry's source: what `dist/src/index.js` is built from. */
export const MAIN_ENTRY = `${ROOT}src/index.ts`;

export type Platform = "neutral" | "browser";

export interface PlatformBundle {
  /** The bundled JavaScript. */
  text: string;
  metafile: Metafile;
  /** Esbuild's warnings, formatted. */
  warnings: string[];
}

/**
 * Bundles `contents` (a TypeScript module, resolved from the project root) for `platform`,
 * dependencies included, as an application targeting that platform would. Throws on any
 * build error, e.g. a `node:` import that the platform cannot resolve.
 */
export async function bundleFor(platform: Platform, contents: string): Promise<PlatformBundle> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: "consumer.ts", loader: "ts" },
    bundle: true,
    platform,
    // The neutral platform reads no package.json field by default: do what a bundler does.
    ...(platform === "neutral" ? { mainFields: ["module", "main"], conditions: ["import"] } : {}),
    format: "esm",
    target: "es2022",
    metafile: true,
    write: false,
    outfile: "consumer.js",
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild wrote no output for ${platform}`);
  return {
    text: output.text,
    metafile: result.metafile,
    warnings: result.warnings.map((warning) => warning.text),
  };
}

const NODE_BUILTINS = new Set(builtinModules.map((name) => name.replace(/^node:/, "")));

/**
 * Every Node builtin the bundle refers to: `node:` specifiers anywhere in an import, export,
 * dynamic import or require, builtins imported by bare name (`"fs"`), and imports esbuild left
 * external.
 */
export function nodeBuiltinsIn(bundle: PlatformBundle): string[] {
  const found = new Set<string>();
  const specifier =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(["'`])([^"'`]+)\1/g;
  for (const [, , name = ""] of bundle.text.matchAll(specifier)) {
    if (name.startsWith("node:") || NODE_BUILTINS.has(name.split("/")[0] ?? name)) found.add(name);
  }
  for (const output of Object.values(bundle.metafile.outputs)) {
    for (const entry of output.imports) {
      if (entry.external) found.add(entry.path);
    }
  }
  return [...found].sort();
}
