/**
 * A reader that stops early (`list -o name | head -1`) closes the pipe, and the next write to it
 * fails with EPIPE, which Node emits as an 'error' event: unheard, an uncaught exception (a stack
 * trace on stderr, exit 1). The CLI hears it instead, and stops the command.
 */

/**
 * A signal that aborts when `stream` fails a write, with the error as its reason. Every error is
 * heard: one on stderr has nowhere to be told.
 */
export function watchWrites(stream: NodeJS.WritableStream): AbortSignal {
  const closed = new AbortController();
  // Kept for the life of the process: an EPIPE may come after the command's last write.
  stream.on("error", (error: Error) => {
    if (!closed.signal.aborted) closed.abort(error);
  });
  return closed.signal;
}

/** Whether a write failed because the reader went away: nothing to report, nobody to read it. */
export function readerGone(reason: unknown): boolean {
  return (
    typeof reason === "object" && reason !== null && "code" in reason && reason.code === "EPIPE"
  );
}
