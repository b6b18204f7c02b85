// Formats generated TypeScript with Biome, under the project's biome.json (lines <= 100).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * Biome's formatting of each source, by file name (the name tells Biome the language), from one
 * Biome process: starting one costs more than formatting a module, and `--stdin-file-path` takes
 * a single file. The files go through a scratch directory outside the project, so Biome's
 * version-control integration is off (it only decides which files a walk skips, and Biome panics
 * on a path outside the repository with it on); the project's biome.json gives every option.
 */
export async function formatSources(
  projectRoot: string,
  sources: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const names = Object.keys(sources);
  if (names.length === 0) return {};
  const dir = await mkdtemp(join(tmpdir(), "rlor-format-"));
  try {
    for (const name of names) await writeFile(join(dir, name), sources[name] ?? "", "utf8");
    await formatInPlace(projectRoot, dir, names);
    const formatted: Record<string, string> = {};
    for (const name of names) formatted[name] = await readFile(join(dir, name), "utf8");
    return formatted;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `biome format --write` on the files `names` in `dir`. */
async function formatInPlace(projectRoot: string, dir: string, names: readonly string[]) {
  const biome = join(projectRoot, "node_modules/.bin/biome");
  // The project's own configuration, found where Biome looks from the project root.
  const args = ["format", "--write", "--vcs-enabled=false", `--config-path=${projectRoot}`];
  await promisify(execFile)(biome, [...args, ...names], { cwd: dir }).catch(
    // Biome reports a file it cannot format on either stream.
    (error: { stdout?: string; stderr?: string }) => {
      const output = `${error.stdout ?? ""}${error.stderr ?? ""}`;
      throw new Error(`biome could not format ${names.join(", ")}:\n${output}`);
    },
  );
}
