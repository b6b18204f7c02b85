/** `npm run check:package`: packs the project once and runs the tarball linters on it. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packProject, ROOT, run } from "./npm-pack.js";
import { lintTarball, TARBALL_LINTERS } from "./tarball-lint.js";

const dir = await mkdtemp(join(tmpdir(), "fireworks-rlor-check-package-"));
try {
  // What `prepack` does on a real `npm pack`: packProject skips it.
  await run(process.execPath, ["scripts/prepare.mjs", "--build"], { cwd: ROOT });
  const tarball = await packProject(dir);
  let failed = false;
  for (const linter of TARBALL_LINTERS) {
    const { code, output } = await lintTarball(linter, tarball);
    process.stdout.write(output);
    failed ||= code !== 0;
  }
  process.exitCode = failed ? 1 : 0;
} finally {
  await rm(dir, { recursive: true, force: true });
}
