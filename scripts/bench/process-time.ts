import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";

export interface CommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Wall milliseconds of one command in a fresh process; throws with its output when it fails. */
export function wallMs(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.split("\n").slice(-25).join("\n");
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status}\n${output}`);
  }
  return ms;
}

/** The 1, 5 and 15 minute load averages: the bench shares the machine's cores with other work. */
export function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}
