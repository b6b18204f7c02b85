#!/usr/bin/env node
import { watchWrites } from "./output-closed.js";
import { runCli } from "./run.js";

// bin/fireworks-rlor.cjs (the installed command) turns source maps on, then loads this bundle.
// It is CommonJS (scripts/prepare.mjs), so no top-level await. exitCode, not process.exit():
// lets stdout drain when it is a pipe. No stdin: process.stdin is a getter that opens the
// stream (~2 ms of every start); `create -f -` asks for it when it reads.
// A closed stderr has no one to tell; a closed stdout stops the command (output-closed.ts).
watchWrites(process.stderr);
void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdoutClosed: watchWrites(process.stdout),
}).then((code) => {
  process.exitCode = code;
});
