import { COMMANDS, type CommandSpec, commandFlags } from "./command-table.js";
import { type FlagSpec, GLOBAL_FLAGS } from "./flags.js";

/** The command's name, as users type it. */
export const PROGRAM = "fireworks-rlor";
const WIDTH = 100;

/** `fireworks-rlor resume <job> [--wait] [--timeout 15m]`: required flags, then ones with an example. */
export function usageLine(command: CommandSpec): string {
  const words = [PROGRAM, command.name];
  if (command.target === "jobs") words.push("<job>");
  if (command.target === "jobs-or-account") words.push("[<job>...]");
  const flags = [...command.queryFlags, ...command.ownFlags];
  for (const flag of flags.filter((each) => each.required)) {
    words.push(`--${flag.name} ${flag.example ?? flag.value ?? ""}`.trim());
  }
  for (const flag of flags.filter((each) => !each.required && each.example !== undefined)) {
    words.push(`[${`--${flag.name} ${flag.example}`.trim()}]`);
  }
  return words.join(" ");
}

function flagLabel(flag: FlagSpec): string {
  const short = flag.short ? `-${flag.short}, ` : "    ";
  return `${short}--${flag.name}${flag.value ? ` ${flag.value}` : ""}`;
}

/** Words of `text` in lines of at most `width` characters after `indent`. */
function wrap(text: string, indent: number, width = WIDTH): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

function flagTable(flags: readonly FlagSpec[]): string {
  const labels = flags.map(flagLabel);
  const column = Math.max(...labels.map((label) => label.length)) + 4;
  return flags
    .map(
      (flag, i) => `  ${(labels[i] ?? "").padEnd(column)}${wrap(flag.description, column + 2)}\n`,
    )
    .join("");
}

const JOB_TEXT = `<job> is a bare job id (the account then comes from -a/--account-id or FIREWORKS_ACCOUNT_ID)
or a full name: accounts/<account-id>/rlorTrainerJobs/<job-id>. Commands on a job take several
(resume a b c): each is reported, and the exit code is the worst of them.`;

const DURATIONS = "Durations are Go style, as firectl takes them: 500ms, 90s, 15m, 1h30m.";

const EXIT_CODES = `Exit codes:
  0    success
  1    API or network error
  2    usage or bad input (refused before any change was sent)
  3    wait timed out (also reconnect's job still in a transitional state after
       --settle-timeout)
  4    the job ended in a state it cannot recover from (failed, cancelled, expired,
       early-stopped, completed when waiting to run, or deleted)
  5    the job stalled: RUNNING without progress for --stall-timeout (--on-stall cancel
       cancels it)
  130  interrupted (Ctrl-C)`;

const ENVIRONMENT = `Environment: FIREWORKS_API_KEY (required), FIREWORKS_ACCOUNT_ID, FIREWORKS_BASE_URL;
HTTPS_PROXY, HTTP_PROXY and NO_PROXY route requests through a proxy.`;

/** The top-level help: every command's usage and summary. */
export function globalHelp(): string {
  const names = COMMANDS.map((command) => command.name);
  const column = Math.max(...names.map((name) => name.length)) + 3;
  return `${PROGRAM}: find, start, resume, watch, stop and clean up Fireworks AI RLOR trainer jobs

Usage:
${COMMANDS.map((command) => `  ${usageLine(command)}\n`).join("")}  ${PROGRAM} help <command>

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(column)}${command.summary}\n`).join("")}
${JOB_TEXT}

Global flags:
${flagTable(GLOBAL_FLAGS)}
-o name prints one resource name per line, for pipes:
  ${PROGRAM} list --state PAUSED -o name | xargs -n1 ${PROGRAM} resume
${DURATIONS}
Run '${PROGRAM} help <command>' for a command's flags.

${EXIT_CODES}

${ENVIRONMENT}
`;
}

/** One command's help: its summary (from the spec), usage and every flag it takes. */
export function commandHelp(command: CommandSpec): string {
  const own = commandFlags(command, []);
  const aliases = command.aliases.length > 0 ? ` (alias: ${command.aliases.join(", ")})` : "";
  return `${PROGRAM} ${command.name}${aliases}: ${command.summary}

Usage:
  ${usageLine(command)}
${command.target === "account" ? "" : `\n${JOB_TEXT}\n`}${own.length > 0 ? `\nFlags:\n${flagTable(own)}` : ""}
Global flags:
${flagTable(GLOBAL_FLAGS)}
${DURATIONS}

${EXIT_CODES}
`;
}
