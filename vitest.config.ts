import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Tests start real servers (fault server, Prism) and child processes: give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
