import { FireworksError } from "./errors.js";

/**
 * Reading a job's log behind its signed URL failed: the storage host refused the read (after one
 * new URL was asked for), answered something unusable, could not be reached or took too long.
 * The signed URL is a credential: it is never part of the message, the cause or any field.
 */
export class LogStorageError extends FireworksError {
  override name = "LogStorageError" as const;
  /** The HTTP status the storage host answered; undefined when no answer came. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }
}
