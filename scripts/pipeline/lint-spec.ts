// Stage 1: lints the spec with @redocly/cli, the one Redocly generation the project uses (the
// `npm run lint:spec` command), in a child process that runs while this one generates.
import { execFile } from "node:child_process";
import { join, relative } from "node:path";

export interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  /** `file:line:col` of the first location. */
  where: string;
}

export class SpecLintError extends Error {
  override name = "SpecLintError";
  readonly problems: LintProblem[];

  constructor(specPath: string, problems: LintProblem[]) {
    const lines = problems.map((p) => `  ${p.where} ${p.severity} ${p.ruleId}: ${p.message}`);
    super(
      `${relative(process.cwd(), specPath)} has ${problems.length} lint problem(s):\n${lines.join("\n")}`,
    );
    this.problems = problems;
  }
}

interface RedoclyReport {
  problems?: {
    ruleId: string;
    severity: string;
    message: string;
    location?: { start?: { line: number; col: number } }[];
  }[];
}

function problemsOf(specPath: string, stdout: string): LintProblem[] {
  const report = JSON.parse(stdout) as RedoclyReport;
  return (report.problems ?? []).map((problem) => {
    const start = problem.location?.[0]?.start;
    const where = `${relative(process.cwd(), specPath)}:${start?.line ?? 0}:${start?.col ?? 0}`;
    return { ruleId: problem.ruleId, severity: problem.severity, message: problem.message, where };
  });
}

/** Resolves when the spec passes `configPath` (warnings fail too); rejects with a SpecLintError. */
export function lintSpec(projectRoot: string, specPath: string, configPath: string): Promise<void> {
  const redocly = join(projectRoot, "node_modules/.bin/redocly");
  const args = ["lint", "--config", configPath, "--format", "json", specPath];
  return new Promise((resolve, reject) => {
    execFile(
      redocly,
      args,
      { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        let problems: LintProblem[];
        try {
          problems = problemsOf(specPath, stdout);
        } catch {
          reject(new Error(`redocly lint failed on ${specPath}:\n${stderr}`));
          return;
        }
        if (error === null && problems.length === 0) resolve();
        else reject(new SpecLintError(specPath, problems));
      },
    );
  });
}
