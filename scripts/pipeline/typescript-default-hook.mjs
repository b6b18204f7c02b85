// A module-loader hook for `npm run generate`: an `import ts from "typescript"` gets TypeScript's
// CommonJS exports through `require`, skipping the scan Node runs over a CommonJS file an ES
// module imports (cjs-module-lexer, looking for named exports): over TypeScript's 9 MB that scan
// took ~1.3 s, a third of generating the whole Fireworks API. openapi-typescript, the one ES
// module that imports TypeScript here, uses only its default export, which this keeps as it is.
// ts-morph's own TypeScript is required, never imported, and so is untouched.
const TYPESCRIPT = /\/node_modules\/typescript\/lib\/typescript\.js$/;

export async function load(url, context, nextLoad) {
  if (!TYPESCRIPT.test(url)) return nextLoad(url, context);
  const source = [
    'import { createRequire } from "node:module";',
    `export default createRequire(${JSON.stringify(url)})(${JSON.stringify(new URL(url).pathname)});`,
  ].join("\n");
  return { format: "module", source, shortCircuit: true };
}
