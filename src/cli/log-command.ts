import { getRlorTrainerJobPublicLogs } from "../../generated/operations.js";
import type { FireworksClient } from "../core/client.js";
import { followRlorTrainerJobLogs } from "../core/logs.js";
import type { CliOptions } from "./args.js";
import { formatDuration } from "./duration.js";
import { formatErrorLine } from "./error-line.js";

/** What `logs --content` and `logs --follow` need of a command's run. */
export interface LogRun {
  readonly client: FireworksClient;
  readonly options: Pick<CliOptions, "follow" | "pollInterval" | "dryRun">;
  readonly signal: AbortSignal;
  readonly io: { readonly stderr: { write(text: string): unknown } };
  /** The log, on stdout (control characters are stripped on the way). */
  out(text: string): void;
  /** What happens, on stderr. */
  note(text: string): void;
}

/**
 * Prints the job's log: once (--content), or as it grows until the job rests (--follow). The
 * signed URL is read, never printed.
 */
export async function printLog(run: LogRun, job: string): Promise<void> {
  const { follow, pollInterval, dryRun } = run.options;
  if (dryRun) {
    // The storage request needs the signed URL the server has not sent: show the one there is.
    run.io.stderr.write(
      `(dry run: the log would then be read from the signed URL${follow ? `, again every ${formatDuration(pollInterval)} until ${job} ends` : ""})\n`,
    );
    await getRlorTrainerJobPublicLogs(run.client, job, { signal: run.signal });
    return;
  }
  if (follow) run.note(`Following the log of ${job} until the job ends or pauses (Ctrl-C stops)\n`);
  const chunks = followRlorTrainerJobLogs(run.client, job, {
    follow,
    pollInterval,
    signal: run.signal,
    onPollError: (error) => run.note(`poll failed, trying again: ${formatErrorLine(error)}\n`),
  });
  for await (const text of chunks) run.out(text);
}
