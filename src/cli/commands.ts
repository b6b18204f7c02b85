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
  iterateRlorTrainerJobCheckpoints,
  iterateRlorTrainerJobs,
  type JobState,
  listRlorTrainerJobCheckpoints,
  listRlorTrainerJobs,
  type RlorTrainerJob,
  resumeRlorTrainerJob,
} from "../../generated/operations.js";
import type { FireworksClient } from "../core/client.js";
import {
  APIError,
  InvalidArgumentError,
  JobFailedError,
  NotFoundError,
  WaitTimeoutError,
} from "../core/errors.js";
import {
  checkWaitOptions,
  resumeRlorTrainerJobAndWait,
  type WaitOptions,
  waitForRlorTrainerJob,
} from "../core/wait.js";
import type { Fetch } from "../internal/request.js";
import type { CliOptions, QueryValue } from "./args.js";
import { type ClientOrigin, createCliClient } from "./cli-client.js";
import { formatDuration } from "./duration.js";
import { Explained } from "./error-line.js";
import { formatRequestText, type RequestView, viewRequest } from "./http-view.js";
import { shortState } from "./job-states.js";
import { formatCheckpointList, formatJob, formatJobList, formatJson } from "./output.js";
import { createProgress, type ProgressStream } from "./progress.js";
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

interface Context {
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

const PROGRAM = "fireworks-rlor";

/** A word as a shell reads it back: job ids may hold characters a shell would act on. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The command a user runs next, e.g. to keep waiting. */
function follow(args: readonly string[]): string {
  return [PROGRAM, ...args.map(shellWord)].join(" ");
}

function targetsOf(options: CliOptions, fallback: JobState): JobState[] {
  return options.until ?? [fallback];
}

const short = (states: readonly string[]): string => states.map(shortState).join(" or ");

/** Starts a wait with the options the CLI built: a plain wait, or a resume then a wait. */
type WaitStarter = (options: WaitOptions) => Promise<RlorTrainerJob>;

/** The wait of any command: progress on stderr, the CLI's words for how it ended. */
async function waitFor(
  ctx: Context,
  job: string,
  until: JobState[],
  start: WaitStarter = (options) => waitForRlorTrainerJob(ctx.client, job, options),
  onStateChange?: () => void,
): Promise<RlorTrainerJob> {
  const { options } = ctx;
  const settings: WaitOptions = {
    until,
    timeout: options.waitTimeout,
    pollInterval: options.pollInterval,
  };
  if (options.dryRun) {
    checkWaitOptions(settings);
    await getRlorTrainerJob(ctx.client, job, { signal: ctx.signal });
    ctx.io.stderr.write(
      `(dry run: waiting would poll GET ${job} every ${formatDuration(options.pollInterval)} until ${short(until)})\n`,
    );
    return {};
  }
  ctx.note(`Waiting up to ${options.waitTimeoutText} for ${job} to reach ${short(until)}\n`);
  const progress = createProgress(ctx.io.progress ?? ctx.io.stderr);
  try {
    return await start({
      ...settings,
      signal: ctx.signal,
      onStateChange: (seen, previous) => {
        onStateChange?.();
        progress.onStateChange(seen, previous);
      },
      onPollError: progress.onPollError,
    });
  } catch (error) {
    throw explainWait(ctx, job, until, error);
  } finally {
    progress.stop();
  }
}

function explainWait(ctx: Context, job: string, until: JobState[], error: unknown): unknown {
  const untilWords = until.map(shortState).join(",");
  if (error instanceof WaitTimeoutError) {
    const last = error.job ? ` (last seen ${displayText(shortState(error.job.state))})` : "";
    return new Explained(
      error,
      `${job} did not reach ${short(until)} within ${ctx.options.waitTimeoutText}${last}`,
      [
        `To keep waiting: ${follow(["wait", job, "--until", untilWords, "--timeout", ctx.options.waitTimeoutText])}`,
      ],
    );
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

/** The job a wait or an error ended on is part of the answer: printed before the error. */
async function showingLastJob<T>(ctx: Context, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const cause = error instanceof Explained ? error.cause : error;
    const last =
      cause instanceof JobFailedError || cause instanceof WaitTimeoutError ? cause.job : undefined;
    if (last) ctx.out(formatJob(last, ctx.options.output));
    throw error;
  }
}

/** A resume refused because the job already runs is the outcome the user wanted. */
async function alreadyRunning(ctx: Context, job: string, error: unknown): Promise<RlorTrainerJob> {
  const refused = error instanceof APIError && (error.status === 400 || error.status === 409);
  if (!refused) throw error;
  const current = await getRlorTrainerJob(ctx.client, job, { signal: ctx.signal });
  if (current.state !== "JOB_STATE_RUNNING") throw error;
  ctx.note(`${job} is already RUNNING: nothing to resume.\n`);
  return current;
}

const JOB_ACTIONS: Readonly<Record<string, (ctx: Context, job: string) => Promise<void>>> = {
  async get(ctx, job) {
    ctx.out(
      formatJob(await getRlorTrainerJob(ctx.client, job, queryOptions(ctx)), ctx.options.output),
    );
  },

  async resume(ctx, job) {
    const { options } = ctx;
    const until = targetsOf(options, "JOB_STATE_RUNNING");
    ctx.state.interruptHints = [
      `The resume of ${job} may not have been sent: check with ${follow(["get", job])}`,
    ];
    const sent = () => {
      ctx.state.interruptHints = [
        `The resume of ${job} was sent: follow the job with ${follow(["wait", job])}`,
      ];
    };
    try {
      if (!options.wait || options.dryRun) {
        const resumed = await resumeRlorTrainerJob(ctx.client, job, { signal: ctx.signal });
        if (options.dryRun) {
          if (options.wait) await waitFor(ctx, job, until);
          return;
        }
        ctx.note(
          `Resume sent: ${displayText(resumed.name)} is ${displayText(shortState(resumed.state))}. Follow it with: ${follow(["wait", job])}\n`,
        );
        ctx.out(formatJob(resumed, options.output));
        return;
      }
      // The first state change is the resume's own answer: from then on, the resume was sent.
      const resumeAndWait: WaitStarter = (settings) =>
        resumeRlorTrainerJobAndWait(ctx.client, job, settings);
      ctx.out(
        formatJob(
          await showingLastJob(ctx, () => waitFor(ctx, job, until, resumeAndWait, sent)),
          options.output,
        ),
      );
    } catch (error) {
      const running = await alreadyRunning(ctx, job, error);
      if (options.wait && !until.includes("JOB_STATE_RUNNING")) {
        ctx.out(
          formatJob(await showingLastJob(ctx, () => waitFor(ctx, job, until)), options.output),
        );
        return;
      }
      ctx.out(formatJob(running, options.output));
    }
  },

  async wait(ctx, job) {
    const until = targetsOf(ctx.options, "JOB_STATE_RUNNING");
    const done = await showingLastJob(ctx, () => waitFor(ctx, job, until));
    ctx.out(formatJob(done, ctx.options.output));
  },

  async cancel(ctx, job) {
    await cancelRlorTrainerJob(ctx.client, job, { signal: ctx.signal });
    await afterEmptyAnswer(ctx, job, "Cancel", "JOB_STATE_CANCELLED");
  },

  async delete(ctx, job) {
    await deleteRlorTrainerJob(ctx.client, job, { signal: ctx.signal });
    await afterEmptyAnswer(ctx, job, "Delete", "JOB_STATE_DELETED");
  },

  async "train-step"(ctx, job) {
    const { dataset = "", outputModel = "" } = ctx.options;
    await executeRlorTrainStep(ctx.client, job, { dataset, outputModel }, { signal: ctx.signal });
    ctx.note(`Train step started on ${job}. Follow it with: ${follow(["get", job])}\n`);
    ctx.out(formatNameOnly(ctx, job));
  },

  async checkpoints(ctx, job) {
    const { options } = ctx;
    if (options.all) {
      const all = [];
      for await (const item of iterateRlorTrainerJobCheckpoints(
        ctx.client,
        job,
        queryOptions(ctx),
      )) {
        all.push(item);
      }
      ctx.out(formatCheckpointList(all, options.output));
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

async function afterEmptyAnswer(ctx: Context, job: string, verb: string, target: JobState) {
  if (!ctx.options.wait) {
    const until = shortState(target);
    ctx.note(
      `${verb} sent for ${job}. Follow it with: ${follow(["wait", job, "--until", until])}\n`,
    );
    ctx.out(formatNameOnly(ctx, job));
    return;
  }
  const until = targetsOf(ctx.options, target);
  try {
    ctx.out(
      formatJob(await showingLastJob(ctx, () => waitFor(ctx, job, until)), ctx.options.output),
    );
  } catch (error) {
    // A deleted job may be gone at once rather than kept as a tombstone: that is the wait's end.
    if (target !== "JOB_STATE_DELETED" || !(error instanceof NotFoundError)) throw error;
    ctx.note(`${job} is gone.\n`);
    ctx.out(formatNameOnly(ctx, job));
  }
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
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`--file ${file}: expected a JSON object (an RlorTrainerJob)`);
  }
  return value as RlorTrainerJob;
}

const ACCOUNT_ACTIONS: Readonly<Record<string, (ctx: Context) => Promise<void>>> = {
  async list(ctx) {
    const { options } = ctx;
    const keep = (job: RlorTrainerJob) =>
      options.states.length === 0 || options.states.some((state) => state === job.state);
    if (options.all) {
      const all: RlorTrainerJob[] = [];
      for await (const job of iterateRlorTrainerJobs(ctx.client, undefined, queryOptions(ctx))) {
        if (keep(job)) all.push(job);
      }
      ctx.out(formatJobList(all, options.output));
      return;
    }
    const page = await listRlorTrainerJobs(ctx.client, undefined, queryOptions(ctx));
    const jobs = (page.rlorTrainerJobs ?? []).filter(keep);
    ctx.out(formatJobList(jobs, options.output, pageInfo(page)));
    moreNote(ctx, page.nextPageToken);
  },

  async create(ctx) {
    const { options } = ctx;
    const created = await createRlorTrainerJob(
      ctx.client,
      undefined,
      await readJobFile(ctx),
      queryOptions(ctx),
    );
    if (!options.wait) {
      ctx.out(formatJob(created, options.output));
      return;
    }
    const until = targetsOf(options, "JOB_STATE_RUNNING");
    if (options.dryRun) {
      await waitFor(ctx, "the new job", until);
      return;
    }
    if (typeof created.name !== "string" || created.name === "") {
      ctx.out(formatJob(created, options.output));
      throw new Error("the created job has no name to wait for");
    }
    const name = created.name;
    ctx.state.interruptHints = [`${name} was created: follow it with ${follow(["wait", name])}`];
    ctx.out(formatJob(await showingLastJob(ctx, () => waitFor(ctx, name, until)), options.output));
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
