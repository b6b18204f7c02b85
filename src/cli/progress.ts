import type { JobState, RlorTrainerJob } from "../../generated/operations.js";
import type { FireworksError } from "../core/errors.js";
import { formatElapsed } from "./duration.js";
import { shortState } from "./job-states.js";
import { displayText } from "./sanitize.js";

/** The part of a stream progress needs: process.stderr, or a test double. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

export interface Progress {
  onStateChange(job: RlorTrainerJob, previousState: JobState | undefined): void;
  onPollError(error: FireworksError): void;
  /** Clears the spinner line and stops its timer; safe to call twice. */
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 100;
const CLEAR_LINE = "\r\u001b[2K";

/** A poll that failed in passing, as the waits and watch say it: the next poll is the retry. */
export function pollFailedLine(error: FireworksError): string {
  return `poll failed, will retry: ${error.name}: ${displayText(error.message)}`;
}

/** How a ready wait shows RUNNING: the job runs, the wait goes on until its trainer answers. */
const RUNNING_NOT_READY = "RUNNING, waiting for the trainer to answer";

/**
 * Reports a wait on stderr: one line per state change with the elapsed time, and on a TTY an
 * updating spinner line under them. Piped stderr gets only the lines. In a ready wait
 * (`ready`), RUNNING shows as RUNNING_NOT_READY: what the wait is doing then.
 */
export function createProgress(
  stream: ProgressStream,
  startedAt = Date.now(),
  { ready }: { ready: boolean } = { ready: false },
): Progress {
  const spinning = stream.isTTY === true;
  let state = "";
  let frame = 0;
  const elapsed = () => formatElapsed(Date.now() - startedAt);
  const line = (text: string) => {
    stream.write(`${spinning ? CLEAR_LINE : ""}[${elapsed()}] ${text}\n`);
  };
  let timer = spinning
    ? setInterval(() => {
        frame = (frame + 1) % FRAMES.length;
        stream.write(`${CLEAR_LINE}${FRAMES[frame]} ${state || "waiting"}  ${elapsed()}`);
      }, FRAME_MS)
    : undefined;
  // The spinner must never keep the process alive on its own.
  timer?.unref();
  return {
    onStateChange(job, previousState) {
      // Written to the raw stream (the spinner's own controls must pass): the server's text is
      // made safe here.
      state =
        ready && job.state === "JOB_STATE_RUNNING"
          ? RUNNING_NOT_READY
          : displayText(shortState(job.state));
      const before = displayText(shortState(previousState));
      line(previousState === undefined ? state : `${before} -> ${state}`);
    },
    onPollError(error) {
      line(pollFailedLine(error));
    },
    stop() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      stream.write(CLEAR_LINE);
    },
  };
}
