// The trainer's health probe: whether a RUNNING job's trainer answers yet. A job reads RUNNING
// before its trainer process serves, and a crashed trainer may stay RUNNING; the official
// training SDK therefore waits for RUNNING and a 200 from this probe, and so do ready waits here.

import type { RlorTrainerJobRef } from "../../generated/names.js";
import type { RlorTrainerJob } from "../../generated/operations.js";
import { quote } from "../../generated/runtime.js";
import { isJsonObject } from "../internal/json.js";
import { checkKeyOrigin } from "../internal/key-origin.js";
import { type FireworksClient, proberOf } from "./client.js";
import { InvalidArgumentError } from "./errors.js";
import { resolveJob } from "./job-name.js";

/** Each probe's own time limit (ms), as the training SDK's; less when the client's is less. */
export const HEALTH_PROBE_TIMEOUT = 5_000;

/** Where a ready trainer answers: what the training SDK hands back once it is ready. */
export interface TrainerEndpoint {
  /**
   * The base URL that answered the probe: the API gateway's route to the trainer,
   * `{baseUrl}/training/v1/rlorTrainerJobs/{account}/{job}`, or the job's `directRouteHandle`.
   * The trainer's own paths (`/api/v1/...`) go after it.
   */
  readonly baseUrl: string;
  /** The job's full name, `accounts/{account}/rlorTrainerJobs/{job}`. */
  readonly jobName: string;
  /** The job's id, the last segment of its name. */
  readonly jobId: string;
  /** The job's `trainingConfig.maxContextLength`, when it has one. */
  readonly maxContextLength: number | undefined;
}

/** A job that is RUNNING and whose trainer answered its health probe. */
export interface ReadyTrainerJob {
  readonly job: RlorTrainerJob;
  readonly endpoint: TrainerEndpoint;
}

/** One health probe and what it found. */
export interface HealthProbe {
  /** The URL probed (it carries no secret: the key travels in a header). */
  readonly url: string;
  /** The HTTP status it answered; undefined when none came (connection error, timeout, redirect). */
  readonly status: number | undefined;
  /** Whether the trainer is ready: the status was 200. */
  readonly ready: boolean;
}

/** The probes made for one RUNNING job seen, and the endpoint when one answered 200. */
export interface ProbeRound {
  readonly probes: readonly HealthProbe[];
  readonly endpoint: TrainerEndpoint | undefined;
}

/** A probe round in a word, to tell one round from the next: each probe's status, or "error". */
export function probeOutcome(round: ProbeRound): string {
  return round.probes.map((probe) => String(probe.status ?? "error")).join(",");
}

/** How a wait asks whether the RUNNING job it sees is ready; aborting `signal` ends the probe. */
export type ReadyCheck = (job: RlorTrainerJob, signal: AbortSignal) => Promise<ProbeRound>;

/** What a ready wait takes besides the wait's own options. */
export interface ReadyOptions {
  /**
   * Origins (`https://trainer.example.com`) besides the client's own that may be sent the API
   * key: a job's `directRouteHandle` on one of them is probed when the gateway's route is not
   * ready. A handle on any other origin is never probed: the server names it, the caller did
   * not choose it. Only https, or plain http to a loopback host. Default none.
   */
  trustedOrigins?: readonly string[] | undefined;
  /** Called with each health probe made; an exception thrown here ends the wait. */
  onProbe?: ((probe: HealthProbe, job: RlorTrainerJob) => void) | undefined;
}

/**
 * The trusted origins, checked: each an http(s) origin alone (no path, query, credentials),
 * https unless loopback. Throws InvalidArgumentError before anything is sent.
 */
export function checkTrustedOrigins(origins: readonly string[] | undefined): ReadonlySet<string> {
  const checked = new Set<string>();
  for (const origin of origins ?? []) {
    const bad = (why: string) =>
      new InvalidArgumentError(`trustedOrigins: ${quote(String(origin))} ${why}`);
    if (typeof origin !== "string" || !URL.canParse(origin)) {
      throw bad("is not a URL (expected an origin such as https://trainer.example.com)");
    }
    const url = new URL(origin);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw bad("is not http(s)");
    if (url.username || url.password || url.search || url.hash || url.pathname !== "/") {
      throw bad("is not an origin alone (no path, query, fragment or credentials)");
    }
    try {
      checkKeyOrigin(url);
    } catch (error) {
      throw bad(`is not trusted: ${(error as Error).message}`);
    }
    checked.add(url.origin);
  }
  return checked;
}

function maxContextLengthOf(job: RlorTrainerJob): number | undefined {
  const config: unknown = job.trainingConfig;
  const value = isJsonObject(config) ? config.maxContextLength : undefined;
  return typeof value === "number" ? value : undefined;
}

/**
 * The base URL of a `directRouteHandle` (a host name, or a URL), or undefined when it is none
 * the client may send its key to: neither on the client's origin nor on a trusted one.
 */
function directBase(
  handle: unknown,
  own: string,
  trusted: ReadonlySet<string>,
): string | undefined {
  if (typeof handle !== "string" || handle === "") return undefined;
  const text = handle.includes("://") ? handle : `https://${handle}`;
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (url.origin !== own && !trusted.has(url.origin)) return undefined;
  if (url.search || url.hash || url.username || url.password) return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * The probe of a job: the API gateway's route to its trainer, then, when that is not ready, its
 * `directRouteHandle` if the client may send its key there. A non-200 answer or a failed request
 * means "not yet", never a failure; only the caller's abort (or the wait's limit) ends it.
 * Checks the client and the options at once, and each job reference as it is given, so that
 * bad input fails before any request.
 */
export function readyCheckFor(
  client: FireworksClient,
  options: ReadyOptions,
): (ref: RlorTrainerJobRef) => ReadyCheck {
  const prober = proberOf(client);
  const trustedOrigins = checkTrustedOrigins(options.trustedOrigins);
  const { onProbe } = options;
  return (ref) => {
    const { name: jobName, accountId, jobId } = resolveJob(client, ref);
    const own = new URL(client.settings.baseUrl).origin;
    const gateway = `${client.settings.baseUrl}/training/v1/rlorTrainerJobs/${encodeURIComponent(accountId)}/${encodeURIComponent(jobId)}`;
    const timeout = Math.min(HEALTH_PROBE_TIMEOUT, client.settings.timeout);

    async function probe(base: string, job: RlorTrainerJob, signal: AbortSignal) {
      const url = `${base}/api/v1/healthz`;
      let status: number | undefined;
      try {
        status = await prober({ url, signal, timeout, trustedOrigins });
      } catch (error) {
        // Not ready yet; the wait's own end (abort, time limit) is the wait's to report.
        if (signal.aborted) throw error;
      }
      const result: HealthProbe = { url, status, ready: status === 200 };
      onProbe?.(result, job);
      return result;
    }

    return async (job, signal) => {
      const probes: HealthProbe[] = [];
      const bases = [gateway, directBase(job.directRouteHandle, own, trustedOrigins)];
      for (const base of bases) {
        if (base === undefined) continue;
        const result = await probe(base, job, signal);
        probes.push(result);
        if (result.ready) {
          const endpoint = {
            baseUrl: base,
            jobName,
            jobId,
            maxContextLength: maxContextLengthOf(job),
          };
          return { probes, endpoint };
        }
      }
      return { probes, endpoint: undefined };
    };
  };
}
