import { redactJob } from "../core/redact.js";
import type { OutputFormat } from "./args.js";
import { shortState } from "./job-states.js";
import { displayText, escapeJsonControls } from "./sanitize.js";

/**
 * How jobs, lists and checkpoints are printed. The server's JSON is read as `unknown` fields:
 * whatever it sends (a number for a state, null for a config), printing must not throw.
 */

/** A field of a value that should be an object, read without trusting its shape. */
function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** As the API returned it, secrets redacted, terminal controls escaped: one JSON document. */
export function formatJson(value: unknown): string {
  return `${escapeJsonControls(JSON.stringify(redactJob(value), null, 2) ?? "null")}\n`;
}

function statusText(job: unknown): string {
  const parts = [field(job, "status", "code"), field(job, "status", "message")].filter(
    (part) => part !== undefined && part !== null && part !== "",
  );
  return parts.length === 0 ? "-" : parts.map(displayText).join(": ");
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
  ];
}

/** An aligned two-column summary, one field per line. */
function formatJobText(job: unknown): string {
  const rows = summaryRows(job);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}\n`).join("");
}

/** A resource's name alone on its line (`-o name`), for `xargs` and shell loops. */
function nameLine(resource: unknown): string {
  return `${displayText(field(resource, "name"))}\n`;
}

export function formatJob(job: unknown, format: OutputFormat): string {
  if (format === "json") return formatJson(job);
  return format === "name" ? nameLine(job) : formatJobText(job);
}

/** Columns, left-aligned, two spaces apart, as firectl prints lists. */
function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    `${cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd()}\n`;
  return [headers, ...rows].map(line).join("");
}

/** A list of jobs: an aligned table (name, state, created, base model), names, or the JSON. */
export function formatJobList(
  jobs: readonly unknown[],
  format: OutputFormat,
  page: { nextPageToken?: unknown; totalSize?: unknown } = {},
): string {
  if (format === "json") return formatJson({ rlorTrainerJobs: jobs, ...page });
  if (format === "name") return jobs.map(nameLine).join("");
  const rows = jobs.map((job) => [
    displayText(field(job, "name")),
    displayText(shortState(field(job, "state"))),
    displayText(field(job, "createTime")),
    displayText(field(job, "trainingConfig", "baseModel")),
  ]);
  return table(["NAME", "STATE", "CREATED", "BASE MODEL"], rows);
}

export function formatCheckpointList(
  checkpoints: readonly unknown[],
  format: OutputFormat,
  page: { nextPageToken?: unknown; totalSize?: unknown } = {},
): string {
  if (format === "json") return formatJson({ checkpoints, ...page });
  if (format === "name") return checkpoints.map(nameLine).join("");
  const rows = checkpoints.map((checkpoint) => [
    displayText(field(checkpoint, "name")),
    displayText(field(checkpoint, "checkpointType")).replace(/^CHECKPOINT_TYPE_/, ""),
    displayText(field(checkpoint, "promotable")),
    displayText(field(checkpoint, "createTime")),
  ]);
  return table(["NAME", "TYPE", "PROMOTABLE", "CREATED"], rows);
}
