#!/usr/bin/env node
import { runCli } from "./run.js";

// bin/fireworks-rlor.js (the installed command) turns source maps on, then loads this bundle.
// exitCode, not process.exit(): lets stdout drain when it is a pipe.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});
