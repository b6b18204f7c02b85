// `npm run spec:compare`: our spec against Fireworks' published OpenAPI document, both ways, so a
// maintainer handed a newer published spec sees what upstream added and what it dropped that we
// still ship. Stages: read both documents, compare (spec-compare/compare.ts), group and format
// (spec-compare/report.ts). See README "Check against Fireworks' published spec".
// Usage: npm run spec:compare -- <published-spec> [--spec <our-spec>] [--markdown]
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseYaml } from "@redocly/openapi-core";
import { isObject } from "./pipeline/json-document.js";
import { DEFAULT_SPEC, PROJECT_ROOT } from "./pipeline/project.js";
import { compareSpecs } from "./spec-compare/compare.js";
import {
  type ComparedSpecs,
  EXIT,
  exitCodeOf,
  formatMarkdown,
  formatText,
  groupFindings,
  summaryLine,
} from "./spec-compare/report.js";

const USAGE = "usage: npm run spec:compare -- <published-spec> [--spec <our-spec>] [--markdown]";

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

interface Options {
  publishedPath: string;
  /** Our spec as the user named it; the project's own when not named. */
  ourPath: string | undefined;
  markdown: boolean;
}

/** The command line's options, or `undefined` when it is not a valid use of the command. */
function parseOptions(args: string[]): Options | undefined {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        spec: { type: "string" },
        markdown: { type: "boolean", default: false },
      },
    });
    const [publishedPath, ...extra] = positionals;
    if (publishedPath === undefined || extra.length > 0) return undefined;
    return { publishedPath, ourPath: values.spec, markdown: values.markdown };
  } catch {
    return undefined;
  }
}

/** A document parsed, and how the report names it: the path as given and its `info.version`. */
async function readSpec(path: string, base: string): Promise<{ document: unknown; label: string }> {
  const text = await readFile(resolve(base, path), "utf8");
  const document: unknown = parseYaml(text);
  const info = isObject(document) && isObject(document.info) ? document.info : {};
  const version = typeof info.version === "string" ? ` (info.version ${info.version})` : "";
  return { document, label: `${path}${version}` };
}

/** The command line; returns the exit code (see `EXIT`). */
export async function main(args: string[], output: Output = console): Promise<number> {
  const options = parseOptions(args);
  if (options === undefined) {
    output.error(USAGE);
    return EXIT.usage;
  }
  try {
    // npm runs scripts in the project root; INIT_CWD is where the command was typed.
    const cwd = process.env.INIT_CWD ?? process.cwd();
    const [ours, published] = await Promise.all([
      options.ourPath === undefined
        ? readSpec(DEFAULT_SPEC, PROJECT_ROOT)
        : readSpec(options.ourPath, cwd),
      readSpec(options.publishedPath, cwd),
    ]);
    const findings = compareSpecs(ours.document, published.document);
    const sections = groupFindings(findings);
    const specs: ComparedSpecs = { published: published.label, ours: ours.label };
    output.log(options.markdown ? formatMarkdown(sections, specs) : formatText(sections, specs));
    const exitCode = exitCodeOf(findings);
    if (exitCode !== EXIT.noDrift) output.error(summaryLine(sections, exitCode));
    return exitCode;
  } catch (error) {
    output.error(`spec:compare: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  process.exitCode = await main(process.argv.slice(2));
}
