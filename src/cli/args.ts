import { type ParseArgsConfig, parseArgs } from "node:util";
import type { JobState } from "../../generated/operations.js";
import { checkTrustedOrigins } from "../core/health.js";
import { DEFAULT_POLL_INTERVAL } from "../core/wait.js";
import { MAX_TIMER_MS } from "../internal/limits.js";
import { COMMANDS, type CommandSpec, commandFlags, findCommand } from "./command-table.js";
import { formatDuration, parseDuration } from "./duration.js";
import { type FlagSpec, GLOBAL_FLAGS, TRUSTED_ORIGIN } from "./flags.js";
import { parseStateList } from "./job-states.js";

/** `jsonl`: one JSON object per line, for a command that streams (watch). */
export type OutputFormat = "text" | "json" | "name" | "jsonl";
const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "name"];

/** A query parameter's value as the operation takes it. */
export type QueryValue = string | number | boolean;

export interface CliOptions {
  command: CommandSpec;
  /** Bare job ids or full names (job commands); empty for account commands. */
  jobs: string[];
  /** The operation's query parameters given as flags, by their API name (`readMask`). */
  query: Record<string, QueryValue>;
  accountId: string | undefined;
  baseUrl: string | undefined;
  apiKey: string | undefined;
  /** Time limit of each request attempt in ms (--request-timeout). */
  requestTimeout: number | undefined;
  maxRetries: number | undefined;
  output: OutputFormat;
  dryRun: boolean;
  debug: boolean;
  /** Whether to wait after the request (always for `wait`; logs --follow). */
  wait: boolean;
  /** The wait's limit in ms; undefined: the command's default (cancel 10m, delete 30m, else 15m). */
  waitTimeout: number | undefined;
  /** The wait's limit as typed (`1s`), for messages. */
  waitTimeoutText: string | undefined;
  /** The wait's limit in PENDING in ms (--pending-timeout); undefined: the default, 48 h. */
  pendingTimeout: number | undefined;
  /** --pending-timeout as typed, for messages. */
  pendingTimeoutText: string | undefined;
  /** --stall-timeout in ms; undefined: no stall watch. */
  stallTimeout: number | undefined;
  /** --stall-timeout as typed, for messages. */
  stallTimeoutText: string | undefined;
  /** --on-stall: what to do with a stalled job besides ending the wait. */
  onStall: "cancel" | undefined;
  pollInterval: number;
  /** Target states; undefined: the command's own (RUNNING, CANCELLED, DELETED), or READY. */
  until: JobState[] | undefined;
  /** --until READY: RUNNING and the trainer answering its health probe. */
  ready: boolean;
  /** --trusted-origin: origins a ready wait may probe a directRouteHandle on. */
  trustedOrigins: string[];
  /** reconnect --settle-timeout in ms; undefined: the library's default (2 minutes). */
  settleTimeout: number | undefined;
  /** list --state: keep jobs in these states. */
  states: JobState[];
  /** list, checkpoints --all: every page. */
  all: boolean;
  /** logs --follow: print the log as it grows until the job rests. */
  follow: boolean;
  /** logs --content: print the log once instead of its URL. */
  content: boolean;
  /** create -f. */
  file: string | undefined;
  /** train-step body. */
  dataset: string | undefined;
  /** train-step and promote. */
  outputModel: string | undefined;
  /** list --wide: more columns. */
  wide: boolean;
  /** promote --checkpoint (undefined with --latest). */
  checkpoint: string | undefined;
  /** promote --base-model. */
  baseModel: string | undefined;
}

export type ParsedArgs =
  | { kind: "help"; command: CommandSpec | undefined }
  | { kind: "version" }
  | { kind: "run"; options: CliOptions };

/** Bad command line: exit code 2, with the usage of the command when there is one. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly command: CommandSpec | undefined;
  constructor(message: string, command?: CommandSpec) {
    super(message);
    this.command = command;
  }
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function parseConfig(flags: readonly FlagSpec[]): NonNullable<ParseArgsConfig["options"]> {
  return Object.fromEntries(
    flags.map((flag) => [
      flag.name,
      {
        type: flag.type,
        ...(flag.short === undefined ? {} : { short: flag.short }),
        ...(flag.multiple ? { multiple: true } : {}),
      },
    ]),
  );
}

/** The words (`--name`, `-s`) of the flags that take a value. */
function valueFlagWords(flags: readonly FlagSpec[]): Set<string> {
  return new Set(
    flags
      .filter((flag) => flag.type === "string")
      .flatMap((flag) => [`--${flag.name}`, ...(flag.short ? [`-${flag.short}`] : [])]),
  );
}

/** `--flag -5s` would read as two flags: join a dash-led number to its flag, to report it well. */
function joinNegativeValues(argv: readonly string[], flags: readonly FlagSpec[]): string[] {
  const takesValue = valueFlagWords(flags);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? "";
    const next = argv[i + 1];
    if (takesValue.has(word) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${word}=${next}`);
      i++;
    } else {
      out.push(word);
    }
  }
  return out;
}

const TIMEOUT_ELSEWHERE =
  "--timeout is the wait's time limit; the limit of each request is --request-timeout";

/** node:util's messages, in one line that speaks CLI. */
function parseErrorMessage(error: unknown, command: CommandSpec | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && "code" in error ? String(error.code) : "";
  // "Unknown option '--bogus'", "Option '-o, --output <value>' argument missing": the long form.
  const flag = /'(?:-\w, )?(-[^' ]+)/.exec(message)?.[1] ?? "";
  const where = command ? ` for "${command.name}"` : "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    // --timeout used to limit each request: say where that went rather than just refuse it.
    if (flag === "--timeout") return TIMEOUT_ELSEWHERE;
    return `unknown flag ${flag}${where}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return /argument missing|ambiguous/.test(message)
      ? `${flag} needs a value`
      : `${flag} takes no value`;
  }
  return message.split(/\. /)[0] ?? message;
}

function parseWith(
  argv: readonly string[],
  flags: readonly FlagSpec[],
  command: CommandSpec | undefined,
): { values: Values; positionals: string[] } {
  try {
    return parseArgs({
      args: joinNegativeValues(argv, flags),
      options: parseConfig(flags),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(parseErrorMessage(error, command), command);
  }
}

/** The command word: the first word that is not a flag or a global flag's value. */
function commandWord(argv: readonly string[]): string | undefined {
  const withValue = valueFlagWords(GLOBAL_FLAGS);
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? "";
    if (word === "--") return argv[i + 1];
    if (!word.startsWith("-")) return word;
    if (withValue.has(word)) i++;
  }
  return undefined;
}

interface DurationLimits {
  max: number;
}

/** A Go-style duration flag in ms; messages say what is wrong with the value as typed. */
function duration(flag: string, text: string, { max }: DurationLimits): number {
  const problem = (what: string) => new UsageError(`--${flag}: "${text}" ${what}`);
  if (text.startsWith("-")) throw problem("must be positive");
  const ms = parseDuration(text);
  if (ms === undefined) throw problem("is not a duration (use Go style: 500ms, 90s, 15m, 1h30m)");
  if (ms <= 0) throw problem("must be greater than 0");
  if (ms > max) throw problem(`is longer than the maximum, ${formatDuration(max)}`);
  return ms;
}

function wholeNumber(flag: string, text: string, max: number): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) > max) {
    throw new UsageError(`--${flag}: expected a whole number from 0 to ${max}, got "${text}"`);
  }
  return Number(text);
}

function output(text: string | undefined, command: CommandSpec): OutputFormat {
  const formats = command.outputs ?? OUTPUT_FORMATS;
  if (text === undefined) return formats[0] ?? "text";
  const format = formats.find((name) => name === text);
  if (format === undefined) {
    throw new UsageError(
      `--output: ${command.name} takes ${formats.join(", ")}; got "${text}"`,
      command,
    );
  }
  return format;
}

function onStall(text: string | undefined): "cancel" | undefined {
  if (text === undefined || text === "cancel") return text;
  throw new UsageError(`--on-stall: expected cancel, got "${text}"`);
}

function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

function texts(values: Values, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
}

function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

/** A query parameter's value, checked against its type in the spec. */
function queryValue(flagName: string, type: string, raw: string | boolean): QueryValue {
  if (typeof raw === "boolean") return raw;
  if (type === "number") return wholeNumber(flagName, raw, 2 ** 31 - 1);
  const literals = [...type.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? "");
  if (literals.length > 0 && !literals.includes(raw)) {
    throw new UsageError(`--${flagName}: expected one of ${literals.join(", ")}; got "${raw}"`);
  }
  return raw;
}

function queryOf(command: CommandSpec, values: Values): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = {};
  for (const entry of command.queryFlags) {
    const raw = values[entry.name];
    if (typeof raw === "string" || typeof raw === "boolean") {
      query[entry.param] = queryValue(entry.name, entry.paramType, raw);
    }
  }
  return query;
}

/** The word --until takes for "RUNNING and the trainer answers". */
const READY = "READY";

/**
 * --until's targets: job states, or READY alone. READY is RUNNING and more, so no other state
 * can be ready: a mix is refused rather than guessed at. Only a wait that probes a trainer
 * takes READY: those take --trusted-origin, the probe's own flag (watch does not).
 */
function untilOf(
  command: CommandSpec,
  values: readonly string[],
  fail: (message: string) => Error,
): { until: JobState[] | undefined; ready: boolean } {
  const words = values.flatMap((value) => value.split(",")).map((word) => word.trim());
  const targets = command.ownFlags.find((flag) => flag.name === "until")?.targets;
  if (!words.some((word) => word.toUpperCase() === READY)) {
    const until = values.length === 0 ? undefined : parseStateList("until", values, fail);
    if (until === undefined) return { until, ready: targets?.[0] === READY };
    if (targets !== undefined) {
      const states = targets.filter((target) => target !== READY).map((t) => `JOB_STATE_${t}`);
      if (until.some((state) => !states.includes(state))) {
        const only = targets.length === 1 ? "only " : "";
        throw fail(`${command.name}: --until takes ${only}${targets.join(" or ")}`);
      }
    }
    return { until, ready: false };
  }
  if (!command.ownFlags.includes(TRUSTED_ORIGIN)) {
    throw fail(`${command.name}: --until takes job states, not READY (it probes no trainer)`);
  }
  const others = words.filter((word) => word.toUpperCase() !== READY);
  if (others.length > 0) {
    throw fail(
      `--until READY stands alone: a job is ready only when RUNNING and its trainer answers, so it cannot be ready in ${others.join(", ")}`,
    );
  }
  return { until: undefined, ready: true };
}

const WAIT_ONLY = [
  "timeout",
  "wait-timeout",
  "poll-interval",
  "until",
  "trusted-origin",
  "pending-timeout",
  "stall-timeout",
  "on-stall",
] as const;

/** Whether the command waits, and the wait flags make sense for it. */
function checkWaiting(command: CommandSpec, values: Values): boolean {
  const waitFlag = command.waitFlag ?? "wait";
  const waits = command.waits === "always" || flag(values, waitFlag);
  if (!waits) {
    const given = WAIT_ONLY.find((name) => values[name] !== undefined);
    if (given === "timeout") throw new UsageError(`${TIMEOUT_ELSEWHERE} (needs --wait)`, command);
    if (given !== undefined) throw new UsageError(`--${given} needs --${waitFlag}`, command);
  }
  if (values.timeout !== undefined && values["wait-timeout"] !== undefined) {
    throw new UsageError("--timeout and --wait-timeout are the same limit: give one", command);
  }
  if (values["on-stall"] !== undefined && values["stall-timeout"] === undefined) {
    throw new UsageError("--on-stall needs --stall-timeout", command);
  }
  return waits;
}

/** The flags that choose an account's jobs (watch --all), not named ones. */
const ACCOUNT_SELECTION = ["all", "state", "filter", "page-size"] as const;

/** watch: jobs, or --all (with --state, --filter, --page-size) for the account's; not both. */
function jobsOrAccount(
  command: CommandSpec,
  positionals: readonly string[],
  values: Values,
): string[] {
  const given = ACCOUNT_SELECTION.find((name) => values[name] !== undefined);
  if (positionals.length > 0) {
    if (given !== undefined) {
      throw new UsageError(
        `${command.name}: --${given} is for the account's jobs (--all), not named ones`,
        command,
      );
    }
    return jobsOf({ ...command, target: "jobs" }, positionals);
  }
  if (!flag(values, "all")) {
    const why = given === undefined ? "" : ` (--${given} needs --all)`;
    throw new UsageError(
      `${command.name}: give jobs, or --all for the account's jobs${why}`,
      command,
    );
  }
  return [];
}

function jobsOf(command: CommandSpec, positionals: readonly string[]): string[] {
  if (command.target === "account") {
    if (positionals.length > 0) {
      throw new UsageError(
        `${command.name} works on the account and takes no job ("${positionals[0]}"); choose the account with -a/--account-id`,
        command,
      );
    }
    return [];
  }
  if (positionals.length === 0 || positionals.some((job) => job.trim() === "")) {
    throw new UsageError(`${command.name}: missing <job>`, command);
  }
  return [...positionals];
}

function checkRequired(command: CommandSpec, values: Values): void {
  const missing = command.ownFlags.find((own) => own.required && values[own.name] === undefined);
  if (missing) throw new UsageError(`${command.name}: --${missing.name} is required`, command);
}

/** The log printed (--content, --follow) is text: json and name are the URL's formats. */
function checkLogOutput(command: CommandSpec, values: Values, format: OutputFormat): void {
  const printsLog = flag(values, "follow") || flag(values, "content");
  if (printsLog && format !== "text") {
    throw new UsageError(
      `-o ${format}: ${command.name} --content and --follow print the log as text; -o ${format} is for the signed URL's answer`,
      command,
    );
  }
}

/**
 * promote makes a model: it takes one job, and the checkpoint is chosen out loud, by id or as
 * --latest, never by default.
 */
function checkPromote(command: CommandSpec, values: Values, jobs: readonly string[]): void {
  if (command.name !== "promote") return;
  if (jobs.length > 1) {
    throw new UsageError(`promote takes one job, got ${jobs.length}`, command);
  }
  const given = ["checkpoint", "latest"].filter((name) => values[name] !== undefined);
  if (given.length !== 1) {
    const problem = given.length === 0 ? "choose the checkpoint" : "choose one";
    throw new UsageError(`promote: ${problem}: --checkpoint <id> or --latest`, command);
  }
}

function optionsOf(command: CommandSpec, values: Values, positionals: string[]): CliOptions {
  checkRequired(command, values);
  const format = output(text(values, "output"), command);
  checkLogOutput(command, values, format);
  const jobs =
    command.target === "jobs-or-account"
      ? jobsOrAccount(command, positionals, values)
      : jobsOf(command, positionals);
  checkPromote(command, values, jobs);
  const wait = checkWaiting(command, values);
  const waitText = text(values, "timeout") ?? text(values, "wait-timeout");
  const pendingText = text(values, "pending-timeout");
  const stallText = text(values, "stall-timeout");
  const pollText = text(values, "poll-interval");
  const settleText = text(values, "settle-timeout");
  const requestTimeout = text(values, "request-timeout");
  const maxRetries = text(values, "max-retries");
  const fail = (message: string) => new UsageError(message, command);
  const { until, ready } = untilOf(command, texts(values, "until"), fail);
  const trustedOrigins = texts(values, "trusted-origin");
  // Here, not in each job's wait: once, before any request, for every job the command names.
  if (trustedOrigins.length > 0 && !ready) {
    throw fail("--trusted-origin needs --until READY: only a ready wait probes");
  }
  checkTrustedOrigins(trustedOrigins);
  return {
    command,
    jobs,
    query: queryOf(command, values),
    accountId: text(values, "account-id"),
    baseUrl: text(values, "base-url"),
    apiKey: text(values, "api-key"),
    // Each request's timeout and the poll interval are single timers, so MAX_TIMER_MS bounds
    // them; the wait's limit has no such bound: the wait re-arms its timer.
    requestTimeout:
      requestTimeout === undefined
        ? undefined
        : duration("request-timeout", requestTimeout, { max: MAX_TIMER_MS }),
    maxRetries: maxRetries === undefined ? undefined : wholeNumber("max-retries", maxRetries, 99),
    output: format,
    dryRun: flag(values, "dry-run"),
    debug: flag(values, "debug"),
    wait,
    waitTimeout:
      waitText === undefined
        ? undefined
        : duration(values.timeout !== undefined ? "timeout" : "wait-timeout", waitText, {
            max: Number.MAX_SAFE_INTEGER,
          }),
    waitTimeoutText: waitText,
    pendingTimeout:
      pendingText === undefined
        ? undefined
        : duration("pending-timeout", pendingText, { max: Number.MAX_SAFE_INTEGER }),
    pendingTimeoutText: pendingText,
    stallTimeout:
      stallText === undefined
        ? undefined
        : duration("stall-timeout", stallText, { max: Number.MAX_SAFE_INTEGER }),
    stallTimeoutText: stallText,
    onStall: onStall(text(values, "on-stall")),
    pollInterval:
      pollText === undefined
        ? DEFAULT_POLL_INTERVAL
        : duration("poll-interval", pollText, { max: MAX_TIMER_MS }),
    until,
    ready,
    trustedOrigins,
    settleTimeout:
      settleText === undefined
        ? undefined
        : duration("settle-timeout", settleText, { max: Number.MAX_SAFE_INTEGER }),
    states: parseStateList("state", texts(values, "state"), fail),
    all: flag(values, "all"),
    follow: flag(values, "follow"),
    content: flag(values, "content"),
    file: text(values, "file"),
    dataset: text(values, "dataset"),
    outputModel: text(values, "output-model"),
    wide: flag(values, "wide"),
    checkpoint: text(values, "checkpoint"),
    baseModel: text(values, "base-model"),
  };
}

const COMMAND_NAMES = COMMANDS.map((command) => command.name).join(", ");

/** Turns argv (without node and script) into what to do; throws UsageError on bad input. */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const word = commandWord(argv);
  if (word === "help") {
    const topic = argv[argv.indexOf("help") + 1];
    const command = findCommand(topic);
    if (topic !== undefined && command === undefined) {
      throw new UsageError(`unknown command "${topic}" (commands: ${COMMAND_NAMES})`);
    }
    return { kind: "help", command };
  }
  if (word === undefined) {
    const { values } = parseWith(argv, GLOBAL_FLAGS, undefined);
    if (values.help) return { kind: "help", command: undefined };
    if (values.version) return { kind: "version" };
    throw new UsageError(`missing command (${COMMAND_NAMES})`);
  }
  const command = findCommand(word);
  if (command === undefined) {
    throw new UsageError(`unknown command "${word}" (commands: ${COMMAND_NAMES})`);
  }
  const { values, positionals } = parseWith(argv, commandFlags(command, GLOBAL_FLAGS), command);
  if (values.help) return { kind: "help", command };
  if (values.version) return { kind: "version" };
  try {
    return { kind: "run", options: optionsOf(command, values, positionals.slice(1)) };
  } catch (error) {
    // Value checks do not know the command: add it, for the usage line under the message.
    if (error instanceof UsageError && error.command === undefined) {
      throw new UsageError(error.message, command);
    }
    throw error;
  }
}
