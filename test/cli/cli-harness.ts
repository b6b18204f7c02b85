import { type ChildProcess, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface BuiltCli {
  /** Absolute path of the command: a copy of bin/fireworks-rlor.cjs in front of the bundle. */
  main: string;
  version: string;
  remove(): Promise<void>;
}

/**
 * Bundles src/cli/main.ts once (esbuild, ~0.1 s) into a temp dir laid out as the installed
 * package is (bin/fireworks-rlor.cjs, dist/src/cli/main.cjs, undici in node_modules, which the
 * bundle leaves out as the published one does), so each run starts the real bin at the cost of a
 * plain `node` start. The bundle carries the VERSION constant and, as the published one, is
 * CommonJS (scripts/prepare.mjs); the temp package.json is the package's `"type": "module"`.
 * `version` is package.json's, for --version to match.
 */
export async function buildCli(): Promise<BuiltCli> {
  const dir = await mkdtemp(join(tmpdir(), "fireworks-rlor-cli-"));
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await mkdir(join(dir, "bin"));
  const main = join(dir, "bin", "fireworks-rlor.cjs");
  await copyFile(join(ROOT, "bin/fireworks-rlor.cjs"), main);
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  await build({
    entryPoints: [join(ROOT, "src/cli/main.ts")],
    outfile: join(dir, "dist/src/cli/main.cjs"),
    bundle: true,
    // As scripts/prepare.mjs builds the bin: openapi-fetch inside, undici loaded when a proxy is
    // set, through require (the bin's code cache compiles the bundle where import() cannot run).
    external: ["undici"],
    supported: { "dynamic-import": false },
    minifyWhitespace: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // As the published bin: stack traces under --debug name the TypeScript sources.
    sourcemap: true,
    logLevel: "silent",
  });
  return { main, version: pkg.version, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Called with the stderr seen so far on each chunk, e.g. to send a signal at a given point. */
  onStderr?: (stderr: string, child: ChildProcess) => void;
  /** Called with the stdout seen so far on each chunk, e.g. to stop reading as `head` does. */
  onStdout?: (stdout: string, child: ChildProcess) => void;
  /**
   * A safety limit in ms: a process still running then is killed (the result's `signal` is
   * SIGKILL), so that a CLI that never exits fails its test instead of hanging it.
   */
  killAfter?: number;
  /** Called once the process has started, e.g. to close its stdout before it writes. */
  onSpawn?: (child: ChildProcess) => void;
}

const running = new Set<ChildProcess>();

/** Kills CLI processes a failed test left behind (only ones runCli started). */
export function killLeftoverClis(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

/** Runs the built CLI with only PATH and `env` in its environment (no real FIREWORKS_* leaks in). */
export function runCli(
  cli: BuiltCli,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [cli.main, ...args], {
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  options.onSpawn?.(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(stdout, child);
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    options.onStderr?.(stderr, child);
  });
  const killer =
    options.killAfter === undefined
      ? undefined
      : setTimeout(() => child.kill("SIGKILL"), options.killAfter);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
