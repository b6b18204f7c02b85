// The generators the bench runs side by side on one spec, each as the command a user would run.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CommandOptions } from "./process-time.js";

export interface Command {
  command: string;
  args: string[];
  options: CommandOptions;
}

export const OURS = "ours (types + wrapper)";
export const OPENAPI_TS = "openapi-typescript CLI";
export const ORVAL = "orval (fetch)";
export const HEY_API = "hey-api (fetch + sdk)";
export const GENERATORS = [OURS, OPENAPI_TS, ORVAL, HEY_API] as const;
export type Generator = (typeof GENERATORS)[number];

const bin = (name: string) => resolve("node_modules/.bin", name);

/**
 * The command for `generator` on `specPath`, writing under `outDir`. Peers run in `outDir`, so
 * none picks up the project's redocly.yaml (rules for our spec); ours skips its lint stage: the
 * lint is a separate row.
 */
export function generatorCommand(generator: Generator, specPath: string, outDir: string): Command {
  switch (generator) {
    case OURS:
      return {
        command: process.execPath,
        args: [
          "--import",
          "tsx",
          "scripts/generate.ts",
          "--spec",
          specPath,
          "--out",
          join(outDir, "ours"),
          "--skip-lint",
        ],
        options: { cwd: resolve(".") },
      };
    case OPENAPI_TS:
      return {
        command: bin("openapi-typescript"),
        args: [specPath, "-o", join(outDir, "openapi-typescript/schema.ts")],
        options: { cwd: outDir },
      };
    case ORVAL: {
      const config = join(outDir, "orval.config.cjs");
      const settings = {
        api: {
          // orval 8 validates the spec first and refuses Fireworks' whole API (a path parameter
          // without its segment); ours skips its lint here too, so neither validates.
          input: { target: specPath, unsafeDisableValidation: true },
          output: { target: join(outDir, "orval/api.ts"), client: "fetch", mode: "single" },
        },
      };
      writeFileSync(config, `module.exports = ${JSON.stringify(settings)};\n`);
      return { command: bin("orval"), args: ["--config", config], options: { cwd: outDir } };
    }
    case HEY_API:
      return {
        command: bin("openapi-ts"),
        args: [
          "-i",
          specPath,
          "-o",
          join(outDir, "hey-api"),
          "-p",
          "@hey-api/client-fetch",
          "@hey-api/sdk",
          "@hey-api/typescript",
        ],
        options: { cwd: outDir },
      };
  }
}
