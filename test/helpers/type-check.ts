/**
 * `tsc -p <tsconfig>` for several projects, in this process: what consumer.test.ts, the README
 * test and generate.test.ts ran as one `tsc` child each. A child costs a Node start and a load of
 * TypeScript (~0.4 CPU-s), and parses and binds the standard library's ~50,000 lines of
 * declarations again (~0.7 CPU-s); here TypeScript is loaded once per worker and every project
 * checked in it shares the parsed declaration files. Each project is still its own program with
 * its own checker: a full, separate check.
 */
import { createRequire } from "node:module";
import type ts from "typescript";

// `require`, not `import`: importing TypeScript's 9 MB CommonJS bundle from ESM makes Node scan
// all of it for export names first (~0.4 CPU-s).
const typescript = createRequire(import.meta.url)("typescript") as typeof ts;

export interface TypeCheckResult {
  ok: boolean;
  /** The diagnostics as `tsc` prints them without a terminal; "" when there are none. */
  output: string;
  /** The project's root files, as `tsc --listFilesOnly` would start from. */
  rootFiles: readonly string[];
}

/**
 * A declaration file's parse (and the binding TypeScript stores on it) depends only on the file's
 * text and these options: the language version, its module format (from its package.json, the
 * same for every project here) and how much JSDoc is parsed. A declaration file is never forced
 * to be a module by the project's `module` setting, so projects that differ in `module` and
 * `moduleResolution` can share it, as TypeScript's language service shares them between
 * projects. Other files (the projects' own sources) are parsed per project.
 */
function sourceFileKey(fileName: string, options: ts.CreateSourceFileOptions): string {
  return [options.languageVersion, options.impliedNodeFormat, options.jsDocParsingMode, fileName]
    .map(String)
    .join("\0");
}

/**
 * Parsed declaration files of installed packages (TypeScript's lib, @types/node, openapi-fetch,
 * a consumer's installed copy of ours), for every project checked in this worker: they do not
 * change while tests run, unlike the declarations in dist/ or a test's scratch directory.
 */
const declarations = new Map<string, ts.SourceFile>();
const isInstalledDeclaration = (fileName: string) =>
  /\.d\.[cm]?ts$/.test(fileName) && fileName.includes("/node_modules/");

/**
 * Type-checks each tsconfig like `tsc -p` (emitting where the config emits) and returns one
 * result per config, in order. `ok` is false when any diagnostic was reported.
 */
export function typeCheckProjects(configPaths: readonly string[]): TypeCheckResult[] {
  return configPaths.map((configPath) => {
    const unrecoverable: ts.Diagnostic[] = [];
    const config = typescript.getParsedCommandLineOfConfigFile(configPath, undefined, {
      ...typescript.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => unrecoverable.push(diagnostic),
    });
    const host = typescript.createCompilerHost(config?.options ?? {});
    // As `tsc` does: JSDoc is parsed only where it can produce a type error.
    host.jsDocParsingMode = typescript.JSDocParsingMode.ParseForTypeErrors;
    const format = (diagnostics: readonly ts.Diagnostic[]) =>
      typescript.formatDiagnostics(diagnostics, host);
    if (config === undefined) return { ok: false, output: format(unrecoverable), rootFiles: [] };

    const parse = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
      if (!isInstalledDeclaration(fileName) || typeof languageVersionOrOptions !== "object") {
        return parse(fileName, languageVersionOrOptions, onError, shouldCreate);
      }
      const key = sourceFileKey(fileName, languageVersionOrOptions);
      const cached = declarations.get(key);
      if (cached !== undefined) return cached;
      const file = parse(fileName, languageVersionOrOptions, onError, shouldCreate);
      if (file !== undefined) declarations.set(key, file);
      return file;
    };

    const program = typescript.createProgram({
      rootNames: config.fileNames,
      options: config.options,
      host,
      configFileParsingDiagnostics: typescript.getConfigFileParsingDiagnostics(config),
      ...(config.projectReferences ? { projectReferences: config.projectReferences } : {}),
    });
    // What `tsc -p` reports: config, options, syntax, global and semantic diagnostics (and
    // declaration ones where declarations are on), then whatever emitting adds.
    const diagnostics = [
      ...typescript.getPreEmitDiagnostics(program),
      ...program.emit().diagnostics,
    ];
    return {
      ok: diagnostics.length === 0,
      output: format(diagnostics),
      rootFiles: config.fileNames,
    };
  });
}
