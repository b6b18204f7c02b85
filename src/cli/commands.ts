import { readFile } from "node:fs/promises";
import { text as readStream } from "node:stream/consumers";
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
import type { FireworksClient } from "../core/client.js";
import { InvalidArgumentError, JobFailedError, WaitTimeoutError } from "../core/errors.js";
import {
  cancelRlorTrainerJobAndWait,
  createRlorTrainerJobAndWait,
  DEFAULT_CANCEL_TIMEOUT,
  DEFAULT_DELETE_TIMEOUT,
  deleteRlorTrainerJobAndWait,
} from "../core/lifecycle.js";
import {
  checkWaitOptions,
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
import { Explained } from "./error-line.js";
import { PROGRAM } from "./help.js";
import { formatRequestText, type RequestView, viewRequest } from "./http-view.js";
import { shortState } from "./job-states.js";
import {
  checkpointListPrinter,
  formatCheckpointList,
  formatJob,
  formatJobList,
  formatJson,
  jobListPrinter,
  type ListPrinter,
} from "./output.js";
import { createProgress, type ProgressStream } from "./progress.js";
import { notePromotableBeforeDelete, promoteCommand } from "./promote.js";
import { displayText } from "./sanitize.js";

/** Where the CLI writes: process.stdout/stderr, or test doubles. */
export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  /** The raw stderr, for the wait's spinner (its own terminal controls must pass). */
  progress?: ProgressStream;
  /** Read by `create -f -`. */
  stdin?: NodeJS.ReadableStream;
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
  /** The answer, on stdout; nothing in a dry run (the requests are the answer). */
  out(text: string): void;
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

/** Starts a wait with the options the CLI built: a plain wait, or a call then a wait. */
type WaitStarter = (options: WaitOptions) => Promise<RlorTrainerJob | undefined>;

interface WaitSpec {
  /** The states that end it, for messages (and a plain wait's `until`). */
  readonly until: JobState[];
  /** The limit without --timeout: the helper's own default. */
  readonly defaultTimeout: number;
  /** Default: a plain wait. */
  readonly start?: WaitStarter;
  /** Called with the first job seen: the call before the wait has been answered. */
  readonly onFirstJob?: (job: RlorTrainerJob) => void;
}

/** The wait of any command: progress on stderr, the CLI's words for how it ended. */
async function waitFor(
  ctx: Context,
  job: string,
  spec: WaitSpec,
): Promise<RlorTrainerJob | undefined> {
  const { options } = ctx;
  const { until } = spec;
  const timeout = options.waitTimeout ?? spec.defaultTimeout;
  const limit = options.waitTimeoutText ?? formatDuration(timeout);
  const settings: WaitOptions = { until, timeout, pollInterval: options.pollInterval };
  if (options.dryRun) {
    checkWaitOptions(settings);
    ctx.io.stderr.write(
      `(dry run: waiting would poll GET ${job} every ${formatDuration(options.pollInterval)} until ${short(until)}, for up to ${limit})\n`,
    );
    return {};
  }
  ctx.note(`Waiting up to ${limit} for ${job} to reach ${short(until)}\n`);
  const progress = createProgress(ctx.io.progress ?? ctx.io.stderr);
  const start = spec.start ?? ((wait) => waitForRlorTrainerJob(ctx.client, job, wait));
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
    throw explainWait(job, until, limit, error);
  } finally {
    progress.stop();
  }
}

function explainWait(job: string, until: JobState[], limit: string, error: unknown): unknown {
  const untilWords = until.map(shortState).join(",");
  if (error instanceof WaitTimeoutError) {
    const last = error.job ? ` (last seen ${displayText(shortState(error.job.state))})` : "";
    return new Explained(error, `${job} did not reach ${short(until)} within ${limit}${last}`, [
      `To keep waiting: ${follow(["wait", job, "--until", untilWords, "--timeout", limit])}`,
    ]);
  }
  if (error instanceof JobFailedError) {
    const how = error.deleted ? "was deleted" : "ended";
    const message = error.statusMessage ? `: ${error.statusMessage}` : "";
    return new Explained(
      error,
      `${job} ${how} ${displayText(shortState(error.state))} before reaching ${short(until)}${message}`,
    );
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
  let done: RlorTrainerJob | undefined;
  try {
    done = await waitFor(ctx, job, spec);
  } catch (error) {
    const cause = error instanceof Explained ? error.cause : error;
    const last =
      cause instanceof JobFailedError || cause instanceof WaitTimeoutError ? cause.job : undefined;
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

/** The job a wait ended on, or only its name when it is gone (a delete's 404). */
function formatOutcome(ctx: Context, job: string, done: RlorTrainerJob | undefined): string {
  return done === undefined ? formatNameOnly(ctx, job) : formatJob(done, ctx.options.output);
}

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
    await waitAndShow(ctx, job, { ...spec, start: (wait) => sendAndWait(ctx.client, job, wait) });
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
      defaultTimeout: DEFAULT_WAIT_TIMEOUT,
      // The first job seen is the resume's own answer: from then on, the resume was sent.
      onFirstJob: () => {
        ctx.state.interruptHints = [
          `The resume of ${job} was sent: follow the job with ${follow(["wait", job])}`,
        ];
      },
      start: (wait) => resumeRlorTrainerJobAndWait(ctx.client, job, wait),
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
    const spec = {
      until: targetsOf(ctx.options, "JOB_STATE_RUNNING"),
      defaultTimeout: DEFAULT_WAIT_TIMEOUT,
    };
    if (ctx.options.dryRun) {
      // Checks the wait's options first, then shows the one request a wait starts with.
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

  async logs(ctx, job) {
    const { signedUrl } = await getRlorTrainerJobPublicLogs(ctx.client, job, {
      signal: ctx.signal,
    });
    // The URL grants access to the log for 24 h: printed here, on stdout only, and nowhere else.
    const { output } = ctx.options;
    if (output === "json") ctx.out(formatJson({ signedUrl }));
    else if (output === "name") ctx.out(formatNameOnly(ctx, job));
    else {
      ctx.out(`${displayText(signedUrl)}\n`);
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

function moreNote(ctx: Context, token: unknown): void {
  if (typeof token !== "string" || token === "") return;
  ctx.note(`More on the next page: add --all, or --page-token ${displayText(token)}\n`);
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

async function readJobFile(ctx: Context): Promise<RlorTrainerJob> {
  const file = ctx.options.file ?? "-";
  let text: string;
  try {
    text =
      file === "-" ? await readStream(ctx.io.stdin ?? process.stdin) : await readFile(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidArgumentError(`--file: cannot read ${file}: ${reason}`);
  }
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

const CREATE_WAIT: WaitSpec = {
  until: ["JOB_STATE_RUNNING"],
  defaultTimeout: DEFAULT_WAIT_TIMEOUT,
};

const ACCOUNT_ACTIONS: Readonly<Record<string, (ctx: Context) => Promise<void>>> = {
  async list(ctx) {
    const { options } = ctx;
    const keep = (job: RlorTrainerJob) =>
      options.states.length === 0 || options.states.some((state) => state === job.state);
    if (options.all) {
      const pages = allPages(
        ctx,
        (query) => listRlorTrainerJobs(ctx.client, undefined, query),
        (page) => page.rlorTrainerJobs,
      );
      // Filtered as printed: a page of jobs in other states is no empty page to the pager.
      await printPages(ctx, pages, jobListPrinter(options.output, options.wide), keep);
      return;
    }
    const page = await listRlorTrainerJobs(ctx.client, undefined, queryOptions(ctx));
    const jobs = (page.rlorTrainerJobs ?? []).filter(keep);
    ctx.out(formatJobList(jobs, options.output, pageInfo(page), options.wide));
    moreNote(ctx, page.nextPageToken);
  },

  async create(ctx) {
    const { options } = ctx;
    const body = await readJobFile(ctx);
    if (!options.wait || options.dryRun) {
      const created = await createRlorTrainerJob(ctx.client, undefined, body, queryOptions(ctx));
      if (options.wait) await waitFor(ctx, "the new job", CREATE_WAIT);
      ctx.out(formatJob(created, options.output));
      return;
    }
    const id = options.query.rlorTrainerJobId;
    const label = typeof id === "string" ? id : "the new job";
    const spec: WaitSpec = {
      ...CREATE_WAIT,
      onFirstJob: (created) => {
        ctx.state.interruptHints = [
          `${displayText(created.name)} was created: follow it with ${follow(["wait", String(created.name)])}`,
        ];
      },
      start: (wait) =>
        createRlorTrainerJobAndWait(ctx.client, undefined, body, { ...queryOptions(ctx), ...wait }),
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
        io.stdout.write(jsonOrText(viewRequest(url, init), options.output === "json"));
        return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
      }
    : undefined;
  const { client, origin } = await createCliClient(options, note, capture);
  state.origin = origin;
  const ctx: Context = {
    options,
    client,
    io,
    signal,
    state,
    out: (text) => {
      if (!options.dryRun) io.stdout.write(text);
    },
    note: (text) => {
      if (!options.dryRun) note(text);
    },
  };
  const account = ACCOUNT_ACTIONS[options.command.name];
  if (account) {
    await account(ctx);
    return 0;
  }
  const action = JOB_ACTIONS[options.command.name];
  if (!action) throw new Error(`no action for command ${options.command.name}`);
  let worst = 0;
  for (const job of options.jobs) {
    try {
      await action(ctx, job);
    } catch (error) {
      // Ctrl-C stops every job; other failures are reported and the next job goes on.
      if (signal.aborted) throw error;
      worst = Math.max(worst, report(error));
    }
  }
  return worst;
}
