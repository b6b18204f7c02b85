import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseYaml, stringifyYaml } from "@redocly/openapi-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintSpec, SpecLintError } from "../../scripts/pipeline/lint-spec.js";
import { DEFAULT_SPEC, LINT_CONFIG, PROJECT_ROOT } from "../../scripts/pipeline/project.js";

const SPEC = join(PROJECT_ROOT, DEFAULT_SPEC);
const CONFIG = join(PROJECT_ROOT, LINT_CONFIG);
const GET_PATH = "/v1/accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}";
const CREATE_PATH = "/v1/accounts/{account_id}/rlorTrainerJobs";

type Operation = Record<string, unknown> & { responses: Record<string, unknown> };
type Doc = { paths: Record<string, { get: Operation; post?: Operation }> };

/** Each mutation breaks exactly one thing our own `rule/...` assertions are there to catch. */
const MUTATIONS: { name: string; rule: string; mutate(doc: Doc): void }[] = [
  {
    name: "snake-case-operation-id",
    rule: "rule/operation-id-camel-case",
    mutate: (d) => {
      getOp(d).operationId = "get_rlor_trainer_job";
    },
  },
  ...["summary", "description", "tags", "security"].map((field) => ({
    name: `no-${field}`,
    rule: "rule/operation-documented",
    mutate: (d: Doc) => void delete getOp(d)[field],
  })),
  ...["4XX", "5XX"].map((status) => ({
    name: `no-${status}`,
    rule: "rule/operation-error-responses",
    mutate: (d: Doc) => void delete getOp(d).responses[status],
  })),
  ...(
    [
      ["no-x-retry", undefined],
      ["unknown-x-retry", "sometimes"],
    ] as const
  ).map(([name, value]) => ({
    name,
    rule: "rule/operation-retry-class",
    mutate: (d: Doc) => {
      if (value === undefined) delete getOp(d)["x-retry"];
      else getOp(d)["x-retry"] = value;
    },
  })),
  {
    name: "retry-with-id-without-id-parameter",
    rule: "rule/operation-retry-id-parameter",
    mutate: (d) => {
      const create = d.paths[CREATE_PATH]?.post;
      if (create?.["x-retry"] !== "idempotent-with-id")
        throw new Error(`POST ${CREATE_PATH} is missing or not idempotent-with-id`);
      delete create["x-retry-id-parameter"];
    },
  },
  {
    name: "path-outside-account",
    rule: "rule/path-under-account",
    mutate: (d) => {
      d.paths["/v1/rlorTrainerJobs/{rlor_trainer_job_id}"] = d.paths[GET_PATH] ?? {
        get: { responses: {} },
      };
      delete d.paths[GET_PATH];
    },
  },
];

function getOp(doc: Doc): Operation {
  const item = doc.paths[GET_PATH];
  if (item === undefined) throw new Error(`${GET_PATH} is missing from the spec`);
  return item.get;
}

async function lintProblems(specPath: string): Promise<string[]> {
  try {
    await lintSpec(PROJECT_ROOT, specPath, CONFIG);
    return [];
  } catch (error) {
    if (error instanceof SpecLintError) return error.problems.map((problem) => problem.ruleId);
    throw error;
  }
}

let dir: string;
const mutatedSpec = (name: string) => join(dir, `${name}.yaml`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlor-lint-"));
  const source = await readFile(SPEC, "utf8");
  for (const mutation of MUTATIONS) {
    const doc = parseYaml(source) as Doc;
    mutation.mutate(doc);
    await writeFile(mutatedSpec(mutation.name), stringifyYaml(doc));
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the pipeline's lint stage", () => {
  it("passes on the spec and rejects a mutation with a SpecLintError naming the rule", async () => {
    expect(await lintProblems(SPEC)).toEqual([]);
    const [first] = MUTATIONS;
    if (first === undefined) throw new Error("no mutations");
    expect(await lintProblems(mutatedSpec(first.name))).toContain(first.rule);
  });
});

describe("npm run lint:spec's engine (@redocly/cli 2)", () => {
  it("passes on the spec and fires each custom rule on its mutation, in one run", async () => {
    const files = [SPEC, ...MUTATIONS.map(({ name }) => mutatedSpec(name))];
    const { stdout } = await promisify(execFile)(
      join(PROJECT_ROOT, "node_modules/.bin/redocly"),
      ["lint", "--config", CONFIG, "--format=json", ...files],
      { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    // One JSON report per file, concatenated in argument order.
    const reports = stdout
      .trim()
      .split(/\n?(?=\{\s*"totals")/)
      .map((text) => JSON.parse(text) as { problems: { ruleId: string }[] });
    expect(reports).toHaveLength(files.length);
    expect(reports[0]?.problems).toEqual([]);
    MUTATIONS.forEach(({ rule }, index) => {
      expect(reports[index + 1]?.problems.map((problem) => problem.ruleId)).toContain(rule);
    });
  });
});
