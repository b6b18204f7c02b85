import { VERSION } from "../version.js";
import { parseCliArgs, UsageError } from "./args.js";
import { type CliStreams, runCommand } from "./commands.js";
import { formatErrorDetail, formatErrorLine } from "./error-line.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { HELP } from "./help.js";

const PROGRAM = "fireworks-rlor";

/**
 * Ctrl-C aborts the running command, which then unwinds and exits 130. A second Ctrl-C exits
 * at once, in case something does not unwind.
 */
async function interruptible(task: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort(new Error("interrupted (SIGINT)"));
  };
  process.on("SIGINT", onInterrupt);
  try {
    await task(controller.signal);
  } catch (error) {
    throw controller.signal.aborted ? new Interrupted("interrupted", { cause: error }) : error;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

class Interrupted extends Error {
  override name = "Interrupted";
}

function report(error: unknown, io: CliStreams, debug: boolean): number {
  if (error instanceof Interrupted) {
    io.stderr.write(`${PROGRAM}: interrupted\n`);
    return EXIT.interrupted;
  }
  io.stderr.write(`${PROGRAM}: ${formatErrorLine(error)}\n`);
  if (error instanceof UsageError) io.stderr.write(`Run '${PROGRAM} --help' for usage.\n`);
  if (debug) io.stderr.write(formatErrorDetail(error));
  return exitCodeFor(error);
}

/** Runs the CLI with argv (after node and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliStreams): Promise<number> {
  let debug = argv.includes("--debug");
  try {
    const parsed = parseCliArgs(argv);
    if (parsed.kind === "help") {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    if (parsed.kind === "version") {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    debug = parsed.options.debug;
    await interruptible((signal) => runCommand(parsed.options, io, signal));
    return EXIT.ok;
  } catch (error) {
    return report(error, io, debug);
  }
}
