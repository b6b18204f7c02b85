// `fireworks-rlor report <job>`: what Fireworks support asks for when a job misbehaves, and
// nothing secret. The job goes through redactJob, and the whole report (request ids and the
// checkpoint are the server's text too) through the client's scrubber.
import {
  getRlorTrainerJob,
  iterateRlorTrainerJobCheckpoints,
  type RlorTrainerJob,
  type RlorTrainerJobCheckpoint,
} from "../../generated/operations.js";
import { type FireworksClient, scrubberOf } from "../core/client.js";
import { redactJob, redactJson } from "../core/redact.js";
import { type ErrorReason, errorReasonOf } from "../core/rpc-details.js";
import type { Fetch } from "../internal/request.js";
import { VERSION } from "../version.js";
import { formatDuration } from "./duration.js";
import { PROGRAM } from "./help.js";
import { shortState } from "./job-states.js";
import { field } from "./output.js";
import { displayText } from "./sanitize.js";

/** One request this run sent: what support matches against the server's logs. */
export interface SentRequest {
  readonly method: string;
  /** The URL's path, without the query (a page token means nothing to support). */
  readonly path: string;
  readonly status: number;
  /** The server's `x-request-id`. */
  readonly requestId: string | undefined;
}

/** The requests a run remembers: a report sends a handful; a long watch must not grow forever. */
const MAX_SENT = 100;

/** A fetch that notes each answered request in `sent` (the newest MAX_SENT). */
export function recordingFetch(fetch: Fetch, sent: SentRequest[]): Fetch {
  return async (url, init) => {
    const response = await fetch(url, init);
    sent.push({
      method: init.method ?? "GET",
      path: new URL(url).pathname,
      status: response.status,
      requestId: response.headers.get("x-request-id") ?? undefined,
    });
    if (sent.length > MAX_SENT) sent.shift();
    return response;
  };
}

/** What `report` prints: times in UTC as the server gave them, secrets redacted. */
export interface SupportReport {
  readonly generatedAt: string;
  readonly tool: { readonly name: string; readonly version: string; readonly node: string };
  readonly job: {
    readonly name: unknown;
    readonly state: unknown;
    readonly status: unknown;
    readonly reason: ErrorReason;
    readonly createTime: unknown;
    readonly completedTime: unknown;
    /** From createTime to completedTime, or to now while it is not done; ms. */
    readonly elapsedMs: number | undefined;
    readonly baseModel: unknown;
    readonly shape: Record<string, unknown>;
    readonly jobProgress: unknown;
  };
  readonly newestCheckpoint: RlorTrainerJobCheckpoint | undefined;
  readonly requests: readonly SentRequest[];
  /** The whole job as the server sent it, secrets redacted (in `-o json`). */
  readonly rawJob: RlorTrainerJob;
}

function timeOf(value: unknown): number | undefined {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** The checkpoint with the latest createTime, over every page. */
async function newestCheckpoint(
  client: FireworksClient,
  job: string,
  signal: AbortSignal,
): Promise<RlorTrainerJobCheckpoint | undefined> {
  let newest: RlorTrainerJobCheckpoint | undefined;
  for await (const checkpoint of iterateRlorTrainerJobCheckpoints(client, job, { signal })) {
    if ((timeOf(checkpoint.createTime) ?? -1) > (timeOf(newest?.createTime) ?? -1)) {
      newest = checkpoint;
    }
  }
  return newest;
}

/** Reads the job and its checkpoints; `sent` is this run's requests so far (these included). */
export async function buildSupportReport(
  client: FireworksClient,
  jobRef: string,
  signal: AbortSignal,
  sent: readonly SentRequest[],
  now: Date = new Date(),
): Promise<SupportReport> {
  const job = redactJob(await getRlorTrainerJob(client, jobRef, { signal }));
  const checkpoint = await newestCheckpoint(client, jobRef, signal);
  const created = timeOf(job.createTime);
  const ended = timeOf(job.completedTime) ?? now.getTime();
  const config = job.trainingConfig ?? undefined;
  const report: SupportReport = {
    generatedAt: now.toISOString(),
    tool: { name: PROGRAM, version: VERSION, node: process.version },
    job: {
      name: job.name,
      state: job.state,
      status: job.status,
      reason: errorReasonOf(field(job, "status", "details")),
      createTime: job.createTime,
      completedTime: job.completedTime,
      elapsedMs: created === undefined ? undefined : Math.max(0, ended - created),
      baseModel: field(config, "baseModel"),
      shape: {
        nodeCount: job.nodeCount,
        acceleratorTypes: Object.keys(job.acceleratorSeconds ?? {}),
        loraRank: field(config, "loraRank"),
        maxContextLength: field(config, "maxContextLength"),
        region: field(config, "region"),
      },
      jobProgress: job.jobProgress,
    },
    newestCheckpoint: checkpoint,
    requests: [...sent],
    rawJob: job,
  };
  return redactJson(report, scrubberOf(client));
}

function reasonText({ reason, domain, metadata }: ErrorReason): string {
  if (reason === undefined) return "- (the server sent no ErrorInfo)";
  const meta = Object.keys(metadata).length > 0 ? ` ${displayText(metadata)}` : "";
  return `${displayText(reason)}${domain ? ` (${displayText(domain)})` : ""}${meta}`;
}

function checkpointText(checkpoint: RlorTrainerJobCheckpoint | undefined): string {
  if (checkpoint === undefined) return "none";
  const type = displayText(checkpoint.checkpointType).replace(/^CHECKPOINT_TYPE_/, "");
  return `${displayText(checkpoint.name)} (${type}, promotable ${displayText(checkpoint.promotable)}, created ${displayText(checkpoint.createTime)})`;
}

function requestLine(request: SentRequest): string {
  const id = request.requestId === undefined ? "no request id" : `request id ${request.requestId}`;
  return `  ${request.method} ${request.path} -> ${request.status} (${displayText(id)})`;
}

/** The report as aligned lines, for pasting into a ticket. */
export function formatSupportReport(report: SupportReport): string {
  const { job } = report;
  const rows: [string, string][] = [
    ["Generated (UTC)", report.generatedAt],
    ["Job", displayText(job.name)],
    ["State", displayText(shortState(job.state))],
    ["Status", displayText(job.status)],
    ["Reason", reasonText(job.reason)],
    ["Created", displayText(job.createTime)],
    ["Completed", displayText(job.completedTime)],
    ["Elapsed", job.elapsedMs === undefined ? "-" : formatDuration(job.elapsedMs)],
    ["Base model", displayText(job.baseModel)],
    ["Shape", displayText(job.shape)],
    ["Progress", displayText(job.jobProgress)],
    ["Newest checkpoint", checkpointText(report.newestCheckpoint)],
    ["Tool", `${report.tool.name} ${report.tool.version}, Node ${report.tool.node}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}${value}`);
  return `${[...lines, "Requests", ...report.requests.map(requestLine)].join("\n")}\n`;
}
