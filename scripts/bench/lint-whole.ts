// Redocly's `recommended` rules on a foreign spec (ours are for our spec): time and findings.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export interface LintRow {
  ms: number;
  errors: number;
  warnings: number;
}

interface Report {
  problems?: { severity: string }[];
}

export function measureLint(specPath: string, workDir: string): LintRow {
  const config = join(workDir, "redocly-recommended.yaml");
  writeFileSync(config, "extends:\n  - recommended\n");
  const start = process.hrtime.bigint();
  const result = spawnSync(
    resolve("node_modules/.bin/redocly"),
    ["lint", "--config", config, "--format", "json", specPath],
    { cwd: workDir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let report: Report;
  try {
    report = JSON.parse(result.stdout) as Report;
  } catch {
    throw new Error(`redocly lint gave no report (exit ${result.status}):\n${result.stderr}`);
  }
  const problems = report.problems ?? [];
  const count = (severity: string) => problems.filter((p) => p.severity === severity).length;
  return { ms, errors: count("error"), warnings: count("warn") };
}
