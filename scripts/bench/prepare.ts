// A copy of the package as a spec would make it: src/ beside that spec's generated/.
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { generate } from "../generate.js";
import { writeFiles } from "../pipeline/output-files.js";

export interface PreparedProject {
  dir: string;
  /** Operations the generator left out, with its reason. */
  skipped: string[];
}

/** Generates `specPath` into `dir`/generated (in process, no lint) and copies src/ beside it. */
export async function prepareProject(specPath: string, dir: string): Promise<PreparedProject> {
  const skipped: string[] = [];
  const files = await generate({
    specPath,
    outDir: join(dir, "generated"),
    lint: false,
    onSkipped: (op) => skipped.push(`${op.method.toUpperCase()} ${op.path}: ${op.reason}`),
  });
  await writeFiles(files);
  cpSync(resolve("src"), join(dir, "src"), { recursive: true });
  return { dir, skipped };
}
