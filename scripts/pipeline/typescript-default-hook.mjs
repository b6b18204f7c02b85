// A module-loader hook for `npm run generate`: openapi-typescript's `import ts from "typescript"`
// gets the TypeScript that ts-morph has already loaded (its own copy, @ts-morph/common's), through
// `require`. Two savings: one 9 MB TypeScript loaded instead of two (~0.3 s of generating the
// whole Fireworks API), and no scan of a CommonJS file an ES module imports (cjs-module-lexer,
// looking for named exports: ~1.3 s over TypeScript's 9 MB). openapi-typescript uses only the
// default export and TypeScript's printer, whose output is the same byte for byte on both copies:
// test/pipeline/generate.test.ts generates in vitest, without this hook (on the project's own
// TypeScript), and fails the day that output differs from the committed generated/.
const TYPESCRIPT = /\/node_modules\/typescript\/lib\/typescript\.js$/;

export async function load(url, context, nextLoad) {
  if (!TYPESCRIPT.test(url)) return nextLoad(url, context);
  const source = [
    'import { createRequire } from "node:module";',
    `export default createRequire(${JSON.stringify(url)})("@ts-morph/common").ts;`,
  ].join("\n");
  return { format: "module", source, shortCircuit: true };
}
