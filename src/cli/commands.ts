import { readFile } from "node:fs/promises";
import { buffer as readStream } from "node:stream/consumers";
import { formatRlorTrainerJobName } from "../../generated/names.js";
import {
  cancelRlorTrainerJob,
  createRlorTrainerJob,
  deleteRlorTrainerJob,
  executeRlorTrainStep,
  getRlorTrainerJob,
  getRlorTrainerJobPublicLogs,
  type JobState,
  listRlorTrainerJobCheckpoints,
  listRlorTrainerJobs,
  type RlorTrainerJob,
  resumeRlorTrainerJob,
} from "../../generated/operations.js";
import { paginatePages } from "../../generated/runtime.js";
import { alreadyThere } from "../core/already-there.js";
import { type FireworksClient, scrubberOf } from "../core/client.js";
import {
  InvalidArgumentError,
  JobFailedError,
  JobStalledError,
  WaitTimeoutError,
} from "../core/errors.js";
import type { ReadyOptions, TrainerEndpoint } from "../core/health.js";
import {
  cancelRlorTrainerJobAndWait,
  createRlorTrainerJobAndWait,
  DEFAULT_CANCEL_TIMEOUT,
  DEFAULT_DELETE_TIMEOUT,
  deleteRlorTrainerJobAndWait,
} from "../core/lifecycle.js";
import {
  createRlorTrainerJobAndWaitReady,
  resumeRlorTrainerJobAndWaitReady,
  waitForRlorTrainerJobReady,
} from "../core/ready.js";
import {
  DEFAULT_RECONNECT_TIMEOUT,
  JobStuckError,
  reconnectRlorTrainerJob,
} from "../core/reconnect.js";
import { rlorTrainerJobStateFilter } from "../core/state-filter.js";
import {
  checkWaitOptions,
  DEFAULT_PENDING_TIMEOUT,
  DEFAULT_WAIT_TIMEOUT,
  resumeRlorTrainerJobAndWait,
  type WaitOptions,
  waitForRlorTrainerJob,
} from "../core/wait.js";
import { isJsonObject } from "../internal/json.js";
import type { Fetch } from "../internal/request.js";
import type { CliOptions, QueryValue } from "./args.js";
import { type ClientOrigin, createCliClient } from "./cli-client.js";
import { formatDuration } from "./duration.js";
import { Explained, formatErrorLine } from "./error-line.js";
import { PROGRAM } from "./help.js";
import { formatRequestText, type RequestView, viewRequest } from "./http-view.js";
import { shortState } from "./job-states.js";
import { printLog } from "./log-command.js";
import {
  checkpointListPrinter,
  formatCheckpointList,
  formatJob,
  formatJobList,
  formatJson,
  formatReady,
  jobListPrinter,
  type ListPrinter,
} from "./output.js";
import { createProgress, type ProgressStream } from "./progress.js";
import { notePromotableBeforeDelete, promoteCommand } from "./promote.js";
import { displayText } from "./sanitize.js";
import { buildSupportReport, formatSupportReport, type SentRequest } from "./support-report.js";
import { invalidUtf8Offset } from "./utf8.js";
import { runWatch } from "./watch-command.js";

/** Where the CLI writes: process.stdout/stderr, or test doubles. */
export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  /** The raw stderr, for the wait's spinner (its own terminal controls must pass). */
  progress?: ProgressStream;
  /** Read by `create -f -`. */
  stdin?: NodeJS.ReadableStream;
  /** Aborts when a write to stdout fails (EPIPE: its reader has gone), the error its reason. */
  stdoutClosed?: AbortSignal;
}

/** What a run tells run.ts besides its exit code: what to say if Ctrl-C stops it. */
export interface RunState {
  origin: ClientOrigin | undefined;
  interruptHints: string[];
}

/** Reports one job's failure (one line, hints) and returns its exit code. */
export type Reporter = (error: unknown) => number;

/** What an action works with: the options, the client, where it writes. */
export interface Context {
  readonly options: CliOptions;
  readonly client: FireworksClient;
  readonly io: CliStreams;
  readonly signal: AbortSignal;
  readonly state: RunState;
  /** The requests this run has sent so far, answered. */
  readonly sent: readonly SentRequest[];
  /**
   * The answer, on stdout, without the secrets the client knows (the key, echoed by a server in
   * a job's field, say); nothing in a dry run (the requests are the answer).
   */
  out(text: string): void;
  /** The one answer that is a secret the user asked for: the log's signed URL, as `out` else. */
  outSecret(text: string): void;
  /** What happened and what to do next, on stderr. */
  note(text: string): void;
}

/** A word as a shell reads it back: job ids may hold characters a shell would act on. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The command a user runs next, e.g. to keep waiting. */
export function follow(args: readonly string[]): string {
  return [PROGRAM, ...args.map(shellWord)].join(" ");
}

function targetsOf(options: CliOptions, fallback: JobState): JobState[] {
  return options.until ?? [fallback];
}

const short = (states: readonly string[]): string => states.map(shortState).join(" or ");

/**
 * What a wait ended on: the job (none once a delete's 404 says it is gone) and, for a ready
 * wait, the trainer's endpoint.
 */
interface WaitOutcome {
  readonly job: RlorTrainerJob | undefined;
  readonly endpoint?: TrainerEndpoint | undefined;
}

/** Starts a wait with the options the CLI built: a plain wait, or a call then a wait. */
type WaitStarter = (options: WaitSettings) => Promise<WaitOutcome>;

/** A wait's options as the CLI builds them; a ready wait reads `trustedOrigins` too. */
type WaitSettings = WaitOptions & Pick<ReadyOptions, "trustedOrigins">;

/** A plain wait's job as a WaitOutcome. */
const outcome = (job: RlorTrainerJob | undefined): WaitOutcome => ({ job });

/** The word --until takes for a ready wait. */
const READY = "READY";

interface WaitSpec {
  /** The states that end it, for messages (and a plain wait's `until`). */
  readonly until: JobState[];
  /** --until READY: RUNNING, and the trainer answers its health probe. */
  readonly ready?: boolean;
  /** The limit without --timeout: the helper's own default. */
  readonly defaultTimeout: number;
  /**
   * The limit in PENDING without --pending-timeout; absent for the waits that lead away from
   * PENDING (cancel, delete), where every moment counts against --timeout.
   */
  readonly defaultPendingTimeout?: number;
  /** Default: a plain wait. */
  readonly start?: WaitStarter;
  /** Called with the first job seen: the call before the wait has been answered. */
  readonly onFirstJob?: (job: RlorTrainerJob) => void;
  /** The job has no name yet (a create without --job-id): hints name it as the server does. */
  readonly unnamed?: boolean;
}

/** The wait of any command: progress on stderr, the CLI's words for how it ended. */
async function waitFor(ctx: Context, job: string, spec: WaitSpec): Promise<WaitOutcome> {
  const { options } = ctx;
  const { until } = spec;
  const target = targetText(spec);
  const limits = waitLimits(options, spec);
  const { trustedOrigins } = options;
  const settings: WaitSettings = {
    until,
    timeout: limits.timeout,
    pendingTimeout: limits.pendingTimeout,
    stallTimeout: options.stallTimeout,
    pollInterval: options.pollInterval,
    trustedOrigins,
  };
  if (options.dryRun) {
    checkWaitOptions(settings);
    const probe = spec.ready ? " and then its trainer's health route" : "";
    ctx.io.stderr.write(
      `(dry run: waiting would poll GET ${job}${probe} every ${formatDuration(options.pollInterval)} until ${target}, for up to ${limits.text})\n`,
    );
    return { job: {} };
  }
  const pause = limits.pendingTimeout === undefined ? "" : ",";
  ctx.note(`Waiting up to ${limits.text}${pause} for ${job} to reach ${target}\n`);
  const progress = createProgress(ctx.io.progress ?? ctx.io.stderr, Date.now(), {
    ready: spec.ready === true,
  });
  const start = spec.start ?? plainWait(ctx, job, spec);
  let first = true;
  try {
    return await start({
      ...settings,
      signal: ctx.signal,
      onStateChange: (seen, previous) => {
        if (first) spec.onFirstJob?.(seen);
        first = false;
        progress.onStateChange(seen, previous);
      },
      onPollError: progress.onPollError,
    });
  } catch (error) {
    if (error instanceof JobStalledError) throw await explainStall(ctx, job, error);
    throw explainWait(job, spec, limits, error);
  } finally {
    progress.stop();
  }
}

/** `wait`'s own wait: until the states, or until ready. */
function plainWait(ctx: Context, job: string, spec: WaitSpec): WaitStarter {
  return spec.ready
    ? (wait) => waitForRlorTrainerJobReady(ctx.client, job, wait)
    : (wait) => waitForRlorTrainerJob(ctx.client, job, wait).then(outcome);
}

/** What a wait waits for, in messages: "RUNNING or PAUSED", or READY. */
function targetText(spec: WaitSpec): string {
  return spec.ready ? READY : short(spec.until);
}

/** A wait's two budgets in ms, as typed (or their defaults, as Go prints them). */
interface WaitLimits {
  timeout: number;
  timeoutText: string;
  /** Undefined for a wait without a PENDING budget (cancel, delete). */
  pendingTimeout: number | undefined;
  pendingTimeoutText: string | undefined;
  /** Both, for the "Waiting up to ..." line: `15m0s, plus 48h0m0s in PENDING`. */
  text: string;
}

function waitLimits(options: CliOptions, spec: WaitSpec): WaitLimits {
  const timeout = options.waitTimeout ?? spec.defaultTimeout;
  const timeoutText = options.waitTimeoutText ?? formatDuration(timeout);
  if (spec.defaultPendingTimeout === undefined) {
    return {
      timeout,
      timeoutText,
      pendingTimeout: undefined,
      pendingTimeoutText: undefined,
      text: timeoutText,
    };
  }
  const pendingTimeout = options.pendingTimeout ?? spec.defaultPendingTimeout;
  const pendingTimeoutText = options.pendingTimeoutText ?? formatDuration(pendingTimeout);
  const text = `${timeoutText}, plus ${pendingTimeoutText} in PENDING`;
  return { timeout, timeoutText, pendingTimeout, pendingTimeoutText, text };
}

/** The job's name as the server gave it, for a command to run next; else `job` as typed. */
function nameOf(seen: RlorTrainerJob | undefined, job: string): string {
  return typeof seen?.name === "string" && seen.name !== "" ? seen.name : job;
}

/** A timeout in the CLI's words: which budget ran out and the flag that raises it. */
function explainTimeout(
  job: string,
  spec: WaitSpec,
  limits: WaitLimits,
  error: WaitTimeoutError,
): Explained {
  const last = error.job ? ` (last seen ${displayText(shortState(error.job.state))})` : "";
  const answering =
    spec.ready && error.job?.state === "JOB_STATE_RUNNING" ? ", its trainer not answering yet" : "";
  const inPending = error.budget === "pendingTimeout";
  const within = inPending
    ? `${limits.pendingTimeoutText ?? formatDuration(error.timeout)} in PENDING, queued for capacity`
    : `${limits.timeoutText}${limits.pendingTimeout === undefined ? "" : " outside PENDING"}`;
  const flag = inPending ? "--pending-timeout" : "--timeout";
  const untilWords = spec.ready ? READY : spec.until.map(shortState).join(",");
  const name = spec.unnamed ? nameOf(error.job, job) : job;
  const again = ["wait", name, "--until", untilWords, "--timeout", limits.timeoutText];
  if (limits.pendingTimeoutText !== undefined) {
    again.push("--pending-timeout", limits.pendingTimeoutText);
  }
  return new Explained(
    error,
    `${job} did not reach ${targetText(spec)} within ${within}${last}${answering}; ${flag} raises this limit`,
    [`To keep waiting: ${follow(again)}`],
  );
}

/**
 * A stall in the CLI's words; with --on-stall cancel, the stalled job is cancelled first (one
 * POST :cancel, not waited for) and the line says whether that went out.
 */
async function explainStall(ctx: Context, job: string, error: JobStalledError): Promise<Explained> {
  const { options } = ctx;
  const limit = options.stallTimeoutText ?? formatDuration(error.stallTimeout);
  const since = error.since.toISOString();
  const stalled = `${job} made no progress for ${limit} while RUNNING (last change: ${error.lastChange}, seen at ${since})`;
  const name = nameOf(error.job, job);
  if (options.onStall !== "cancel") {
    return new Explained(error, `${stalled}; --stall-timeout sets this limit`, [
      `To stop it: ${follow(["cancel", name])}`,
    ]);
  }
  try {
    await cancelRlorTrainerJob(ctx.client, name, { signal: ctx.signal });
  } catch (cancelError) {
    return new Explained(error, `${stalled}; --on-stall cancel: the cancel failed`, [
      `The cancel was refused or did not go through: ${formatErrorLine(cancelError)}`,
      `To stop it: ${follow(["cancel", name])}`,
    ]);
  }
  return new Explained(error, `${stalled}; --on-stall cancel: cancel sent`, [
    `Follow the cancel with: ${follow(["wait", name, "--until", "CANCELLED"])}`,
  ]);
}

function explainWait(job: string, spec: WaitSpec, limits: WaitLimits, error: unknown): unknown {
  if (error instanceof WaitTimeoutError) return explainTimeout(job, spec, limits, error);
  if (error instanceof JobFailedError) {
    const how = error.deleted ? "was deleted" : "ended";
    const message = error.statusMessage ? `: ${error.statusMessage}` : "";
    return new Explained(
      error,
      `${job} ${how} ${displayText(shortState(error.state))} before reaching ${targetText(spec)}${message}`,
    );
  }
  if (error instanceof JobStuckError) {
    return new Explained(error, displayText(error.message), [
      `To stop it: ${follow(["cancel", job, "--wait"])}; then create a new one with ${follow(["create", "-f", "<job.json>", "--wait", "--until", READY])}`,
    ]);
  }
  return error;
}

/** The operation's query flags as given (the generated option names) and the run's signal. */
function queryOptions(ctx: Context): {
  signal: AbortSignal;
  [param: string]: QueryValue | AbortSignal;
} {
  return { ...ctx.options.query, signal: ctx.signal };
}

/**
 * Waits and prints the job the wait ended on. The job a wait error ended on is part of the
 * answer too: printed before the error.
 */
async function waitAndShow(ctx: Context, job: string, spec: WaitSpec): Promise<void> {
  let done: WaitOutcome;
  try {
    done = await waitFor(ctx, job, spec);
  } catch (error) {
    const cause = error instanceof Explained ? error.cause : error;
    const last =
      cause instanceof JobFailedError ||
      cause instanceof WaitTimeoutError ||
      cause instanceof JobStalledError
        ? cause.job
        : undefined;
    if (last) ctx.out(formatJob(last, ctx.options.output));
    throw error;
  }
  ctx.out(formatOutcome(ctx, job, done));
}

/** A resume refused because the job already runs, or is on its way, is what the user wanted. */
async function alreadyRunning(ctx: Context, job: string, error: unknown): Promise<RlorTrainerJob> {
  const refused = { operationId: "resumeRlorTrainerJob", until: new Set(["JOB_STATE_RUNNING"]) };
  const current = await alreadyThere(ctx.client, job, refused, { signal: ctx.signal }, error);
  ctx.note(`${job} is already ${displayText(shortState(current.state))}: nothing to resume.\n`);
  return current;
}

/** After a cancel or delete without --wait (or a dry run of one with it): what comes next. */
async function sentOnly(ctx: Context, job: string, verb: string, spec: WaitSpec): Promise<void> {
  if (ctx.options.wait) {
    await waitFor(ctx, job, spec);
    return;
  }
  const until = spec.until.map(shortState).join(",");
  ctx.note(`${verb} sent for ${job}. Follow it with: ${follow(["wait", job, "--until", until])}\n`);
  ctx.out(formatNameOnly(ctx, job));
}

/**
 * The job a wait ended on, with the trainer's endpoint after a ready wait, or only its name when
 * it is gone (a delete's 404).
 */
function formatOutcome(ctx: Context, job: string, done: WaitOutcome): string {
  const { output } = ctx.options;
  if (done.job === undefined) return formatNameOnly(ctx, job);
  return done.endpoint === undefined
    ? formatJob(done.job, output)
    : formatReady(done.job, done.endpoint, output);
}

/** The limits of the waits that head for a running job, which may queue in PENDING for hours. */
const RUNNING_LIMITS = {
  defaultTimeout: DEFAULT_WAIT_TIMEOUT,
  defaultPendingTimeout: DEFAULT_PENDING_TIMEOUT,
} as const;

const CANCEL_WAIT: WaitSpec = {
  until: ["JOB_STATE_CANCELLED"],
  defaultTimeout: DEFAULT_CANCEL_TIMEOUT,
};
const DELETE_WAIT: WaitSpec = {
  until: ["JOB_STATE_DELETED"],
  defaultTimeout: DEFAULT_DELETE_TIMEOUT,
};

/** cancel and delete: send, then with --wait follow the job to where the call leads. */
function stopAction(
  verb: string,
  send: (
    client: FireworksClient,
    job: string,
    options: { signal: AbortSignal },
  ) => Promise<unknown>,
  sendAndWait: (
    client: FireworksClient,
    job: string,
    options: WaitOptions,
  ) => Promise<RlorTrainerJob | undefined>,
  spec: WaitSpec,
): (ctx: Context, job: string) => Promise<void> {
  return async (ctx, job) => {
    if (!ctx.options.wait || ctx.options.dryRun) {
      await send(ctx.client, job, { signal: ctx.signal });
      return sentOnly(ctx, job, verb, spec);
    }
    await waitAndShow(ctx, job, {
      ...spec,
      start: (wait) => sendAndWait(ctx.client, job, wait).then(outcome),
    });
  };
}

const deleteJob = stopAction(
  "Delete",
  deleteRlorTrainerJob,
  deleteRlorTrainerJobAndWait,
  DELETE_WAIT,
);

const JOB_ACTIONS: Readonly<Record<string, (ctx: Context, job: string) => Promise<void>>> = {
  async get(ctx, job) {
    const found = await getRlorTrainerJob(ctx.client, job, queryOptions(ctx));
    ctx.out(formatJob(found, ctx.options.output));
  },

  async resume(ctx, job) {
    const { options } = ctx;
    const spec: WaitSpec = {
      until: targetsOf(options, "JOB_STATE_RUNNING"),
      ready: options.ready,
      ...RUNNING_LIMITS,
      // The first job seen is the resume's own answer: from then on, the resume was sent.
      onFirstJob: () => {
        ctx.state.interruptHints = [
          `The resume of ${job} was sent: follow the job with ${follow(["wait", job])}`,
        ];
      },
      start: options.ready
        ? (wait) => resumeRlorTrainerJobAndWaitReady(ctx.client, job, wait)
        : (wait) => resumeRlorTrainerJobAndWait(ctx.client, job, wait).then(outcome),
    };
    ctx.state.interruptHints = [
      `The resume of ${job} may not have been sent: check with ${follow(["get", job])}`,
    ];
    if (options.wait && !options.dryRun) {
      await waitAndShow(ctx, job, spec);
      return;
    }
    let resumed: RlorTrainerJob;
    try {
      resumed = await resumeRlorTrainerJob(ctx.client, job, { signal: ctx.signal });
      ctx.note(
        `Resume sent: ${displayText(resumed.name)} is ${displayText(shortState(resumed.state))}. Follow it with: ${follow(["wait", job])}\n`,
      );
    } catch (error) {
      resumed = await alreadyRunning(ctx, job, error);
    }
    if (options.dryRun && options.wait) await waitFor(ctx, job, spec);
    ctx.out(formatJob(resumed, options.output));
  },

  async wait(ctx, job) {
    const spec: WaitSpec = {
      until: targetsOf(ctx.options, "JOB_STATE_RUNNING"),
      ready: ctx.options.ready,
      ...RUNNING_LIMITS,
    };
    if (ctx.options.dryRun) {
      // Checks the wait's options first, then shows the one request a wait starts with.
      await waitFor(ctx, job, spec);
      await getRlorTrainerJob(ctx.client, job, { signal: ctx.signal });
      return;
    }
    await waitAndShow(ctx, job, spec);
  },

  async reconnect(ctx, job) {
    const { options } = ctx;
    const spec: WaitSpec = {
      until: ["JOB_STATE_RUNNING"],
      ready: true,
      defaultTimeout: DEFAULT_RECONNECT_TIMEOUT,
      defaultPendingTimeout: DEFAULT_PENDING_TIMEOUT,
      start: (wait) =>
        reconnectRlorTrainerJob(ctx.client, job, { ...wait, settleTimeout: options.settleTimeout }),
    };
    ctx.state.interruptHints = [`${job} may have been resumed: check with ${follow(["get", job])}`];
    if (options.dryRun) {
      await waitFor(ctx, job, spec);
      await getRlorTrainerJob(ctx.client, job, { signal: ctx.signal });
      return;
    }
    await waitAndShow(ctx, job, spec);
  },

  cancel: stopAction("Cancel", cancelRlorTrainerJob, cancelRlorTrainerJobAndWait, CANCEL_WAIT),
  async delete(ctx, job) {
    await notePromotableBeforeDelete(ctx, job);
    await deleteJob(ctx, job);
  },

  promote: promoteCommand,

  async "train-step"(ctx, job) {
    const { dataset = "", outputModel = "" } = ctx.options;
    await executeRlorTrainStep(ctx.client, job, { dataset, outputModel }, { signal: ctx.signal });
    ctx.note(`Train step started on ${job}. Follow it with: ${follow(["get", job])}\n`);
    ctx.out(formatNameOnly(ctx, job));
  },

  async checkpoints(ctx, job) {
    const { options } = ctx;
    if (options.all) {
      const pages = allPages(
        ctx,
        (query) => listRlorTrainerJobCheckpoints(ctx.client, job, query),
        (page) => page.checkpoints,
      );
      await printPages(ctx, pages, checkpointListPrinter(options.output));
      return;
    }
    const page = await listRlorTrainerJobCheckpoints(ctx.client, job, queryOptions(ctx));
    ctx.out(formatCheckpointList(page.checkpoints ?? [], options.output, pageInfo(page)));
    moreNote(ctx, page.nextPageToken);
  },

  async report(ctx, job) {
    const report = await buildSupportReport(ctx.client, job, ctx.signal, ctx.sent);
    ctx.out(ctx.options.output === "json" ? formatJson(report) : formatSupportReport(report));
  },

  async logs(ctx, job) {
    if (ctx.options.follow || ctx.options.content) {
      await printLog(ctx, job);
      return;
    }
    const { signedUrl } = await getRlorTrainerJobPublicLogs(ctx.client, job, {
      signal: ctx.signal,
    });
    // The URL grants access to the log for 24 h: printed here, on stdout only, and nowhere else.
    const { output } = ctx.options;
    if (output === "json") ctx.outSecret(formatJson({ signedUrl }));
    else if (output === "name") ctx.out(formatNameOnly(ctx, job));
    else {
      ctx.outSecret(`${displayText(signedUrl)}\n`);
      ctx.note("The URL is valid for 24 hours: ask again for a new one after that.\n");
    }
  },
};

/** The query of a list call: the flags, and the page to read. */
type ListQuery = ReturnType<typeof queryOptions>;

/**
 * Every page of a list (--all), one at a time as the server sends them; the runtime's pager
 * stops a server whose page tokens loop.
 */
function allPages<Page extends { nextPageToken?: string | undefined }, Item>(
  ctx: Context,
  list: (query: ListQuery) => Promise<Page>,
  items: (page: Page) => readonly Item[] | undefined,
): AsyncGenerator<readonly Item[], void, undefined> {
  const query = queryOptions(ctx);
  const first = query.pageToken;
  return paginatePages(
    typeof first === "string" ? first : undefined,
    // Without a token, the query has none either: it is the first page, without --page-token.
    (pageToken) => list(pageToken === undefined ? query : { ...query, pageToken }),
    items,
  );
}

/** Prints each page (the items `keep` keeps) as it arrives: memory holds one page at a time. */
async function printPages<Item>(
  ctx: Context,
  pages: AsyncIterable<readonly Item[]>,
  printer: ListPrinter,
  keep: (item: Item) => boolean = () => true,
): Promise<void> {
  for await (const items of pages) ctx.out(printer.page(items.filter(keep)));
  ctx.out(printer.end());
}

function pageInfo(page: { nextPageToken?: string | undefined; totalSize?: number | undefined }) {
  return { nextPageToken: page.nextPageToken, totalSize: page.totalSize };
}

/**
 * Without --all, one page is printed: when the server says there are more, say so (on stderr),
 * so that a page's matches are never taken for all of them.
 */
function moreNote(ctx: Context, token: unknown, filtered = false): void {
  if (typeof token !== "string" || token === "") return;
  const what = filtered ? "More jobs may match on the next pages" : "More on the next page";
  ctx.note(`${what}: add --all, or --page-token ${displayText(token)}\n`);
}

/** A string query flag's value (`--filter`), if given. */
function textQuery(value: QueryValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The full name of a job given as typed; the call that used it has checked it already. */
function fullName(ctx: Context, job: string): string {
  const accountId = ctx.client.settings.accountId;
  if (job.includes("/") || accountId === undefined) return job;
  return formatRlorTrainerJobName({ accountId, rlorTrainerJobId: job });
}

/** cancel, delete, train-step answer `{}`: -o name prints the job's name, json it as an object. */
function formatNameOnly(ctx: Context, job: string): string {
  const { output } = ctx.options;
  if (output === "json") return formatJson({ name: fullName(ctx, job) });
  return output === "name" ? `${fullName(ctx, job)}\n` : "";
}

/** The file's text; bytes that are not UTF-8 are refused, not replaced with U+FFFD. */
async function readJobText(file: string, stdin: NodeJS.ReadableStream): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = file === "-" ? await readStream(stdin) : await readFile(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidArgumentError(`--file: cannot read ${file}: ${reason}`);
  }
  const offset = invalidUtf8Offset(bytes);
  if (offset !== undefined) {
    const byte = `0x${(bytes[offset] ?? 0).toString(16).padStart(2, "0")}`;
    throw new InvalidArgumentError(
      `--file ${file}: not UTF-8: byte ${byte} at offset ${offset} starts no UTF-8 character (save the file as UTF-8)`,
    );
  }
  // A byte-order mark is kept, as before (JSON.parse refuses it).
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

async function readJobFile(ctx: Context): Promise<RlorTrainerJob> {
  const file = ctx.options.file ?? "-";
  const text = await readJobText(file, ctx.io.stdin ?? process.stdin);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`--file ${file}: not JSON (${(error as Error).message})`);
  }
  if (!isJsonObject(value)) {
    throw new InvalidArgumentError(`--file ${file}: expected a JSON object (an RlorTrainerJob)`);
  }
  return value as RlorTrainerJob;
}

const CREATE_WAIT: WaitSpec = { until: ["JOB_STATE_RUNNING"], ...RUNNING_LIMITS };

/** create --wait waits until RUNNING, or READY (its --until takes nothing else: args.ts). */
function createWait(options: CliOptions): WaitSpec {
  return { ...CREATE_WAIT, ready: options.ready };
}

const ACCOUNT_ACTIONS: Readonly<Record<string, (ctx: Context) => Promise<void>>> = {
  async list(ctx) {
    const { options } = ctx;
    // The server filters by state (one page holds more of what is asked for); each job it sends
    // is still checked here, so a server that ignores the filter cannot slip others in.
    const filter = rlorTrainerJobStateFilter(options.states, textQuery(options.query.filter));
    const keep = (job: RlorTrainerJob) =>
      options.states.length === 0 || options.states.some((state) => state === job.state);
    const list = (query: ListQuery) =>
      listRlorTrainerJobs(
        ctx.client,
        undefined,
        filter === undefined ? query : { ...query, filter },
      );
    if (options.all) {
      const pages = allPages(ctx, list, (page) => page.rlorTrainerJobs);
      // Filtered as printed: a page of jobs in other states is no empty page to the pager.
      await printPages(ctx, pages, jobListPrinter(options.output, options.wide), keep);
      return;
    }
    const page = await list(queryOptions(ctx));
    const sent = page.rlorTrainerJobs ?? [];
    const jobs = sent.filter(keep);
    // A total that counts jobs the check dropped is the server's count of something else.
    const info =
      jobs.length === sent.length ? pageInfo(page) : { nextPageToken: page.nextPageToken };
    ctx.out(formatJobList(jobs, options.output, info, options.wide));
    moreNote(ctx, page.nextPageToken, options.states.length > 0);
  },

  async create(ctx) {
    const { options } = ctx;
    const wait = createWait(options);
    const body = await readJobFile(ctx);
    if (!options.wait || options.dryRun) {
      const created = await createRlorTrainerJob(ctx.client, undefined, body, queryOptions(ctx));
      if (options.wait) await waitFor(ctx, "the new job", wait);
      ctx.out(formatJob(created, options.output));
      return;
    }
    const id = options.query.rlorTrainerJobId;
    const label = typeof id === "string" ? id : "the new job";
    const spec: WaitSpec = {
      ...wait,
      unnamed: typeof id !== "string",
      onFirstJob: (created) => {
        ctx.state.interruptHints = [
          `${displayText(created.name)} was created: follow it with ${follow(["wait", String(created.name)])}`,
        ];
      },
      start: options.ready
        ? (settings) =>
            createRlorTrainerJobAndWaitReady(ctx.client, undefined, body, {
              ...queryOptions(ctx),
              ...settings,
            })
        : (settings) =>
            createRlorTrainerJobAndWait(ctx.client, undefined, body, {
              ...queryOptions(ctx),
              ...settings,
            }).then(outcome),
    };
    await waitAndShow(ctx, label, spec);
  },
};

function jsonOrText(view: RequestView, json: boolean): string {
  return json ? `${JSON.stringify(view, null, 2)}\n` : formatRequestText(view);
}

/** Runs the command; returns the exit code: the worst of its jobs'. */
export async function runCommand(
  options: CliOptions,
  io: CliStreams,
  signal: AbortSignal,
  state: RunState,
  report: Reporter,
): Promise<number> {
  const note = (text: string) => {
    io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  };
  // A dry run answers every request locally, after printing it: nothing leaves the process.
  const capture: Fetch | undefined = options.dryRun
    ? async (url, init) => {
        const view = viewRequest(url, init, scrubberOf(client));
        io.stdout.write(jsonOrText(view, options.output === "json"));
        return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
      }
    : undefined;
  const sent: SentRequest[] = [];
  const { client, origin, close } = await createCliClient(options, note, sent, capture);
  state.origin = origin;
  const ctx: Context = {
    options,
    client,
    io,
    signal,
    state,
    sent,
    out: (text) => {
      if (!options.dryRun) io.stdout.write(scrubberOf(client)(text));
    },
    outSecret: (text) => {
      if (!options.dryRun) io.stdout.write(text);
    },
    note: (text) => {
      if (!options.dryRun) note(text);
    },
  };
  try {
    return await runActions(ctx, report);
  } finally {
    // Success or failure, the proxy's connections go: none may keep the process alive.
    await close();
  }
}

/** The command's action, for the account or for each job in turn; the worst job's exit code. */
async function runActions(ctx: Context, report: Reporter): Promise<number> {
  const { name } = ctx.options.command;
  if (name === "watch") {
    const { io } = ctx;
    return runWatch({ ...ctx, terminal: io.progress ?? io.stderr, stderr: io.stderr, report });
  }
  const account = ACCOUNT_ACTIONS[name];
  if (account) {
    await account(ctx);
    return 0;
  }
  const action = JOB_ACTIONS[name];
  if (!action) throw new Error(`no action for command ${name}`);
  let worst = 0;
  for (const job of ctx.options.jobs) {
    try {
      await action(ctx, job);
    } catch (error) {
      // Ctrl-C stops every job; other failures are reported and the next job goes on.
      if (ctx.signal.aborted) throw error;
      worst = Math.max(worst, report(error));
    }
  }
  return worst;
}
