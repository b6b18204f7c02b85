import { whenAborted } from "../internal/abort.js";
import { VERSION } from "../version.js";
import { parseCliArgs, UsageError } from "./args.js";
import { type CliStreams, type Reporter, type RunState, runCommand } from "./commands.js";
import { errorHints, formatErrorDetail, formatErrorLine } from "./error-line.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { commandHelp, globalHelp, PROGRAM, usageLine } from "./help.js";
import { readerGone } from "./output-closed.js";
import { strippingWriter } from "./sanitize.js";

class Interrupted extends Error {
  override name = "Interrupted";
}

/** The command stopped because stdout failed a write; `cause` is the write's error. */
class OutputClosed extends Error {
  override name = "OutputClosed";
}

/**
 * Ctrl-C aborts the running command, which then unwinds and exits 130. A second Ctrl-C exits
 * at once, in case something does not unwind. A failed write to stdout (`stdoutClosed`) aborts
 * it too: what is left to do would print to nobody.
 */
async function interruptible<T>(
  task: (signal: AbortSignal) => Promise<T>,
  stdoutClosed: AbortSignal | undefined,
): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort(new Error("interrupted (SIGINT)"));
  };
  process.on("SIGINT", onInterrupt);
  const stopWatching = whenAborted(stdoutClosed, () => controller.abort(stdoutClosed?.reason));
  try {
    return await task(controller.signal);
  } catch (error) {
    if (stdoutClosed?.aborted) throw new OutputClosed("stdout", { cause: stdoutClosed.reason });
    throw controller.signal.aborted ? new Interrupted("interrupted", { cause: error }) : error;
  } finally {
    process.off("SIGINT", onInterrupt);
    stopWatching();
  }
}

/** Reports a failure (one line, hints) and returns its exit code. */
function reporter(io: CliStreams, debug: boolean, state: RunState): Reporter {
  // The worst code reported so far: a command its reader stopped (`| head -1`) ends quietly
  // with the code of what it did.
  let worst: number = EXIT.ok;
  const tell = (error: unknown): number => {
    if (error instanceof OutputClosed) {
      if (readerGone(error.cause)) return worst;
      io.stderr.write(`${PROGRAM}: cannot write the output: ${formatErrorLine(error.cause)}\n`);
      return EXIT.apiError;
    }
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
  return (error) => {
    const code = tell(error);
    worst = Math.max(worst, code);
    return code;
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
    return await interruptible(
      (signal) =>
        runCommand(parsed.options, { ...io, progress: progressStream }, signal, state, report),
      raw.stdoutClosed,
    );
  } catch (error) {
    return report(error);
  }
}
