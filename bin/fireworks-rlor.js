#!/usr/bin/env node
// The installed command. Source maps must be on before the CLI's bundle is loaded (Node reads a
// file's map when it loads the file), so that --debug stack traces name the TypeScript sources
// the package ships in src/. Hence this small file in front of the bundle.
process.setSourceMapsEnabled(true);
await import("../dist/src/cli/main.js");
