// The API reports in etc/: what a user of each package entry point sees, made by API Extractor
// from the declarations tsc emits. `npm run generate` refreshes them.
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompilerState,
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  type ExtractorMessage,
} from "@microsoft/api-extractor";
import type * as TS from "typescript";
import { shareLibraryFiles } from "./compare.js";

/** One package entry point and the report that describes it. */
export interface ApiEntry {
  /** The `exports` key in package.json. */
  subpath: string;
  /** Its source, relative to the project root. */
  source: string;
  /** Its report, relative to the project root. */
  report: string;
}

export const API_ENTRIES: readonly ApiEntry[] = [
  { subpath: ".", source: "src/index.ts", report: "etc/fireworks-rlor.api.md" },
  {
    subpath: "./testing",
    source: "src/testing/index.ts",
    report: "etc/fireworks-rlor-testing.api.md",
  },
];

/** The reports of the last release: what breaking changes are measured against. */
export const BASELINE_DIR = "etc/baseline";
export const baselinePath = (entry: ApiEntry) =>
  join(BASELINE_DIR, entry.report.slice(entry.report.lastIndexOf("/") + 1));

export interface ApiReport {
  entry: ApiEntry;
  /** The report's Markdown, as committed. */
  contents: string;
}

const declarationPath = (source: string) => source.replace(/\.ts$/, ".d.ts");

/**
 * Emits the declarations of the entry points (and what they import) into `outDir`, as
 * `npm run build` does into dist/, but nothing else: no JavaScript, no maps, no CLI.
 */
export async function emitDeclarations(root: string, outDir: string): Promise<void> {
  // The project's compiler, loaded only here: `npm run api:check` reads dist/ and needs none but
  // API Extractor's (~1 CPU-s to load).
  const { default: ts } = await import("typescript");
  const fail = (diagnostics: readonly TS.Diagnostic[]): never => {
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => "\n",
    });
    throw new Error(`the declarations do not compile:\n${text}`);
  };
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.build.json"),
    // Not composite, not incremental: a build-info file would go to dist/ (tsconfig.build.json
    // names it) and tell `tsc -b` that dist/ is up to date when it is not.
    {
      outDir,
      declarationMap: false,
      emitDeclarationOnly: true,
      noEmit: false,
      noCheck: true,
      composite: false,
      incremental: false,
    },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail([diagnostic]) },
  );
  if (config === undefined) throw new Error("cannot read tsconfig.build.json");
  const program = ts.createProgram(
    API_ENTRIES.map((entry) => join(root, entry.source)),
    config.options,
  );
  const result = program.emit();
  // Type errors are `npm run typecheck`'s; a declaration that cannot be written is ours.
  const errors = [...program.getOptionsDiagnostics(), ...result.diagnostics].filter(
    (diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error,
  );
  if (errors.length > 0 || result.emitSkipped) fail(errors);
}

/** API Extractor's analysis options: the project's type-checking flags, no file globbing. */
function extractorConfig(root: string, declarations: string, entry: ApiEntry, reportDir: string) {
  const mainEntryPointFilePath = join(declarations, declarationPath(entry.source));
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: "ES2023",
            lib: ["ES2023"],
            module: "NodeNext",
            moduleResolution: "NodeNext",
            types: ["node"],
            strict: true,
            exactOptionalPropertyTypes: true,
            skipLibCheck: true,
          },
          files: [mainEntryPointFilePath],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.report.slice(entry.report.lastIndexOf("/") + 1),
        reportFolder: reportDir,
        reportTempFolder: reportDir,
        // Types the entry points use without exporting them (the generated `components`, …) are
        // part of the API too: without them a change inside them would not show.
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
    },
    configObjectFullPath: join(root, "api-extractor.json"),
    packageJsonFullPath: join(root, "package.json"),
  });
}

/**
 * Makes the reports of every entry point, in memory, from the declarations under `declarations`
 * (a directory laid out like dist/, where `openapi-fetch` resolves and which is not inside a
 * node_modules folder: API Extractor counts everything there as another package).
 */
export async function extractReports(root: string, declarations: string): Promise<ApiReport[]> {
  const reportDir = await mkdtemp(join(tmpdir(), "fireworks-rlor-api-report-"));
  try {
    const configs = API_ENTRIES.map((entry) =>
      extractorConfig(root, declarations, entry, reportDir),
    );
    const [first, ...others] = configs;
    if (first === undefined) return [];
    // One TypeScript program for every entry point.
    const compilerState = CompilerState.create(first, {
      additionalEntryPoints: others.map((config) => config.mainEntryPointFilePath),
    });
    // API Extractor types its program `unknown`: a ts.Program of the compiler compare.ts runs on.
    shareLibraryFiles(compilerState.program as TS.Program);
    const reports: ApiReport[] = [];
    for (const [index, config] of configs.entries()) {
      const errors: string[] = [];
      const result = Extractor.invoke(config, {
        localBuild: true,
        compilerState,
        messageCallback: (message: ExtractorMessage) => {
          // The report itself carries API Extractor's findings (forgotten exports, …).
          if (message.logLevel === ExtractorLogLevel.Error) {
            errors.push(message.formatMessageWithLocation(root));
          }
          message.handled = true;
        },
      });
      if (!result.succeeded) throw new Error(`API Extractor failed:\n${errors.join("\n")}`);
      const entry = API_ENTRIES[index] as ApiEntry;
      const fileName = config.reportConfigs[0]?.fileName ?? "";
      const contents = await readFile(join(reportDir, fileName), "utf8");
      // API Extractor names the package; the report says which entry point it describes.
      const name = entry.subpath === "." ? "" : entry.subpath.slice(1);
      const text = contents
        .replace(/\r\n/g, "\n")
        .replace(/^(## API Report File for "[^"]+)"/, `$1${name}"`);
      reports.push({ entry, contents: text });
    }
    return reports;
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

/**
 * Makes the reports from the sources: emits the declarations into a scratch directory, then
 * extracts. `fromDist` uses dist/ instead, which `tsc -b tsconfig.build.json` keeps fresh.
 */
export async function makeReports(root: string, fromDist = false): Promise<ApiReport[]> {
  if (fromDist) return extractReports(root, join(root, "dist"));
  const declarations = await mkdtemp(join(tmpdir(), "fireworks-rlor-api-dts-"));
  try {
    // Laid out like the package: ESM, with the project's dependencies.
    await writeFile(join(declarations, "package.json"), '{ "type": "module" }\n');
    await symlink(join(root, "node_modules"), join(declarations, "node_modules"), "dir");
    await emitDeclarations(root, declarations);
    return await extractReports(root, declarations);
  } finally {
    await rm(declarations, { recursive: true, force: true });
  }
}
