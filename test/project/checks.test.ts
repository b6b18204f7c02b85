/**
 * The project's own checks, as tests of `npm test`: the type check and Biome, each the npm script
 * of that name, run as npm runs it, side by side and beside the other files (tsc is one thread,
 * and CI has two cores). The others run where their tools are already loaded: that generated/ is
 * what the spec makes in generate.test.ts, the spec's lint in lint.test.ts, the API reports
 * (`npm run api:check`) in test/api-report/.
 */
import { exec } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};

/** Runs `npm run <name>` without npm's own start-up: the script in a shell, .bin on PATH. */
function runScript(name: string): Promise<{ code: number; output: string }> {
  const command = scripts[name];
  if (command === undefined) throw new Error(`package.json has no script "${name}"`);
  const PATH = `${join(ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`;
  return promisify(exec)(command, { cwd: ROOT, env: { ...process.env, PATH } }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? 1,
      output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
    }),
  );
}

describe.concurrent("npm run", () => {
  it.each(["typecheck", "lint"])(
    "%s passes",
    async (name) => {
      const { code, output } = await runScript(name);
      expect(code, `npm run ${name}: ${scripts[name]}\n${output}`).toBe(0);
    },
    180_000,
  );
});
