import type { RlorTrainerJob } from "../../generated/operations.js";
import { redactJob } from "../core/redact.js";
import type { OutputFormat } from "./args.js";
import { shortState } from "./job-states.js";

function statusText(job: RlorTrainerJob): string {
  const { code, message } = job.status ?? {};
  if (!code && !message) return "-";
  return [code, message].filter(Boolean).join(": ");
}

/** The fields a person looks at first, in reading order. */
function summaryRows(job: RlorTrainerJob): [string, string][] {
  return [
    ["Name", job.name || "-"],
    ["Display name", job.displayName || "-"],
    ["State", shortState(job.state)],
    ["Status", statusText(job)],
    ["Created", job.createTime || "-"],
    ["Completed", job.completedTime || "-"],
    ["Base model", job.trainingConfig?.baseModel || "-"],
    ["Output model", job.trainingConfig?.outputModel || "-"],
  ];
}

/** An aligned two-column summary, one field per line. */
function formatJobText(job: RlorTrainerJob): string {
  const rows = summaryRows(job);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${label.padEnd(width)}${value}\n`).join("");
}

/** The job as the API returned it, secrets redacted, as one JSON document. */
function formatJobJson(job: RlorTrainerJob): string {
  return `${JSON.stringify(redactJob(job), null, 2)}\n`;
}

export function formatJob(job: RlorTrainerJob, format: OutputFormat): string {
  return format === "json" ? formatJobJson(job) : formatJobText(job);
}
