import { RLOR_TRAINER_JOB_PATTERN } from "../../generated/names.js";
import { OPERATIONS } from "../../generated/operation-table.js";
import type { OperationEntry, QueryEntry } from "../../generated/runtime.js";
import type { OutputFormat } from "./args.js";
import {
  CREATE_UNTIL,
  type FlagSpec,
  LIFECYCLE_FLAGS,
  lifecycleFlags,
  POLL_INTERVAL,
  RECONNECT_UNTIL,
  runningWaitFlags,
  SETTLE_TIMEOUT,
  TIMEOUT,
  WAIT_TIMEOUT,
  waitFlags,
} from "./flags.js";
import { watchCommand } from "./watch-command-spec.js";

/**
 * The commands. Whatever the spec knows comes from the generated operation table: each command's
 * summary, its query flags (`readMask` is `--read-mask`) and whether it takes jobs or works on the
 * account. Only the command names and the flags of the CLI's own behaviour (waiting, files,
 * output) are written here.
 */

/** A query parameter exposed as a flag; `param` is its name in the API. */
export interface QueryFlag extends FlagSpec {
  readonly param: string;
  readonly paramType: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly aliases: readonly string[];
  /** The operation it maps to; `wait` has none. */
  readonly operation: OperationEntry | undefined;
  readonly summary: string;
  /**
   * `jobs`: takes one or more jobs; `account`: works on the account (-a), no positionals;
   * `jobs-or-account`: jobs, or with --all the account's (watch).
   */
  readonly target: "jobs" | "account" | "jobs-or-account";
  readonly queryFlags: readonly QueryFlag[];
  /** The CLI's own flags of this command. */
  readonly ownFlags: readonly FlagSpec[];
  /** Whether it waits by itself (`wait`), or with `waitFlag`, or never. */
  readonly waits: "always" | "with-flag" | "never";
  /** The flag that makes it wait, without dashes: `follow` for logs; absent: `wait`. */
  readonly waitFlag?: string;
  /** The -o formats it takes, the first the default; absent: text, json and name. */
  readonly outputs?: readonly OutputFormat[];
}

/** Query parameters whose flag is not their kebab-cased name: the job id of create is `--job-id`. */
const FLAG_RENAMES: Readonly<Record<string, string>> = { rlorTrainerJobId: "job-id" };

const STATE: FlagSpec = {
  name: "state",
  type: "string",
  multiple: true,
  value: "<state>",
  description: "Keep only jobs in these states, e.g. PAUSED or RUNNING,PENDING; repeatable.",
  example: "PAUSED",
};

const ALL: FlagSpec = {
  name: "all",
  type: "boolean",
  description: "Fetch every page (default: the first page only).",
  example: "",
};

const FILE: FlagSpec = {
  name: "file",
  required: true,
  short: "f",
  type: "string",
  value: "<file>",
  description: "The job to create, as JSON (an RlorTrainerJob); - reads stdin.",
};

const DATASET: FlagSpec = {
  name: "dataset",
  required: true,
  type: "string",
  value: "<dataset>",
  description: "Dataset to process for this iteration (required).",
  example: "my-dataset",
};

const OUTPUT_MODEL: FlagSpec = {
  name: "output-model",
  required: true,
  type: "string",
  value: "<model>",
  description: "Output model to materialize when training completes (required).",
  example: "my-model",
};

const FOLLOW: FlagSpec = {
  name: "follow",
  // As in tail -f and kubectl logs -f; create's -f (its file) is another command's flag.
  short: "f",
  type: "boolean",
  description:
    "Print the log and keep printing what the trainer adds, every poll interval, until the job ends (or pauses); Ctrl-C stops.",
  example: "",
};

const CONTENT: FlagSpec = {
  name: "content",
  type: "boolean",
  description: "Print the log itself, once, instead of its signed URL.",
  example: "",
};

const WIDE: FlagSpec = {
  name: "wide",
  type: "boolean",
  description: "More columns: GPU-hours.",
};

const CHECKPOINT: FlagSpec = {
  name: "checkpoint",
  type: "string",
  value: "<id>",
  description:
    "The checkpoint to promote: its id (step-120) or full name, as `checkpoints` lists it. Or --latest.",
};

const LATEST: FlagSpec = {
  name: "latest",
  type: "boolean",
  description: "Promote the newest checkpoint listed as promotable. Or --checkpoint.",
  example: "",
};

const PROMOTE_OUTPUT_MODEL: FlagSpec = {
  name: "output-model",
  required: true,
  type: "string",
  value: "<model>",
  description:
    "The model to make: a model id of the job's account, or accounts/<account>/models/<model> (required).",
  example: "my-model",
};

const BASE_MODEL: FlagSpec = {
  name: "base-model",
  type: "string",
  value: "<model>",
  description:
    "The base model the new model takes its metadata from (default: the job's trainingConfig.baseModel).",
};

interface CommandName {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly ownFlags?: readonly FlagSpec[];
  readonly waits?: "with-flag";
  readonly waitFlag?: string;
  /** When the command takes other than the operation's resource: promote takes a job. */
  readonly target?: "jobs";
}

/** The one hand-written map: operationId to the command's name, aliases and own flags. */
const NAMES: Readonly<Record<string, CommandName>> = {
  listRlorTrainerJobs: { name: "list", aliases: ["ls"], ownFlags: [STATE, ALL, WIDE] },
  createRlorTrainerJob: {
    name: "create",
    ownFlags: [FILE, ...LIFECYCLE_FLAGS, ...runningWaitFlags(CREATE_UNTIL)],
    waits: "with-flag",
  },
  getRlorTrainerJob: { name: "get" },
  resumeRlorTrainerJob: {
    name: "resume",
    ownFlags: [...LIFECYCLE_FLAGS, ...runningWaitFlags()],
    waits: "with-flag",
  },
  // firectl's defaults for these waits.
  cancelRlorTrainerJob: { name: "cancel", ownFlags: lifecycleFlags("10m"), waits: "with-flag" },
  deleteRlorTrainerJob: {
    name: "delete",
    aliases: ["rm"],
    ownFlags: lifecycleFlags("30m"),
    waits: "with-flag",
  },
  executeRlorTrainStep: { name: "train-step", ownFlags: [DATASET, OUTPUT_MODEL] },
  listRlorTrainerJobCheckpoints: { name: "checkpoints", ownFlags: [ALL] },
  getRlorTrainerJobPublicLogs: {
    name: "logs",
    ownFlags: [FOLLOW, CONTENT, POLL_INTERVAL],
    waits: "with-flag",
    waitFlag: "follow",
  },
  // The promote names a checkpoint of the account; the CLI finds it from the job.
  promoteCheckpoint: {
    name: "promote",
    ownFlags: [CHECKPOINT, LATEST, PROMOTE_OUTPUT_MODEL, BASE_MODEL],
    target: "jobs",
  },
};

/** `readMask` -> `read-mask`. */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The first sentence of a description: one help line. */
function firstSentence(text: string | undefined): string {
  if (text === undefined) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  const end = flat.search(/\.(\s|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}

function placeholder(entry: QueryEntry): string {
  if (entry.type === "number") return "<n>";
  return `<${kebab(FLAG_RENAMES[entry.name] ?? entry.name).replace(/-id$/, "")}>`;
}

function queryFlag(entry: QueryEntry): QueryFlag {
  const boolean = entry.type === "boolean";
  const flag: QueryFlag = {
    name: FLAG_RENAMES[entry.name] ?? kebab(entry.name),
    type: boolean ? "boolean" : "string",
    description: firstSentence(entry.description),
    param: entry.name,
    paramType: entry.type,
  };
  return boolean ? flag : { ...flag, value: placeholder(entry) };
}

function fromOperation(operation: OperationEntry): CommandSpec | undefined {
  const name = NAMES[operation.operationId];
  if (name === undefined) return undefined;
  return {
    name: name.name,
    aliases: name.aliases ?? [],
    operation,
    summary: operation.summary ?? operation.operationId,
    // A collection's parent is the account; everything else names a job (or lists under one).
    target: name.target ?? (operation.resource === RLOR_TRAINER_JOB_PATTERN ? "jobs" : "account"),
    queryFlags: operation.query.map(queryFlag),
    ownFlags: name.ownFlags ?? [],
    waits: name.waits ?? "never",
    ...(name.waitFlag === undefined ? {} : { waitFlag: name.waitFlag }),
  };
}

/** A command of the CLI's own, with no operation: what it is; the rest is the defaults'. */
export type OwnCommand = Pick<CommandSpec, "name" | "summary" | "ownFlags" | "waits"> &
  Partial<Pick<CommandSpec, "target" | "queryFlags" | "outputs">>;

function ownCommand(command: OwnCommand): CommandSpec {
  return { aliases: [], operation: undefined, target: "jobs", queryFlags: [], ...command };
}

/** `wait`: polling, no operation of its own. */
const WAIT_COMMAND = ownCommand({
  name: "wait",
  summary: "Wait until a job reaches a state (default RUNNING).",
  ownFlags: [TIMEOUT, WAIT_TIMEOUT, POLL_INTERVAL, ...runningWaitFlags()],
  waits: "always",
});

/** `report`: a job's facts for a support ticket, from a get and a list. */
const REPORT_COMMAND = ownCommand({
  name: "report",
  summary: "A job's facts for a support ticket: times, state, reason, request ids.",
  ownFlags: [],
  waits: "never",
  // The report is for a person or a ticket: it has no name of its own to print.
  outputs: ["text", "json"],
});

/** `reconnect`: a read, maybe a resume, then a ready wait. */
const RECONNECT_COMMAND = ownCommand({
  name: "reconnect",
  summary:
    "Get a job back to a ready trainer from whatever state it is in: wait if it runs, resume it if it rests, then wait until its trainer answers.",
  ownFlags: [...waitFlags("10m"), ...runningWaitFlags(RECONNECT_UNTIL), SETTLE_TIMEOUT],
  waits: "always",
});

const FROM_SPEC = OPERATIONS.flatMap((operation) => fromOperation(operation) ?? []);

/** Every command, in the spec's order, then the CLI's own. */
export const COMMANDS: readonly CommandSpec[] = [
  ...FROM_SPEC,
  WAIT_COMMAND,
  RECONNECT_COMMAND,
  REPORT_COMMAND,
  ownCommand(watchCommand(FROM_SPEC.find((command) => command.name === "list"))),
];

export function findCommand(word: string | undefined): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === word || command.aliases.includes(word ?? ""));
}

/** Every flag a command takes, its own and query flags first, then the global ones. */
export function commandFlags(command: CommandSpec, globals: readonly FlagSpec[]): FlagSpec[] {
  return [...command.queryFlags, ...command.ownFlags, ...globals];
}
