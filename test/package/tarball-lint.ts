/**
 * The linters a tarball must pass: publint (package.json fields, exports) and Are The Types Wrong
 * (types per resolution mode, ESM only). Run by `npm run check:package` and, on the tarball it
 * already packed, by consumer.test.ts (one pack per `npm test`).
 */
import { join } from "node:path";
import { ROOT, run } from "./npm-pack.js";

export const TARBALL_LINTERS: readonly { tool: string; args: (tarball: string) => string[] }[] = [
  { tool: "publint", args: (tarball) => ["run", tarball, "--strict"] },
  {
    tool: "attw",
    args: (tarball) => [tarball, "--profile", "esm-only", "--no-emoji", "--no-color"],
  },
];

/** Runs one linter; resolves to its exit code and output. */
export function lintTarball(
  linter: (typeof TARBALL_LINTERS)[number],
  tarball: string,
): Promise<{ code: number; output: string }> {
  return run(join(ROOT, "node_modules/.bin", linter.tool), linter.args(tarball)).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === "number" ? error.code : 1,
      output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
    }),
  );
}
