// Module hooks for ts-loader.mjs (they run on Node's hooks thread). Only .ts files are transformed;
// every other module goes straight to Node's own loader.
import { readFile } from "node:fs/promises";
import { transform } from "esbuild";

/** The project's tsconfig flags that change emitted JavaScript. */
const TRANSFORM_OPTIONS = {
  loader: "ts",
  format: "esm",
  target: "node20",
  tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
};

/** TypeScript sources import each other as `./name.js` (NodeNext style); the file is `./name.ts`. */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTypeScript = context.parentURL?.endsWith(".ts") === true;
    if (error?.code !== "ERR_MODULE_NOT_FOUND" || !fromTypeScript || !specifier.endsWith(".js")) {
      throw error;
    }
    return nextResolve(`${specifier.slice(0, -".js".length)}.ts`, context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith(".ts")) return nextLoad(url, context);
  const source = await readFile(new URL(url), "utf8");
  const { code } = await transform(source, { ...TRANSFORM_OPTIONS, sourcefile: url });
  return { format: "module", source: code, shortCircuit: true };
}
