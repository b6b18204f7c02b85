import { parseArgs } from "node:util";
import type { JobState } from "../../generated/operations.js";
import { DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT } from "../core/wait.js";
import { MAX_TIMER_MS } from "../internal/limits.js";
import { formatDuration, parseDuration } from "./duration.js";
import { parseJobState } from "./job-states.js";

const COMMANDS = ["resume", "get", "wait"] as const;
export type Command = (typeof COMMANDS)[number];
export type OutputFormat = "text" | "json";

export interface CliOptions {
  command: Command;
  /** A bare job id or a full resource name. */
  job: string;
  accountId: string | undefined;
  baseUrl: string | undefined;
  apiKey: string | undefined;
  /** Per-request timeout in ms. */
  timeout: number | undefined;
  maxRetries: number | undefined;
  output: OutputFormat;
  dryRun: boolean;
  debug: boolean;
  /** Whether to wait after the request (always for `wait`). */
  wait: boolean;
  waitTimeout: number;
  pollInterval: number;
  until: JobState[];
}

export type ParsedArgs =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "run"; options: CliOptions };

/** Bad command line: exit code 2, with a hint to --help. */
export class UsageError extends Error {
  override name = "UsageError";
}

const OPTIONS = {
  "account-id": { type: "string", short: "a" },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  timeout: { type: "string" },
  "max-retries": { type: "string" },
  output: { type: "string", short: "o" },
  "dry-run": { type: "boolean" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  wait: { type: "boolean" },
  "wait-timeout": { type: "string" },
  "poll-interval": { type: "string" },
  until: { type: "string", multiple: true },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>["values"];

/** Flags that only some commands take. */
const COMMAND_FLAGS: Readonly<Record<string, readonly Command[]>> = {
  wait: ["resume"],
  "wait-timeout": ["resume", "wait"],
  "poll-interval": ["resume", "wait"],
  until: ["wait"],
};

function isCommand(word: string | undefined): word is Command {
  return COMMANDS.some((command) => command === word);
}

function duration(
  flag: string,
  text: string | undefined,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(`--${flag}: invalid duration "${text}" (use Go style: 90s, 15m, 1h30m)`);
  }
  if (ms > max) {
    throw new UsageError(`--${flag}: "${text}" is longer than the maximum, ${formatDuration(max)}`);
  }
  return ms;
}

function maxRetries(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,2}$/.test(text)) {
    throw new UsageError(`--max-retries: expected a whole number from 0 to 99, got "${text}"`);
  }
  return Number(text);
}

function output(text: string | undefined): OutputFormat {
  if (text === undefined || text === "text" || text === "json") return text ?? "text";
  throw new UsageError(`--output: expected text or json, got "${text}"`);
}

function untilStates(values: readonly string[] | undefined): JobState[] {
  const words = (values ?? ["RUNNING"]).flatMap((value) => value.split(","));
  return words.map((word) => {
    const state = parseJobState(word);
    if (!state) throw new UsageError(`--until: unknown job state "${word}"`);
    return state;
  });
}

function checkCommandFlags(command: Command, values: Values): void {
  for (const [flag, commands] of Object.entries(COMMAND_FLAGS)) {
    if (values[flag as keyof Values] !== undefined && !commands.includes(command)) {
      throw new UsageError(`--${flag} does not apply to "${command}"`);
    }
  }
  if (command === "resume" && !values.wait) {
    for (const flag of ["wait-timeout", "poll-interval"] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --wait`);
    }
  }
}

function parseRaw(argv: readonly string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util reports unknown flags and missing values as TypeErrors with an ERR_PARSE_ARGS code.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Turns argv (without node and script) into what to do; throws UsageError on bad input. */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const { values, positionals } = parseRaw(argv);
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const [command, job, ...extra] = positionals;
  if (command === undefined) throw new UsageError("missing command (resume, get or wait)");
  if (!isCommand(command)) throw new UsageError(`unknown command "${command}"`);
  if (job === undefined || job.trim() === "") throw new UsageError(`${command}: missing <job>`);
  if (extra.length > 0) throw new UsageError(`${command}: unexpected argument "${extra[0]}"`);
  checkCommandFlags(command, values);
  const options: CliOptions = {
    command,
    job,
    accountId: values["account-id"],
    baseUrl: values["base-url"],
    apiKey: values["api-key"],
    // The per-attempt timeout and the poll interval are single timers, so MAX_TIMER_MS bounds them;
    // the wait timeout has no such limit: the wait re-arms its timer.
    timeout: duration("timeout", values.timeout, MAX_TIMER_MS),
    maxRetries: maxRetries(values["max-retries"]),
    output: output(values.output),
    dryRun: values["dry-run"] ?? false,
    debug: values.debug ?? false,
    wait: command === "wait" || (values.wait ?? false),
    waitTimeout: duration("wait-timeout", values["wait-timeout"]) ?? DEFAULT_WAIT_TIMEOUT,
    pollInterval:
      duration("poll-interval", values["poll-interval"], MAX_TIMER_MS) ?? DEFAULT_POLL_INTERVAL,
    until: untilStates(values.until),
  };
  return { kind: "run", options };
}
