import { type FireworksClient, scrubberOf } from "../core/client.js";
import { JobFailedError, WaitTimeoutError } from "../core/errors.js";
import { resolveJob } from "../core/job-name.js";
import {
  DEFAULT_WATCH_UNTIL,
  type RlorTrainerJobChange,
  type WatchOptions,
  type WatchTarget,
  watchRlorTrainerJobs,
} from "../core/watch.js";
import type { CliOptions } from "./args.js";
import { formatDuration, formatElapsed } from "./duration.js";
import { Explained } from "./error-line.js";
import { EXIT } from "./exit-codes.js";
import { PROGRAM } from "./help.js";
import { shortState } from "./job-states.js";
import { pollFailedLine } from "./progress.js";
import { displayText } from "./sanitize.js";
import {
  createLiveTable,
  formatChangeJson,
  formatChangeLine,
  type TerminalStream,
  watchTableLines,
} from "./watch-view.js";

/** What `watch` needs of the run: commands.ts's context, and its reporter. */
export interface WatchRun {
  readonly options: CliOptions;
  readonly client: FireworksClient;
  readonly signal: AbortSignal;
  /** The answer, on stdout. */
  out(text: string): void;
  /** Lines for people, on stderr (none in a dry run). */
  note(text: string): void;
  /** stderr, for what a dry run says it would do. */
  readonly stderr: { write(text: string): unknown };
  /** The raw stderr: the live table's cursor controls must pass (it cleans what it prints). */
  readonly terminal: TerminalStream;
  /** Reports one job's failure (its line, hints) and returns its exit code. */
  readonly report: (error: unknown) => number;
}

function targetOf(options: CliOptions): WatchTarget {
  if (options.jobs.length > 0) return options.jobs;
  const { filter, pageSize } = options.query;
  return {
    filter: typeof filter === "string" ? filter : undefined,
    pageSize: typeof pageSize === "number" ? pageSize : undefined,
    states: options.states.length > 0 ? options.states : undefined,
  };
}

const short = (states: readonly string[]): string => states.map(shortState).join(",");

/** The failure of a job that ended or could not be read, in the words of the CLI. */
function failureOf(change: RlorTrainerJobChange, until: readonly string[]): unknown {
  const name = displayText(change.name);
  const state = displayText(shortState(change.state));
  if (change.end === "ended") {
    const status = change.error instanceof JobFailedError ? change.error.statusMessage : undefined;
    const message = status ? `: ${displayText(status)}` : "";
    return new Explained(change.error, `${name} ended ${state}, not ${short(until)}${message}`);
  }
  return change.end === "failed" ? change.error : undefined;
}

/**
 * The exit code: the worst of the jobs', each reported on stderr as `resume a b c` reports its
 * jobs: 0 for a job in `until`, 4 for one that ended elsewhere or is gone, the error's for one
 * that could not be read, 3 for those still watched when the time limit ran out.
 */
function worstOf(
  run: WatchRun,
  last: ReadonlyMap<string, RlorTrainerJobChange>,
  until: readonly string[],
  timedOut: WaitTimeoutError | undefined,
): number {
  let worst: number = EXIT.ok;
  for (const change of last.values()) {
    if (change.end === "gone") {
      // Lists leave deleted jobs out: gone is deleted, or no longer matching --filter.
      run.note(
        `${PROGRAM}: ${displayText(change.name)} is no longer listed (deleted, or no longer matching --filter); last seen ${displayText(shortState(change.state))}\n`,
      );
      worst = Math.max(worst, EXIT.jobFailed);
      continue;
    }
    const failure = failureOf(change, until);
    if (failure !== undefined) worst = Math.max(worst, run.report(failure));
  }
  if (timedOut !== undefined) {
    // Named jobs never read before the limit are still not done too.
    const named = run.options.jobs.map((job) => resolveJob(run.client, job).name);
    const open = [...new Set([...named, ...last.keys()])]
      .filter((name) => last.get(name)?.end === undefined)
      .map(displayText);
    const limit = run.options.waitTimeoutText ?? formatDuration(timedOut.timeout);
    const words = [PROGRAM, "watch", ...open, "--until", short(until)];
    const jobs = open.length === 1 ? "1 job" : `${open.length} jobs`;
    worst = Math.max(
      worst,
      run.report(
        new Explained(timedOut, `${jobs} still not done after ${limit}`, [
          `To keep watching: ${words.join(" ")}`,
        ]),
      ),
    );
  }
  return worst;
}

/** `watch`: follows the jobs until each one's watch ends; returns the worst of their exit codes. */
export async function runWatch(run: WatchRun): Promise<number> {
  const { options, terminal } = run;
  const until = options.until ?? DEFAULT_WATCH_UNTIL;
  const live = terminal.isTTY === true && !options.dryRun ? createLiveTable(terminal) : undefined;
  const started = Date.now();
  const settings: WatchOptions = {
    until,
    timeout: options.waitTimeout,
    pollInterval: options.pollInterval,
    signal: run.signal,
    onPollError: (error) => {
      const text = pollFailedLine(error);
      // On a terminal, under the table: a line above it would break its redraw.
      if (live) live.footnote(text);
      else run.note(text);
    },
  };
  const scrub = scrubberOf(run.client);
  const last = new Map<string, RlorTrainerJobChange>();
  let timedOut: WaitTimeoutError | undefined;
  try {
    for await (const change of watchRlorTrainerJobs(run.client, targetOf(options), settings)) {
      // A dry run shows the first request (the capture answers it) and stops.
      if (options.dryRun) break;
      last.set(change.name, change);
      if (options.output === "jsonl") run.out(formatChangeJson(change, scrub));
      if (live) live.update(change);
      else run.note(`[${formatElapsed(Date.now() - started)}] ${formatChangeLine(change)}`);
    }
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    timedOut = error;
  } finally {
    live?.stop();
  }
  if (options.dryRun) {
    const how = options.jobs.length > 0 ? "GET each job" : "list the account's jobs";
    run.stderr.write(
      `(dry run: watching would ${how} every ${formatDuration(options.pollInterval)} until each is ${short(until)} or ends)\n`,
    );
    return EXIT.ok;
  }
  if (last.size === 0) run.note("No job to watch: none is live, or in the --state given.\n");
  else if (options.output === "text")
    run.out(watchTableLines([...last.values()], Date.now()).join(""));
  return worstOf(run, last, until, timedOut);
}
