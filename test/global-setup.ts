/**
 * Brings dist/ up to date once before any test file runs: the packed-tarball test and the README's
 * type check use the package as built. `npm run build` is incremental, so after `npm ci` (whose
 * `prepare` builds) or an earlier run this costs a fraction of a second.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export default async function setup(): Promise<void> {
  await promisify(execFile)(process.execPath, ["scripts/prepare.mjs", "--build"], {
    cwd: ROOT,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`npm run build failed, so dist/ is stale:\n${error.stdout}${error.stderr}`);
  });
}
