import { gpuHoursOf } from "../core/gpu-hours.js";
import type { TrainerEndpoint } from "../core/health.js";
import { redactJob } from "../core/redact.js";
import type { OutputFormat } from "./args.js";
import { shortState } from "./job-states.js";
import { boundedValue, JSON_LIMIT } from "./print-limits.js";
import { displayText, escapeJsonControls } from "./sanitize.js";

/**
 * How jobs, lists and checkpoints are printed. The server's JSON is read as `unknown` fields:
 * whatever it sends (a number for a state, null for a config), printing must not throw.
 */

/** A field of a value that should be an object, read without trusting its shape. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * As the API returned it, secrets redacted, terminal controls escaped: one JSON document, cut
 * and marked past JSON_LIMIT characters or MAX_PRINT_DEPTH levels (redacted first, so that no
 * cut leaves part of a secret).
 */
export function formatJson(value: unknown): string {
  const printed = boundedValue(redactJob(value), JSON_LIMIT);
  return `${escapeJsonControls(JSON.stringify(printed, null, 2) ?? "null")}\n`;
}

function statusText(job: unknown): string {
  const parts = [field(job, "status", "code"), field(job, "status", "message")].filter(
    (part) => part !== undefined && part !== null && part !== "",
  );
  return parts.length === 0 ? "-" : parts.map(displayText).join(": ");
}

/** Hours as people read them: at most two decimals (7200 s is "2", 90 s "0.03"). */
function hoursText(hours: number): string {
  return String(Number(hours.toFixed(2)));
}

/** The job's GPU-hours in all; "-" when it reports none. */
export function gpuHoursTotal(job: unknown): string {
  const { total, byAccelerator } = gpuHoursOf(job);
  return byAccelerator.size === 0 ? "-" : hoursText(total);
}

/** The total, then each accelerator type's share: `3.5 (NVIDIA_A100_80GB 1.5, NVIDIA_H100_80GB 2)`. */
function gpuHoursDetail(job: unknown): string {
  const { byAccelerator } = gpuHoursOf(job);
  const parts = [...byAccelerator].map(
    ([accelerator, hours]) => `${displayText(accelerator)} ${hoursText(hours)}`,
  );
  return parts.length === 0 ? "-" : `${gpuHoursTotal(job)} (${parts.join(", ")})`;
}

/** The fields a person looks at first, in reading order. */
function summaryRows(job: unknown): [string, string][] {
  return [
    ["Name", displayText(field(job, "name"))],
    ["Display name", displayText(field(job, "displayName"))],
    ["State", displayText(shortState(field(job, "state")))],
    ["Status", statusText(job)],
    ["Created", displayText(field(job, "createTime"))],
    ["Completed", displayText(field(job, "completedTime"))],
    ["Base model", displayText(field(job, "trainingConfig", "baseModel"))],
    ["Output model", displayText(field(job, "trainingConfig", "outputModel"))],
    ["GPU-hours", gpuHoursDetail(job)],
  ];
}

/** An aligned two-column summary, one field per line. */
function formatRows(rows: readonly [string, string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}\n`).join("");
}

/** A resource's name alone on its line (`-o name`), for `xargs` and shell loops. */
function nameLine(resource: unknown): string {
  return `${displayText(field(resource, "name"))}\n`;
}

export function formatJob(job: unknown, format: OutputFormat): string {
  if (format === "json") return formatJson(job);
  return format === "name" ? nameLine(job) : formatRows(summaryRows(job));
}

/** A model a promote made: its name, state, kind and when, or the JSON, or its name. */
export function formatModel(model: unknown, format: OutputFormat): string {
  if (format === "json") return formatJson(model);
  if (format === "name") return nameLine(model);
  return formatRows([
    ["Name", displayText(field(model, "name"))],
    ["State", displayText(field(model, "state"))],
    ["Kind", displayText(field(model, "kind"))],
    ["Created", displayText(field(model, "createTime"))],
  ]);
}

/**
 * A ready job and its trainer's endpoint: in text, the job's summary and where the trainer
 * answers; in JSON, `{job, endpoint}`; as a name, the job's.
 */
export function formatReady(job: unknown, endpoint: TrainerEndpoint, format: OutputFormat): string {
  if (format === "json") return formatJson({ job, endpoint });
  if (format === "name") return nameLine(job);
  return formatRows([
    ...summaryRows(job),
    ["Trainer", displayText(endpoint.baseUrl)],
    ["Max context", displayText(endpoint.maxContextLength ?? "-")],
  ]);
}

/** What a list prints: its JSON key, its table's columns and each item's cells. */
interface ListShape {
  readonly key: string;
  readonly headers: readonly string[];
  readonly row: (item: unknown) => string[];
}

const JOBS: ListShape = {
  key: "rlorTrainerJobs",
  headers: ["NAME", "STATE", "CREATED", "BASE MODEL"],
  row: (job) => [
    displayText(field(job, "name")),
    displayText(shortState(field(job, "state"))),
    displayText(field(job, "createTime")),
    displayText(field(job, "trainingConfig", "baseModel")),
  ],
};

/** `list --wide`: the jobs' columns, then what they cost. */
const JOBS_WIDE: ListShape = {
  ...JOBS,
  headers: [...JOBS.headers, "GPU-HOURS"],
  row: (job) => [...JOBS.row(job), gpuHoursTotal(job)],
};

const CHECKPOINTS: ListShape = {
  key: "checkpoints",
  headers: ["NAME", "TYPE", "PROMOTABLE", "CREATED"],
  row: (checkpoint) => [
    displayText(field(checkpoint, "name")),
    displayText(field(checkpoint, "checkpointType")).replace(/^CHECKPOINT_TYPE_/, ""),
    displayText(field(checkpoint, "promotable")),
    displayText(field(checkpoint, "createTime")),
  ],
};

export function columnWidths(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): number[] {
  return headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
}

/** One table line: cells left-aligned to `widths`, two spaces apart, as firectl prints lists. */
export function tableLine(cells: readonly string[], widths: readonly number[]): string {
  return `${cells
    .map((cell, i) => cell.padEnd(widths[i] ?? 0))
    .join("  ")
    .trimEnd()}\n`;
}

/** One page of a list: an aligned table, names, or the JSON with the page's token and size. */
function formatList(
  shape: ListShape,
  items: readonly unknown[],
  format: OutputFormat,
  page: { nextPageToken?: unknown; totalSize?: unknown },
): string {
  if (format === "json") return formatJson({ [shape.key]: items, ...page });
  if (format === "name") return items.map(nameLine).join("");
  const rows = items.map(shape.row);
  const widths = columnWidths(shape.headers, rows);
  return [shape.headers, ...rows].map((row) => tableLine(row, widths)).join("");
}

/**
 * A list of jobs: an aligned table (name, state, created, base model; `wide` adds GPU-hours),
 * names, or the JSON.
 */
export function formatJobList(
  jobs: readonly unknown[],
  format: OutputFormat,
  page: { nextPageToken?: unknown; totalSize?: unknown } = {},
  wide = false,
): string {
  return formatList(wide ? JOBS_WIDE : JOBS, jobs, format, page);
}

export function formatCheckpointList(
  checkpoints: readonly unknown[],
  format: OutputFormat,
  page: { nextPageToken?: unknown; totalSize?: unknown } = {},
): string {
  return formatList(CHECKPOINTS, checkpoints, format, page);
}

/**
 * A whole list printed page by page as the pages arrive (`--all`), so that only one page is
 * held at a time: `page` gives the text of one page's items, `end` what closes the list.
 */
export interface ListPrinter {
  page(items: readonly unknown[]): string;
  end(): string;
}

/**
 * The table's column widths are the first page's: later rows are not realigned, and a wider
 * cell pushes the rest of its line.
 */
function tablePrinter(shape: ListShape): ListPrinter {
  let widths: number[] | undefined;
  return {
    page(items) {
      if (items.length === 0) return "";
      const rows = items.map(shape.row);
      const head = widths === undefined ? [shape.headers] : [];
      widths ??= columnWidths(shape.headers, rows);
      const fixed = widths;
      return [...head, ...rows].map((row) => tableLine(row, fixed)).join("");
    },
    end: () => (widths === undefined ? formatList(shape, [], "text", {}) : ""),
  };
}

/**
 * The same document `formatList` prints for all the items at once, `{ "<key>": [ ... ] }`, byte
 * for byte, written an item at a time. A list that fails midway is left unclosed: no JSON reader
 * takes the part for the whole.
 */
function jsonPrinter(shape: ListShape): ListPrinter {
  let count = 0;
  const opening = `{\n  ${JSON.stringify(shape.key)}: [\n`;
  const item = (value: unknown) =>
    `${count++ === 0 ? opening : ",\n"}    ${formatJson(value).trimEnd().replaceAll("\n", "\n    ")}`;
  return {
    page: (items) => items.map(item).join(""),
    end: () => (count === 0 ? formatJson({ [shape.key]: [] }) : "\n  ]\n}\n"),
  };
}

function listPrinter(shape: ListShape, format: OutputFormat): ListPrinter {
  if (format === "json") return jsonPrinter(shape);
  if (format === "name") return { page: (items) => items.map(nameLine).join(""), end: () => "" };
  return tablePrinter(shape);
}

export function jobListPrinter(format: OutputFormat, wide = false): ListPrinter {
  return listPrinter(wide ? JOBS_WIDE : JOBS, format);
}

export function checkpointListPrinter(format: OutputFormat): ListPrinter {
  return listPrinter(CHECKPOINTS, format);
}
