import { VERSION } from "../version.js";
import { parseCliArgs, UsageError } from "./args.js";
import { type CliStreams, type RunState, runCommand } from "./commands.js";
import { errorHints, formatErrorDetail, formatErrorLine } from "./error-line.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { commandHelp, globalHelp, PROGRAM, usageLine } from "./help.js";
import { strippingWriter } from "./sanitize.js";

class Interrupted extends Error {
  override name = "Interrupted";
}

/**
 * Ctrl-C aborts the running command, which then unwinds and exits 130. A second Ctrl-C exits
 * at once, in case something does not unwind.
 */
async function interruptible<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort(new Error("interrupted (SIGINT)"));
  };
  process.on("SIGINT", onInterrupt);
  try {
    return await task(controller.signal);
  } catch (error) {
    throw controller.signal.aborted ? new Interrupted("interrupted", { cause: error }) : error;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

function reporter(io: CliStreams, debug: boolean, state: RunState) {
  return (error: unknown): number => {
    if (error instanceof Interrupted) {
      io.stderr.write(`${PROGRAM}: interrupted\n`);
      for (const hint of state.interruptHints) io.stderr.write(`${hint}\n`);
      return EXIT.interrupted;
    }
    io.stderr.write(`${PROGRAM}: ${formatErrorLine(error)}\n`);
    for (const hint of errorHints(error, state.origin)) io.stderr.write(`${hint}\n`);
    if (error instanceof UsageError) {
      const usage = error.command ? `Usage: ${usageLine(error.command)}\n` : "";
      const more = error.command ? `${PROGRAM} help ${error.command.name}` : `${PROGRAM} --help`;
      io.stderr.write(`${usage}Run '${more}' for usage.\n`);
    }
    if (debug) io.stderr.write(formatErrorDetail(error));
    return exitCodeFor(error);
  };
}

/** Runs the CLI with argv (after node and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], raw: CliStreams): Promise<number> {
  // Everything printed goes through these (the server's text may hold terminal controls); only
  // the wait's progress gets the raw stderr, for its spinner, and cleans what it prints itself.
  const io: CliStreams = {
    stdout: strippingWriter(raw.stdout),
    stderr: { ...strippingWriter(raw.stderr), isTTY: false },
    ...(raw.stdin ? { stdin: raw.stdin } : {}),
  };
  const state: RunState = { origin: undefined, interruptHints: [] };
  let report = reporter(io, argv.includes("--debug"), state);
  try {
    const parsed = parseCliArgs(argv);
    if (parsed.kind === "help") {
      io.stdout.write(parsed.command ? commandHelp(parsed.command) : globalHelp());
      return EXIT.ok;
    }
    if (parsed.kind === "version") {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    report = reporter(io, parsed.options.debug, state);
    const progressStream = raw.stderr;
    return await interruptible((signal) =>
      runCommand(parsed.options, { ...io, progress: progressStream }, signal, state, report),
    );
  } catch (error) {
    return report(error);
  }
}
