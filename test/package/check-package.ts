/**
 * `npm run check:package`: packs the project once, then lints the tarball a user would install
 * with publint (package.json fields, exports) and Are The Types Wrong (types per resolution mode,
 * ESM only).
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packProject, ROOT } from "./npm-pack.js";

function check(tool: string, args: readonly string[]): boolean {
  const result = spawnSync(join(ROOT, "node_modules/.bin", tool), args, { stdio: "inherit" });
  return result.status === 0;
}

const dir = await mkdtemp(join(tmpdir(), "fireworks-rlor-check-package-"));
try {
  const tarball = await packProject(dir);
  const publint = check("publint", ["run", tarball, "--strict"]);
  const attw = check("attw", [tarball, "--profile", "esm-only", "--no-emoji", "--no-color"]);
  process.exitCode = publint && attw ? 0 : 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
