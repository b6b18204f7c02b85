// The spec against Fireworks' published OpenAPI document (scripts/spec-compare/compare.ts): every
// path, operation, parameter, field, type, format and enum value of the RLOR slice must be in
// ours, and what ours adds must carry an `x-source`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseYaml } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { DEFAULT_SPEC, PROJECT_ROOT, UPSTREAM_SPEC } from "../../scripts/pipeline/project.js";
import { compareSpecs, type Finding } from "../../scripts/spec-compare/compare.js";
import { formatText, groupFindings } from "../../scripts/spec-compare/report.js";
import { upstreamSpecPresent } from "../helpers/upstream-spec.js";

const upstreamExists = upstreamSpecPresent("upstream fidelity tests");

type Json = Record<string, unknown>;

const JOBS = "/v1/accounts/{account_id}/rlorTrainerJobs";
const JOB = `${JOBS}/{rlor_trainer_job_id}`;
const PROMOTE = "/v1/accounts/{account_id}/checkpoints/{checkpoint_id}:promote";
const ourText = readFileSync(join(PROJECT_ROOT, DEFAULT_SPEC), "utf8");
const published: unknown = upstreamExists ? parseYaml(readFileSync(UPSTREAM_SPEC, "utf8")) : {};

/** A fresh copy of our spec for each mutation. */
const ours = () => parseYaml(ourText) as Json;

function at(document: Json, ...keys: string[]): Json {
  let node: unknown = document;
  for (const key of keys) {
    node = (node as Json)[key];
    if (typeof node !== "object" || node === null)
      throw new Error(`${keys.join(" / ")} is not in our spec`);
  }
  return node as Json;
}

const schema = (document: Json, name: string) => at(document, "components", "schemas", name);

/** Each mutation removes or changes one thing the comparison must notice. */
const MUTATIONS: {
  name: string;
  mutate(document: Json): void;
  expected: Partial<Finding>;
}[] = [
  {
    name: "a deleted operation",
    mutate: (d) => void delete at(d, "paths", `${JOB}/publicLogs`).get,
    expected: { kind: "published-only", where: `GET ${JOB}/publicLogs` },
  },
  {
    name: "a deleted query parameter",
    mutate: (d) => {
      const list = at(d, "paths", JOBS, "get");
      list.parameters = (list.parameters as Json[]).filter(
        (parameter) => parameter.name !== "orderBy",
      );
    },
    expected: { kind: "published-only", where: `GET ${JOBS} › parameter orderBy (in query)` },
  },
  {
    name: "a deleted enum value",
    mutate: (d) => {
      const purpose = schema(d, "Purpose");
      purpose.enum = (purpose.enum as string[]).filter((value) => value !== "PURPOSE_PILOT");
    },
    expected: {
      kind: "published-only",
      where: `GET ${JOB} › response 200 › purpose`,
      detail: "enum value(s) PURPOSE_PILOT",
    },
  },
  {
    name: "a changed format",
    mutate: (d) => {
      at(d, "components", "schemas", "RlorTrainerJob", "properties", "nodeCount").format = "int64";
    },
    expected: {
      kind: "changed",
      where: `GET ${JOB} › response 200 › nodeCount`,
      detail: "format is int64, published int32",
    },
  },
  {
    name: "an unsourced added property",
    mutate: (d) => {
      at(d, "components", "schemas", "TrainingConfig", "properties").acceleratorType = {
        type: "string",
      };
    },
    expected: {
      kind: "ours-only",
      where: `POST ${JOBS} › request body › trainingConfig.acceleratorType`,
    },
  },
  {
    name: "a published field whose x-source does not credit the published spec",
    mutate: (d) => {
      at(d, "components", "schemas", "RlorTrainerJob", "properties", "lossConfig")["x-source"] =
        "nullable per reference/fireworks-rlor-api.md";
    },
    expected: { kind: "adopted", where: `GET ${JOB} › response 200 › lossConfig` },
  },
  {
    name: "a published operation whose x-source does not credit the published spec",
    mutate: (d) => {
      at(d, "paths", `${JOB}:executeTrainStep`, "post")["x-source"] =
        "reference/fireworks-rlor-family.md";
    },
    expected: { kind: "adopted", where: `POST ${JOB}:executeTrainStep` },
  },
  {
    name: "a deleted operation outside the rlorTrainerJobs paths (promote)",
    mutate: (d) => void delete at(d, "paths")[PROMOTE],
    expected: { kind: "published-only", where: `POST ${PROMOTE}` },
  },
  {
    name: "a promote body field made optional",
    mutate: (d) => {
      schema(d, "PromoteCheckpointRequest").required = ["outputModel", "trainerJobId"];
    },
    expected: {
      kind: "changed",
      where: `POST ${PROMOTE} › request body`,
      detail: "required property(ies) baseModel are optional in ours",
    },
  },
  {
    name: "a deleted field of the promoted model",
    mutate: (d) => void delete at(d, "components", "schemas", "Model", "properties").kind,
    expected: { kind: "published-only", where: `POST ${PROMOTE} › response 200 › model.kind` },
  },
  {
    name: "a kept field whose x-source is gone (trainingConfig.region)",
    mutate: (d) => {
      delete at(d, "components", "schemas", "TrainingConfig", "properties", "region")["x-source"];
    },
    expected: { kind: "ours-only", where: `GET ${JOB} › response 200 › trainingConfig.region` },
  },
];

describe.skipIf(!upstreamExists)("spec fidelity to the published spec's RLOR slice", () => {
  it("covers every published path, operation, parameter, field, type, format and enum value, and sources every addition", () => {
    const findings = compareSpecs(ours(), published);
    expect(
      findings,
      formatText(groupFindings(findings), { published: UPSTREAM_SPEC, ours: DEFAULT_SPEC }),
    ).toEqual([]);
  });

  it.each(MUTATIONS)("finds $name", ({ mutate, expected }) => {
    const document = ours();
    mutate(document);
    expect(compareSpecs(document, published)).toContainEqual(expect.objectContaining(expected));
  });
});
