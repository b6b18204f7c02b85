import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const run = promisify(execFile);

/**
 * `npm pack`s the project into `destination` (an empty dir) and returns the tarball's path.
 * dist/ must be fresh already (npm test's global setup builds it): the pack skips `prepack`, whose
 * second build would rewrite dist/ while other test files read it.
 */
export async function packProject(destination: string): Promise<string> {
  await run("npm", ["pack", "--ignore-scripts", "--pack-destination", destination], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  // The dir is fresh, so its one tarball is ours: no need to parse output the build may mix in.
  const tarballs = (await readdir(destination)).filter((name) => name.endsWith(".tgz"));
  const [tarball] = tarballs;
  if (tarball === undefined || tarballs.length !== 1) {
    throw new Error(`expected one tarball in ${destination}, found ${tarballs.join(", ")}`);
  }
  return join(destination, tarball);
}
