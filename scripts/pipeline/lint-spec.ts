// Stage 1: lints the spec in process with the Redocly engine openapi-typescript is built on
// (@redocly/openapi-core 1), so one loaded engine serves both. `npm run lint:spec` runs
// @redocly/cli 2 on the same redocly.yaml.
import { relative } from "node:path";
import {
  BaseResolver,
  type Document,
  getLineColLocation,
  lintDocument,
  loadConfig,
  type NormalizedProblem,
} from "@redocly/openapi-core";

export interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  /** `file:line:col` of the first location, relative to the working directory. */
  where: string;
}

export class SpecLintError extends Error {
  readonly problems: LintProblem[];

  constructor(specPath: string, problems: LintProblem[]) {
    const lines = problems.map((p) => `  ${p.where} ${p.severity} ${p.ruleId}: ${p.message}`);
    super(
      `${relative(process.cwd(), specPath)} has ${problems.length} lint problem(s):\n${lines.join("\n")}`,
    );
    this.name = "SpecLintError";
    this.problems = problems;
  }
}

function toLintProblem(problem: NormalizedProblem): LintProblem {
  const location = problem.location[0];
  let where = "";
  if (location !== undefined) {
    const { start } = getLineColLocation(location);
    where = `${relative(process.cwd(), location.source.absoluteRef)}:${start.line}:${start.col}`;
  }
  return { ruleId: problem.ruleId, severity: problem.severity, message: problem.message, where };
}

/**
 * Lints `specPath` with `configPath` and returns the parsed document (`$ref`s left in place); any
 * problem, warnings included, throws a SpecLintError.
 */
export async function lintSpec(
  specPath: string,
  configPath: string,
): Promise<Record<string, unknown>> {
  const config = await loadConfig({ configPath });
  const resolver = new BaseResolver(config.resolve);
  const document = await resolver.resolveDocument(null, specPath, true);
  if (!("parsed" in document)) throw document.originalError;
  const problems = await lintDocument({
    document,
    config: config.styleguide,
    externalRefResolver: resolver,
  });
  if (problems.length > 0) throw new SpecLintError(specPath, problems.map(toLintProblem));
  return parsedObject(document);
}

function parsedObject(document: Document): Record<string, unknown> {
  const parsed: unknown = document.parsed;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${document.source.absoluteRef} is not an OpenAPI object`);
  }
  return parsed as Record<string, unknown>;
}
