// `npm test` wall time: minutes, so only behind `--with-tests`; results.json keeps the last value.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

export interface TestTimeResult {
  ms: number;
  /** Whether `npm test` passed: a failing run's time is kept, and said to be from a failing run. */
  passed: boolean;
  date: string;
  load: number[];
}

/**
 * What a fresh clone's `npm test` finds (CI's case): no type-check cache for the tests and
 * scripts (the root project's tsbuildinfo), and no vitest record of earlier durations.
 */
function forgetCaches(): void {
  rmSync("dist/tsconfig.tsbuildinfo", { force: true });
  rmSync("node_modules/.vite/vitest", { recursive: true, force: true });
}

export function measureTestTime(load: () => number[]): TestTimeResult {
  forgetCaches();
  const before = load();
  const start = process.hrtime.bigint();
  const result = spawnSync("npm", ["test", "--silent"], { stdio: "ignore" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, passed: result.status === 0, date: new Date().toISOString(), load: before };
}
