#!/usr/bin/env node
import { runCli } from "./run.js";

// Stack traces (--debug) name the TypeScript sources the package ships, not the bundle's lines.
process.setSourceMapsEnabled(true);

// exitCode, not process.exit(): lets stdout drain when it is a pipe.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});
