#!/usr/bin/env node
// The installed command. Under --debug, source maps must be on before the CLI's bundle is loaded
// (Node reads a file's map when it loads the file), so that stack traces name the TypeScript
// sources the package ships in src/. Only --debug prints a stack, and reading and parsing the
// map costs every other start ~15 ms, so they are on only then. Hence this small file in front
// of the bundle. CommonJS, as the bundle: Node then starts without its ES module loader, which
// costs an ESM entry ~10% of a start (see docs/performance.md).
const end = process.argv.indexOf("--");
const flags = end === -1 ? process.argv : process.argv.slice(0, end);
if (flags.includes("--debug")) process.setSourceMapsEnabled(true);
require("../dist/src/cli/main.cjs");
