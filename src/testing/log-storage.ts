import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isResting } from "../core/wait-tracker.js";
import { FAKE_PUBLIC_LOGS_SIGNATURE } from "./fake-jobs.js";
import type { FakeRequest } from "./fake-server.js";
import { closeServer, listenOnLoopback } from "./loopback.js";

/** How the fake's log storage (the host behind the signed URLs) behaves. */
export interface FakeLogStorageOptions {
  /**
   * How long a signed URL is accepted, in ms; after that the storage answers 400 ExpiredToken, as
   * Cloud Storage does. The URL's `X-Goog-Expires` says as much, rounded up to whole seconds.
   * Default 24 h, as publicLogs promises.
   */
  signatureTtl?: number;
  /** Answer every read with the whole log (200), as a host that ignores `Range` does. */
  ignoreRange?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

interface JobLog {
  /** The job's id. */
  readonly id: string;
  readonly parts: readonly string[];
  /** Parts the next read shows. */
  shown: number;
}

interface Grant {
  readonly path: string;
  readonly expiresAt: number;
}

/** The log storage of the fake server, on its own loopback origin: see `FakeJobInit.log`. */
export interface FakeLogStorage {
  /** The origin of the storage, e.g. http://127.0.0.1:41235: not the API's. */
  readonly origin: string;
  /** Every request the storage received, in arrival order. */
  readonly requests: FakeRequest[];
  /** Gives the job a log (replacing any it had). */
  setLog(id: string, parts: readonly string[]): void;
  /** A new signed URL of the job's log: each one has a signature of its own and expires. */
  sign(id: string): string;
  close(): Promise<void>;
}

function logPath(accountId: string, id: string): string {
  return `/trainer-logs/${encodeURIComponent(accountId)}/${encodeURIComponent(id)}/trainer.log`;
}

/** `20261207T152300Z`, the form of `X-Goog-Date`. */
function googDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
}

/** The first byte of a `bytes=<first>-[<last>]` range and its last (inclusive), if any. */
function parseRange(header: string | undefined): { first: number; last: number } | undefined {
  const match = /^bytes=(\d+)-(\d*)$/.exec(header ?? "");
  if (match === null) return undefined;
  const first = Number(match[1]);
  const last = match[2] === "" ? Number.POSITIVE_INFINITY : Number(match[2]);
  return last < first ? undefined : { first, last };
}

/** A Cloud Storage error document; like the real one, it quotes the request it refuses. */
function xmlError(code: string, message: string, url: string): string {
  return `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message><Details>GET ${url}</Details></Error>`;
}

/**
 * Starts the storage: the logs of `accountId`'s jobs served by signed URL with Range support
 * (206, 416), signatures that expire, and a refusal of any request that carries an Authorization
 * header (the API key must never reach a storage host). `jobState` reads a job's state without
 * counting as a GET.
 */
export async function startFakeLogStorage(
  options: FakeLogStorageOptions,
  accountId: string,
  jobState: (id: string) => unknown,
): Promise<FakeLogStorage> {
  const ttl = options.signatureTtl ?? DAY_MS;
  /** Each job's log, by the path its signed URLs name. */
  const logs = new Map<string, JobLog>();
  const grants = new Map<string, Grant>();
  const requests: FakeRequest[] = [];
  let serial = 0;

  function logText(path: string): string {
    const log = logs.get(path);
    if (log === undefined) return "";
    // Complete once the job rests (the client's own rule, deleting included): no trainer writes.
    const complete = isResting(String(jobState(log.id)));
    const shown = complete ? log.parts.length : Math.min(log.shown, log.parts.length);
    log.shown = shown + 1;
    return log.parts.slice(0, shown).join("");
  }

  function serve(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://storage.invalid");
    const raw = req.url ?? "";
    requests.push({ method: req.method ?? "", url: raw, headers: req.headers, body: "" });
    const refuse = (status: number, code: string, message: string) => {
      res.writeHead(status, { "content-type": "application/xml; charset=UTF-8" });
      res.end(xmlError(code, message, raw));
    };
    if (req.headers.authorization !== undefined) {
      refuse(
        400,
        "InvalidArgument",
        "This storage takes no Authorization header: a signed URL is its own credential.",
      );
      return;
    }
    if (req.method !== "GET") {
      refuse(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
      return;
    }
    const grant = grants.get(url.searchParams.get("X-Goog-Signature") ?? "");
    if (grant === undefined || grant.path !== url.pathname) {
      refuse(403, "SignatureDoesNotMatch", "Access denied.");
      return;
    }
    if (Date.now() >= grant.expiresAt) {
      refuse(400, "ExpiredToken", "Invalid argument.");
      return;
    }
    const bytes = Buffer.from(logText(grant.path), "utf8");
    const range = options.ignoreRange ? undefined : parseRange(req.headers.range);
    const headers = { "content-type": "text/plain; charset=utf-8", "accept-ranges": "bytes" };
    if (range === undefined) {
      res.writeHead(200, headers);
      res.end(bytes);
      return;
    }
    if (range.first >= bytes.length) {
      res.writeHead(416, { ...headers, "content-range": `bytes */${bytes.length}` });
      res.end();
      return;
    }
    const last = Math.min(range.last, bytes.length - 1);
    res.writeHead(206, {
      ...headers,
      "content-range": `bytes ${range.first}-${last}/${bytes.length}`,
    });
    res.end(bytes.subarray(range.first, last + 1));
  }

  const server = createServer(serve);
  const origin = await listenOnLoopback(server);
  return {
    origin,
    requests,
    setLog: (id, parts) => {
      logs.set(logPath(accountId, id), { id, parts: [...parts], shown: 1 });
    },
    sign: (id) => {
      serial += 1;
      const now = Date.now();
      const signature = `${FAKE_PUBLIC_LOGS_SIGNATURE}${serial.toString(16).padStart(8, "0")}`;
      const path = logPath(accountId, id);
      grants.set(signature, { path, expiresAt: now + ttl });
      const query = new URLSearchParams({
        "X-Goog-Algorithm": "GOOG4-RSA-SHA256",
        "X-Goog-Date": googDate(now),
        "X-Goog-Expires": String(Math.ceil(ttl / 1000)),
        "X-Goog-SignedHeaders": "host",
        "X-Goog-Signature": signature,
      });
      return `${origin}${path}?${query}`;
    },
    close: () => closeServer(server),
  };
}
