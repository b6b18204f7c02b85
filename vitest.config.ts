import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { SlowFirst } from "./test/slow-first.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    sequence: { sequencer: SlowFirst },
    // A fresh module graph per file costs ~0.4 s of imports each, about half the suite's time.
    // The tests leave no state behind (each restores env, timers and listeners it changes, and
    // stops what it starts), so files share one worker's modules.
    isolate: false,
    setupFiles: ["test/helpers/no-leaks.ts"],
    // Vitest's default (cores - 1) is one worker on 2 cores; but much of the suite waits on
    // child processes, servers and poll intervals, and other workers run files meanwhile. One
    // more worker than cores keeps the cores busy: on 2 cores, 3 workers left ~3 idle core-seconds
    // in a fresh clone's run where 2 left ~9, and the run took 43 s instead of 48 s.
    maxWorkers: availableParallelism() + 1,
    // Tests start real servers (fault server, Prism) and child processes: give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
