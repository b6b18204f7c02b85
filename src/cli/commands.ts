import {
  getRlorTrainerJob,
  type RlorTrainerJob,
  resumeRlorTrainerJob,
} from "../../generated/operations.js";
import { type ClientOptions, createFireworksClient, type FireworksClient } from "../core/client.js";
import { InvalidArgumentError, JobFailedError, WaitTimeoutError } from "../core/errors.js";
import {
  checkWaitOptions,
  resumeRlorTrainerJobAndWait,
  type WaitOptions,
  waitForRlorTrainerJob,
} from "../core/wait.js";
import type { CliOptions } from "./args.js";
import { formatDuration } from "./duration.js";
import { formatRequestText, type RequestView, viewRequest } from "./http-view.js";
import { shortState } from "./job-states.js";
import { formatJob } from "./output.js";
import { createProgress, type ProgressStream } from "./progress.js";

/** Where the CLI writes: process.stdout/stderr, or test doubles. */
export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

type Fetch = NonNullable<ClientOptions["fetch"]>;

function clientOptions(options: CliOptions, fetch?: Fetch): ClientOptions {
  const settings: ClientOptions = {};
  if (options.apiKey !== undefined) settings.apiKey = options.apiKey;
  if (options.accountId !== undefined) settings.accountId = options.accountId;
  if (options.baseUrl !== undefined) settings.baseUrl = options.baseUrl;
  if (options.timeout !== undefined) settings.timeout = options.timeout;
  if (options.maxRetries !== undefined) settings.maxRetries = options.maxRetries;
  if (fetch !== undefined) settings.fetch = fetch;
  return settings;
}

/** The library's missing-key message speaks to code; CLI users set the variable or a flag. */
const MISSING_KEY = "Missing Fireworks API key";

function createClient(settings: ClientOptions): FireworksClient {
  try {
    return createFireworksClient(settings);
  } catch (error) {
    if (error instanceof InvalidArgumentError && error.message.startsWith(MISSING_KEY)) {
      throw new InvalidArgumentError(
        `${MISSING_KEY}: set the FIREWORKS_API_KEY environment variable or use --api-key`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * --debug: every attempt and its outcome on stderr, credentials redacted. Sends through the
 * client's default transport, so debugging does not change how requests go out.
 */
function debugFetch(stderr: ProgressStream): Fetch {
  return async (url, init) => {
    stderr.write(
      `> ${formatRequestText(viewRequest(url, init)).trimEnd().replaceAll("\n", "\n> ")}\n`,
    );
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      stderr.write(`< no response: ${error instanceof Error ? error.message : String(error)}\n`);
      throw error;
    }
    const requestId = response.headers.get("x-request-id");
    stderr.write(
      `< ${response.status} ${response.statusText}${requestId ? ` (request id ${requestId})` : ""}\n`,
    );
    return response;
  };
}

/** Runs get/resume/wait; writes the job to stdout, progress to stderr. Throws on failure. */
export async function runCommand(
  options: CliOptions,
  io: CliStreams,
  signal: AbortSignal,
): Promise<void> {
  if (options.dryRun) return dryRun(options, io, signal);
  const client = createClient(
    clientOptions(options, options.debug ? debugFetch(io.stderr) : undefined),
  );
  let job: RlorTrainerJob;
  try {
    job = await execute(client, options, io, signal);
  } catch (error) {
    // The job a wait ended on is the answer too: show it, then report the error.
    const last =
      error instanceof JobFailedError || error instanceof WaitTimeoutError ? error.job : undefined;
    if (last) io.stdout.write(formatJob(last, options.output));
    throw error;
  }
  io.stdout.write(formatJob(job, options.output));
}

function targets(options: CliOptions): string {
  return options.until.map(shortState).join(" or ");
}

function waitSettings(options: CliOptions): WaitOptions {
  return { until: options.until, timeout: options.waitTimeout, pollInterval: options.pollInterval };
}

async function execute(
  client: FireworksClient,
  options: CliOptions,
  io: CliStreams,
  signal: AbortSignal,
): Promise<RlorTrainerJob> {
  if (!options.wait) {
    const call = options.command === "resume" ? resumeRlorTrainerJob : getRlorTrainerJob;
    return call(client, options.job, { signal });
  }
  io.stderr.write(
    `Waiting up to ${formatDuration(options.waitTimeout)} for ${options.job} to reach ${targets(options)}\n`,
  );
  const progress = createProgress(io.stderr);
  const waitOptions: WaitOptions = {
    ...waitSettings(options),
    signal,
    onStateChange: progress.onStateChange,
    onPollError: progress.onPollError,
  };
  try {
    return options.command === "resume"
      ? await resumeRlorTrainerJobAndWait(client, options.job, waitOptions)
      : await waitForRlorTrainerJob(client, options.job, waitOptions);
  } finally {
    progress.stop();
  }
}

/** Builds the first request the command would send, through the real client, and prints it. */
async function dryRun(options: CliOptions, io: CliStreams, signal: AbortSignal): Promise<void> {
  // The checks a real run makes before sending, so a dry run passes only if the real one could.
  if (options.wait) checkWaitOptions(waitSettings(options));
  let captured: RequestView | undefined;
  const capture: Fetch = async (url, init) => {
    captured = viewRequest(url, init);
    // Answer locally so the client completes without anything leaving the process.
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  };
  const client = createClient({ ...clientOptions(options, capture), maxRetries: 0 });
  const call = options.command === "resume" ? resumeRlorTrainerJob : getRlorTrainerJob;
  await call(client, options.job, { signal });
  if (!captured) throw new Error("dry run: the client sent no request");
  io.stdout.write(
    options.output === "json"
      ? `${JSON.stringify(captured, null, 2)}\n`
      : formatRequestText(captured),
  );
  if (options.wait) {
    const every = formatDuration(options.pollInterval);
    io.stderr.write(
      `(dry run: waiting would poll GET ${options.job} every ${every} until ${targets(options)})\n`,
    );
  }
}
