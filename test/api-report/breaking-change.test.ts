/**
 * `npm run api:check` on the project: the committed reports describe dist/'s declarations (the
 * global setup has built them) and no break since etc/baseline/ goes unacknowledged. In this
 * file, beside the test below, so that API Extractor and its TypeScript load once.
 *
 * Done when: on a copy of the project, renaming a field of the job schema and running
 * `npm run generate` prints the break, changes the report's diff, makes the API check that
 * `npm test` runs fail, and the check passes again once CHANGELOG.md acknowledges the break or
 * the version is raised.
 */
import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import type * as ApiReportMain from "../../scripts/api-report/main.js";
import type * as Reports from "../../scripts/api-report/reports.js";
import type * as Generate from "../../scripts/generate.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const COPIED = [
  "package.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "redocly.yaml",
  "biome.json",
  "CHANGELOG.md",
  "openapi",
  "scripts",
  "src",
  "generated",
  "etc",
];
const SPEC = "openapi/rlor-trainer-jobs.yaml";
const REPORT = "etc/fireworks-rlor.api.md";

let dir: string;
const at = (...parts: string[]) => join(dir, ...parts);
/** The copy's own scripts, run in this process: TypeScript and API Extractor load once. */
let generate: typeof Generate;
let api: typeof ApiReportMain;
let reports: typeof Reports;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlor-api-break-"));
  for (const path of COPIED) await cp(join(ROOT, path), at(path), { recursive: true });
  await symlink(join(ROOT, "node_modules"), at("node_modules"), "dir");
  generate = (await import(pathToFileURL(at("scripts/generate.ts")).href)) as typeof Generate;
  api = (await import(
    pathToFileURL(at("scripts/api-report/main.ts")).href
  )) as typeof ApiReportMain;
  reports = (await import(
    pathToFileURL(at("scripts/api-report/reports.ts")).href
  )) as typeof Reports;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("npm run api:check passes on the project", async () => {
  const { checkApiReports } = await import("../../scripts/api-report/main.js");
  const lines: string[] = [];
  const code = await checkApiReports(ROOT, { log: () => {}, error: (line) => lines.push(line) });
  expect(code, `npm run api:check:\n${lines.join("\n")}`).toBe(0);
});

/** `npm run api:check` is `checkFreshReports(root, await makeReports(root))`; the sources do not
 * change between the checks below, so the reports are the ones `npm run generate` made from them
 * (and wrote to etc/: that the written ones match is the first thing checked). */
let fresh: readonly Reports.ApiReport[] = [];
async function check(): Promise<{ code: number; errors: string }> {
  const errors: string[] = [];
  const output: ApiReportMain.Output = { log: () => {}, error: (line) => errors.push(line) };
  const code = await api.checkFreshReports(dir, fresh, output);
  return { code, errors: errors.join("\n") };
}

it("a renamed field: generate names the break, the check fails until CHANGELOG.md or the version acknowledges it", async () => {
  // The job's displayName, not the promoted Model's: the first after the job's schema opens.
  const spec = await readFile(at(SPEC), "utf8");
  const job = spec.indexOf("\n    RlorTrainerJob:\n");
  const field = spec.indexOf("\n        displayName:\n", job);
  expect(job).toBeGreaterThan(0);
  expect(spec.slice(job + 1, field)).not.toMatch(/\n {4}\w+:\n/);
  await writeFile(
    at(SPEC),
    `${spec.slice(0, field)}\n        title:\n${spec.slice(field + "\n        displayName:\n".length)}`,
  );
  const reportBefore = await readFile(at(REPORT), "utf8");

  // `npm run generate`, in the copy: what it prints. Without its lint stage, which lint.test.ts
  // tests: a redocly child process of ~1 CPU-s that has no say in the API reports.
  const [logged, errored]: [string[], string[]] = [[], []];
  const code = await generate.main(["--skip-lint"], {
    log: (line) => logged.push(line),
    error: (line) => errored.push(line),
    reportsMade: (reports) => {
      fresh = reports;
    },
  });
  expect(code).toBe(0);
  const [stdout, stderr] = [logged.join("\n"), errored.join("\n")];
  expect(stdout).toMatch(/BREAKING\s+removed\s+RlorTrainerJob\.displayName: field removed/);
  expect(stdout).toMatch(/added\s+RlorTrainerJob\.title: field added/);
  expect(stdout).toMatch(/BREAKING\s+removed\s+FakeJobBody\.displayName/);
  expect(stderr).toContain("CHANGELOG.md does not acknowledge");

  // The report's scratch declarations left dist/ alone: a build-info file there would tell
  // `tsc -b` that dist/ is up to date when it is not.
  expect(existsSync(at("dist"))).toBe(false);

  // The reviewer's diff.
  const reportAfter = await readFile(at(REPORT), "utf8");
  const count = (text: string, part: string) => text.split(part).length - 1;
  expect(count(reportBefore, "            displayName?: string;\n")).toBe(2);
  expect(count(reportAfter, "displayName?: string;")).toBe(1);
  expect(reportAfter).toContain("            title?: string;\n");

  // What `npm test` runs: the report is fresh, the break is not acknowledged.
  expect(fresh.map((report) => report.entry)).toEqual(reports.API_ENTRIES);
  const failed = await check();
  expect(failed.code).toBe(1);
  expect(failed.errors).not.toContain("stale");
  expect(failed.errors).toMatch(/^ {2}RlorTrainerJob\.displayName$/m);
  expect(failed.errors).toMatch(/^ {2}FakeJobBody\.displayName$/m);
  const pkg = JSON.parse(await readFile(at("package.json"), "utf8")) as { version: string };
  const [major = 0, minor = 0] = pkg.version.split(".").map(Number);
  const next = major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
  expect(failed.errors).toContain(`or raise the version to ${next}`);

  // Acknowledged in CHANGELOG.md's Unreleased section…
  const changelog = await readFile(at("CHANGELOG.md"), "utf8");
  const acknowledged = changelog.replace(
    "## [Unreleased]\n",
    "## [Unreleased]\n\n### Breaking\n\n- `RlorTrainerJob.displayName` (and `FakeJobBody.displayName`) is now `title`.\n",
  );
  await writeFile(at("CHANGELOG.md"), acknowledged);
  expect(await check()).toEqual({ code: 0, errors: "" });

  // …or by a new minor version while 0.x.
  await writeFile(at("CHANGELOG.md"), changelog);
  expect((await check()).code).toBe(1);
  await writeFile(at("package.json"), JSON.stringify({ ...pkg, version: next }));
  expect(await check()).toEqual({ code: 0, errors: "" });
}, 120_000);
