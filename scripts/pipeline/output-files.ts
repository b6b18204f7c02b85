// The last stage: write the generated files, or (for --check) compare them with what is on disk.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface GeneratedFile {
  /** Absolute path. */
  path: string;
  contents: string;
}

/** The file's text, or undefined when there is no such file. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export interface StaleFile {
  path: string;
  reason: "missing" | "stale";
}

/** Compares in memory; writes nothing. */
export async function findStaleFiles(files: readonly GeneratedFile[]): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  for (const file of files) {
    const current = await readIfExists(file.path);
    if (current !== file.contents)
      stale.push({ path: file.path, reason: current === undefined ? "missing" : "stale" });
  }
  return stale;
}

/** Writes the files whose contents changed (unchanged files keep their mtime); returns the paths written. */
export async function writeFiles(files: readonly GeneratedFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    if ((await readIfExists(file.path)) === file.contents) continue;
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.contents, "utf8");
    written.push(file.path);
  }
  return written;
}
