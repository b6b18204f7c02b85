// The public API, under review: etc/*.api.md (refreshed by `npm run generate`), checked by
// `npm test`.
//   node --import tsx scripts/api-report/main.ts            refresh etc/, print the API changes
//   node --import tsx scripts/api-report/main.ts --check    fail on a stale report or an
//                                                          unacknowledged breaking change, reading
//                                                          dist/'s declarations (`npm run api:check`
//                                                          brings them up to date first)
//   node --import tsx scripts/api-report/main.ts --baseline the current API becomes the baseline
//                                                          (a release: `npm version` runs it)
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readIfExists } from "../pipeline/output-files.js";
import { acknowledgementLines, allowsBreakingChanges, isAcknowledged } from "./changelog.js";
import { type ApiChange, compareReports, type ReportText } from "./compare.js";
import { API_ENTRIES, type ApiReport, baselinePath, makeReports } from "./reports.js";

export interface Output {
  log(line: string): void;
  error(line: string): void;
  /**
   * Given the reports `refreshApiReports` made from the sources, for a caller that checks them
   * next in the same process (a test): making them again costs seconds of TypeScript and API
   * Extractor, for the same bytes.
   */
  reportsMade?(reports: readonly ApiReport[]): void;
}

const REFRESH = "npm run generate";

async function packageInfo(root: string): Promise<{ name: string; version: string }> {
  return JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
}

/** The committed reports (or the baseline's), for the entries that have one. */
async function readReports(root: string, pathOf: (report: ApiReport["entry"]) => string) {
  const reports: ReportText[] = [];
  for (const entry of API_ENTRIES) {
    const contents = await readIfExists(join(root, pathOf(entry)));
    if (contents !== undefined) reports.push({ subpath: entry.subpath, contents });
  }
  return reports;
}

const asText = (reports: readonly ApiReport[]): ReportText[] =>
  reports.map((report) => ({ subpath: report.entry.subpath, contents: report.contents }));

const sameReports = (a: readonly ReportText[], b: readonly ReportText[]) =>
  a.length === b.length &&
  a.every((report, index) => {
    const other = b[index];
    return (
      other?.subpath === report.subpath && other.contents === stripBaselineNote(report.contents)
    );
  });

// --- the baseline: the reports of the last release, with its version ---------------------------

const BASELINE_NOTE =
  /^> Baseline of the breaking-change check: the API of version `([^`]+)`\.[^\n]*\n\n/m;

function withBaselineNote(contents: string, version: string): string {
  const note =
    `> Baseline of the breaking-change check: the API of version \`${version}\`. ` +
    "`npm run api:baseline` (run by `npm version`) refreshes it.\n\n";
  const heading = contents.indexOf("\n\n") + 2;
  return contents.slice(0, heading) + note + contents.slice(heading);
}

function stripBaselineNote(contents: string): string {
  return contents.replace(BASELINE_NOTE, "");
}

async function readBaseline(root: string) {
  const reports = (await readReports(root, baselinePath)).map((report) => ({
    ...report,
    contents: stripBaselineNote(report.contents),
  }));
  const first = await readIfExists(join(root, baselinePath(API_ENTRIES[0] as ApiReport["entry"])));
  const version = first === undefined ? undefined : BASELINE_NOTE.exec(first)?.[1];
  return { reports, version };
}

/** The same two versions are compared once per process (generate compares twice, tests often). */
const comparisons = new Map<string, ApiChange[]>();

function compare(root: string, before: readonly ReportText[], after: readonly ReportText[]) {
  const key = JSON.stringify([root, before, after]);
  const known = comparisons.get(key);
  if (known !== undefined) return known;
  const changes = compareReports(root, before, after);
  comparisons.set(key, changes);
  return changes;
}

// --- breaking changes and their acknowledgement -------------------------------------------------

interface BreakCheck {
  baselineVersion: string;
  version: string;
  /** Breaking changes since the baseline. */
  breaking: ApiChange[];
  /** Those neither a version bump nor CHANGELOG.md acknowledges. */
  unacknowledged: ApiChange[];
}

async function checkBreaks(
  root: string,
  current: readonly ReportText[],
): Promise<BreakCheck | undefined> {
  const baseline = await readBaseline(root);
  if (baseline.version === undefined || baseline.reports.length === 0) return undefined;
  const { version } = await packageInfo(root);
  const breaking = sameReports(baseline.reports, current)
    ? []
    : compare(root, baseline.reports, current).filter((change) => change.breaking);
  const bumped = allowsBreakingChanges(baseline.version, version);
  const lines = acknowledgementLines((await readIfExists(join(root, "CHANGELOG.md"))) ?? "");
  const unacknowledged = bumped
    ? []
    : breaking.filter((change) => !isAcknowledged(change.path, lines));
  return { baselineVersion: baseline.version, version, breaking, unacknowledged };
}

function nextBreakingVersion(version: string): string {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
}

function entryLabel(name: string, subpath: string): string {
  return subpath === "." ? name : `${name}/${subpath.replace(/^\.\//, "")}`;
}

function changeLines(name: string, changes: readonly ApiChange[]): string[] {
  const lines: string[] = [];
  for (const entry of API_ENTRIES) {
    const ofEntry = changes.filter((change) => change.subpath === entry.subpath);
    if (ofEntry.length === 0) continue;
    lines.push(`  ${entryLabel(name, entry.subpath)} (${entry.report}):`);
    for (const change of ofEntry) {
      const mark = change.breaking ? "BREAKING " : "         ";
      lines.push(`    ${mark} ${change.kind.padEnd(7)} ${change.path}: ${change.detail}`);
    }
  }
  return lines;
}

function unacknowledgedLines(check: BreakCheck): string[] {
  const names = [...new Set(check.unacknowledged.map((change) => change.path))];
  return [
    `Breaking changes since version ${check.baselineVersion} (etc/baseline/) that CHANGELOG.md does not acknowledge:`,
    ...names.map((name) => `  ${name}`),
    "Acknowledge each in CHANGELOG.md: a line under `### Breaking` in `## [Unreleased]` that names it " +
      `(e.g. \`${names[0] ?? ""}\`), or raise the version to ${nextBreakingVersion(check.baselineVersion)}.`,
  ];
}

// --- the commands -------------------------------------------------------------------------------

/**
 * Refreshes etc/*.api.md and prints what changed in the public API since the committed reports,
 * and any breaking change `npm test` will refuse. Breaking changes do not fail this command.
 */
export async function refreshApiReports(root: string, output: Output): Promise<number> {
  const { name } = await packageInfo(root);
  const fresh = await makeReports(root);
  output.reportsMade?.(fresh);
  const committed = await readReports(root, (entry) => entry.report);
  const current = asText(fresh);
  if (sameReports(committed, current)) {
    output.log("the public API is unchanged (etc/*.api.md are up to date)");
  } else {
    const changes = compare(root, committed, current);
    const written: string[] = [];
    for (const report of fresh) {
      const path = join(root, report.entry.report);
      if ((await readIfExists(path)) === report.contents) continue;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, report.contents, "utf8");
      written.push(report.entry.report);
    }
    output.log(`wrote ${written.join(", ")}; review the diff. Public API changes:`);
    for (const line of changes.length > 0
      ? changeLines(name, changes)
      : ["  (none: layout only)"]) {
      output.log(line);
    }
  }
  const check = await checkBreaks(root, current);
  if (check !== undefined && check.unacknowledged.length > 0) {
    for (const line of unacknowledgedLines(check)) output.error(line);
    output.error("`npm test` (npm run api:check) fails until then.");
  }
  return 0;
}

/**
 * `npm run api:check`: fails on a stale report or an unacknowledged breaking change. It reads the
 * declarations in dist/, which `tsc -b tsconfig.build.json` (run just before) keeps fresh: the
 * type check and the package build make them anyway, so the check does not emit its own.
 */
export async function checkApiReports(root: string, output: Output): Promise<number> {
  return checkFreshReports(root, await makeReports(root, true), output);
}

/** The check, given the reports made from the sources as they are. */
export async function checkFreshReports(
  root: string,
  fresh: readonly ApiReport[],
  output: Output,
): Promise<number> {
  let failed = false;
  for (const report of fresh) {
    const committed = await readIfExists(join(root, report.entry.report));
    if (committed !== report.contents) {
      output.error(
        `${committed === undefined ? "missing" : "stale"}: ${report.entry.report} does not match the ` +
          `public API (run \`${REFRESH}\` and review its diff)`,
      );
      failed = true;
    }
  }
  const check = await checkBreaks(root, asText(fresh));
  if (check === undefined) {
    output.error(`missing: ${join("etc", "baseline")} (run \`npm run api:baseline\`)`);
    failed = true;
  } else if (check.unacknowledged.length > 0) {
    for (const line of unacknowledgedLines(check)) output.error(line);
    failed = true;
  } else if (!failed) {
    output.log(
      check.breaking.length === 0
        ? `API reports are up to date; no breaking change since version ${check.baselineVersion}`
        : `API reports are up to date; the breaking changes since version ${check.baselineVersion} ` +
            `are acknowledged (${check.version === check.baselineVersion ? "CHANGELOG.md" : `version ${check.version}`})`,
    );
  }
  return failed ? 1 : 0;
}

/** `npm run api:baseline`: the current API, at the package's version, becomes the baseline. */
export async function writeBaseline(root: string, output: Output): Promise<number> {
  const { version } = await packageInfo(root);
  const fresh = await makeReports(root);
  for (const report of fresh) {
    await mkdir(join(root, "etc", "baseline"), { recursive: true });
    await writeFile(join(root, report.entry.report), report.contents, "utf8");
    await writeFile(
      join(root, baselinePath(report.entry)),
      withBaselineNote(report.contents, version),
      "utf8",
    );
  }
  output.log(`etc/baseline/ is now the API of version ${version}`);
  return 0;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      check: { type: "boolean", default: false },
      baseline: { type: "boolean", default: false },
    },
  });
  try {
    process.exitCode = values.check
      ? await checkApiReports(ROOT, console)
      : values.baseline
        ? await writeBaseline(ROOT, console)
        : await refreshApiReports(ROOT, console);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
