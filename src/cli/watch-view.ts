import { redactJson } from "../core/redact.js";
import type { RlorTrainerJobChange } from "../core/watch.js";
import { formatElapsed } from "./duration.js";
import { shortState } from "./job-states.js";
import { columnWidths, gpuHoursTotal, tableLine } from "./output.js";
import type { ProgressStream } from "./progress.js";
import { displayText, escapeJsonControls } from "./sanitize.js";

/**
 * How a watch shows its jobs: a table of each job's last change (live on a terminal, once at
 * the end on stdout), one line per change when stderr is no terminal, or one JSON object per
 * change (-o jsonl). Every server value goes through displayText or the JSON escaping.
 */

/** A column of the watch table: its header and each job's cell, `now` in ms. */
export interface WatchColumn {
  readonly header: string;
  readonly cell: (change: RlorTrainerJobChange, now: number) => string;
}

const END_MARKS: Readonly<Record<string, string>> = { gone: " (gone)", failed: " (error)" };

/** `45%`, `45% epoch 2`, or `-`: only numbers the server sent are shown. */
function progressText(progress: unknown): string {
  if (typeof progress !== "object" || progress === null) return "-";
  const { percent, epoch } = progress as Record<string, unknown>;
  const parts = [
    typeof percent === "number" && Number.isFinite(percent) ? `${percent}%` : undefined,
    typeof epoch === "number" && Number.isFinite(epoch) ? `epoch ${epoch}` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? "-" : parts.join(" ");
}

/** Time since the job's `createTime`, or `-` when the server sent none that reads as a time. */
function age(change: RlorTrainerJobChange, now: number): string {
  const created: unknown = change.job?.createTime;
  const since = typeof created === "string" ? Date.parse(created) : Number.NaN;
  return Number.isNaN(since) || since > now ? "-" : formatElapsed(now - since);
}

/** The table's columns, in order; a column added here shows in the live and the final table. */
const WATCH_COLUMNS: readonly WatchColumn[] = [
  { header: "NAME", cell: (change) => displayText(change.name) },
  {
    header: "STATE",
    cell: (change) =>
      `${displayText(shortState(change.state))}${END_MARKS[change.end ?? ""] ?? ""}`,
  },
  { header: "PROGRESS", cell: (change) => progressText(change.progress) },
  { header: "GPU-HOURS", cell: (change) => gpuHoursTotal(change.job) },
  { header: "AGE", cell: age },
];

/** The table of the jobs' last changes, one line each, aligned. */
export function watchTableLines(
  changes: readonly RlorTrainerJobChange[],
  now: number,
  columns: readonly WatchColumn[] = WATCH_COLUMNS,
): string[] {
  const headers = columns.map((column) => column.header);
  const rows = changes.map((change) => columns.map((column) => column.cell(change, now)));
  const widths = columnWidths(headers, rows);
  return [headers, ...rows].map((row) => tableLine(row, widths));
}

/** One change as a line for people: `accounts/a/rlorTrainerJobs/j: PENDING -> RUNNING 45%`. */
export function formatChangeLine(change: RlorTrainerJobChange): string {
  const state = displayText(shortState(change.state));
  const moved =
    change.previousState === undefined || change.previousState === change.state
      ? state
      : `${displayText(shortState(change.previousState))} -> ${state}`;
  const progress = progressText(change.progress);
  const end = change.end === undefined ? "" : ` [${change.end}]`;
  return `${displayText(change.name)}: ${moved}${progress === "-" ? "" : ` ${progress}`}${end}\n`;
}

/**
 * One change as one line of JSON (-o jsonl): the job redacted as `-o json` prints it and every
 * string through `scrub` (the client's secrets, which a server may echo, say in a status
 * message), terminal controls escaped, no line break inside: each line parses on its own.
 */
export function formatChangeJson(
  change: RlorTrainerJobChange,
  scrub: (text: string) => string,
): string {
  const { error } = change;
  const line = {
    time: change.time.toISOString(),
    name: change.name,
    previousState: change.previousState ?? null,
    state: change.state ?? null,
    progress: change.progress ?? null,
    end: change.end ?? null,
    error: error === undefined ? null : { name: error.name, message: error.message },
    job: change.job ?? null,
  };
  return `${escapeJsonControls(JSON.stringify(redactJson(line, scrub)))}\n`;
}

/** A terminal: its size, when known, keeps the redrawn table within the screen. */
export interface TerminalStream extends ProgressStream {
  rows?: number | undefined;
  columns?: number | undefined;
}

export interface LiveTable {
  update(change: RlorTrainerJobChange): void;
  /** A line under the table until the next change (a failed poll, say); made safe here. */
  footnote(text: string): void;
  /** Erases the table and stops its timer; safe to call twice. */
  stop(): void;
}

const REDRAW_MS = 1_000;
const MIN_REDRAW_MS = 100;
const ERASE_DOWN = "\r\u001b[J";

/**
 * The jobs' table redrawn in place on a terminal: at most every 100 ms as changes come, and
 * every second for the ages. Rows beyond the screen's height are counted, not drawn, and lines
 * are cut at its width: the cursor goes back up exactly as many lines as were drawn.
 */
export function createLiveTable(
  stream: TerminalStream,
  columns: readonly WatchColumn[] = WATCH_COLUMNS,
): LiveTable {
  const changes = new Map<string, RlorTrainerJobChange>();
  let footnote: string | undefined;
  let drawn = 0;
  let drawnAt = 0;
  const erase = () => (drawn > 0 ? `\u001b[${drawn}A${ERASE_DOWN}` : ERASE_DOWN);
  const draw = (): void => {
    drawnAt = Date.now();
    const all = [...changes.values()];
    const room = Math.max(2, (stream.rows ?? 24) - 2);
    const shown = all.length + 1 > room ? all.slice(0, room - 2) : all;
    const width = Math.max(20, (stream.columns ?? 120) - 1);
    const lines = watchTableLines(shown, drawnAt, columns).map(
      (line) => `${line.trimEnd().slice(0, width)}\n`,
    );
    if (shown.length < all.length) lines.push(`… and ${all.length - shown.length} more\n`);
    if (footnote !== undefined) lines.push(`${footnote.slice(0, width)}\n`);
    stream.write(`${erase()}${lines.join("")}`);
    drawn = lines.length;
  };
  let timer: ReturnType<typeof setInterval> | undefined = setInterval(draw, REDRAW_MS);
  // The table must never keep the process alive on its own.
  timer.unref();
  return {
    update(change) {
      changes.set(change.name, change);
      footnote = undefined;
      if (Date.now() - drawnAt >= MIN_REDRAW_MS) draw();
    },
    footnote(text) {
      footnote = displayText(text);
      draw();
    },
    stop() {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      stream.write(erase());
      drawn = 0;
    },
  };
}
