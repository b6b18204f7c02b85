// `tsc --noEmit` with the project's own strict flags over files the bench generated.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export interface TypecheckResult {
  ok: boolean;
  ms: number;
  /** tsc's error lines (`file(line,col): error TS…`), at most 20. */
  errors: string[];
  errorCount: number;
}

/** Type-checks `include` (globs relative to `dir`) under the project's tsconfig.json flags. */
export function typecheck(dir: string, include: readonly string[], name: string): TypecheckResult {
  const config = join(dir, `tsconfig.${name}.json`);
  // The project's incremental cache stays the project's: this one lives beside the bench's files.
  const compilerOptions = { tsBuildInfoFile: join(dir, `tsconfig.${name}.tsbuildinfo`) };
  const tsconfig = { extends: resolve("tsconfig.json"), compilerOptions, include };
  writeFileSync(config, JSON.stringify(tsconfig, null, 2));
  const start = process.hrtime.bigint();
  const result = spawnSync(resolve("node_modules/.bin/tsc"), ["-p", config], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const errors = `${result.stdout}${result.stderr}`.split("\n").filter((l) => /error TS/.test(l));
  return { ok: result.status === 0, ms, errors: errors.slice(0, 20), errorCount: errors.length };
}
