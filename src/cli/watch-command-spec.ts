import type { CommandSpec, OwnCommand } from "./command-table.js";
import { type FlagSpec, POLL_INTERVAL, TIMEOUT, UNTIL } from "./flags.js";

/** The list's query flags a watch of the account passes on to each round's list. */
const LIST_PARAMS: ReadonlySet<string> = new Set(["filter", "pageSize"]);

const WATCH_ALL: FlagSpec = {
  name: "all",
  type: "boolean",
  description:
    "Watch the account's jobs (-a): those not at rest, or with --state those in these states; one list pass per poll.",
  example: "",
};

const WATCH_STATE: FlagSpec = {
  name: "state",
  type: "string",
  multiple: true,
  value: "<state>",
  description: "With --all: watch the jobs seen in these states, e.g. RUNNING,PENDING; repeatable.",
};

const WATCH_UNTIL: FlagSpec = {
  ...UNTIL,
  description:
    "States that end a job's watch (default COMPLETED,EARLY_STOPPED,PAUSED); a job that ends in another state it cannot leave exits 4.",
};

const WATCH_TIMEOUT: FlagSpec = {
  name: TIMEOUT.name,
  type: "string",
  value: "<dur>",
  description: "Give up after this long, exit 3 (default: no limit).",
};

/**
 * `watch` is the CLI's own: no operation, jobs or (with --all) the account's jobs, listed with
 * the list's --filter and --page-size.
 */
export function watchCommand(list: CommandSpec | undefined): OwnCommand {
  return {
    name: "watch",
    summary: "Watch jobs until each ends: a live table, or one JSON line per change (-o jsonl).",
    target: "jobs-or-account",
    queryFlags: (list?.queryFlags ?? []).filter((flag) => LIST_PARAMS.has(flag.param)),
    ownFlags: [WATCH_ALL, WATCH_STATE, WATCH_UNTIL, WATCH_TIMEOUT, POLL_INTERVAL],
    waits: "always",
    // A watch is a stream: a live table (text), or one JSON object per line.
    outputs: ["text", "jsonl"],
  };
}
