// Runs the pipeline's own TypeScript on Node 20, which cannot strip types itself:
//   node --import ./scripts/pipeline/ts-loader.mjs scripts/generate.ts
// tsx did this for ~0.4 s per run (it hooks every module, CommonJS included); these hooks only
// touch our .ts files and cost ~0.07 s, most of it Node starting the hooks thread.
import { register } from "node:module";

register("./ts-loader-hooks.mjs", import.meta.url);
