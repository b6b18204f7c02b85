import { isJsonObject, stringOrUndefined } from "../internal/json.js";

/** The `@type` of a google.rpc.ErrorInfo detail (google/rpc/error_details.proto). */
export const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";

/** The `@type` of a google.rpc.RetryInfo detail. */
export const RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";

/**
 * Why the server failed a call or a job, from the `google.rpc.ErrorInfo` detail it sent: the
 * stable classification to branch on. Fireworks says never to parse the message, so nothing here
 * is ever read from message text: without an ErrorInfo, `reason` and `domain` are undefined.
 */
export interface ErrorReason {
  /** ErrorInfo `reason`, an UPPER_SNAKE_CASE constant such as `RESOURCE_EXHAUSTED`. */
  readonly reason: string | undefined;
  /** ErrorInfo `domain`: the service that defines the reason. */
  readonly domain: string | undefined;
  /** ErrorInfo `metadata` (its string values, secrets redacted); empty without an ErrorInfo. */
  readonly metadata: Readonly<Record<string, string>>;
}

const NO_REASON: ErrorReason = { reason: undefined, domain: undefined, metadata: {} };

/**
 * The first ErrorInfo of `details` (server input: any JSON at all). Callers pass details already
 * redacted, so the metadata carries no secret.
 */
export function errorReasonOf(details: unknown): ErrorReason {
  const info = detailOf(details, ERROR_INFO_TYPE);
  if (info === undefined) return NO_REASON;
  return {
    reason: stringOrUndefined(info.reason),
    domain: stringOrUndefined(info.domain),
    metadata: isJsonObject(info.metadata) ? stringEntries(info.metadata) : {},
  };
}

/** The `retryDelay` of the first RetryInfo of `details` in ms, when it is a valid Duration. */
export function retryInfoDelay(details: unknown): number | undefined {
  const delay = detailOf(details, RETRY_INFO_TYPE)?.retryDelay;
  return typeof delay === "string" ? durationMs(delay) : undefined;
}

/**
 * A protobuf Duration in its JSON form: decimal seconds with up to nine fractional digits and an
 * `s` suffix ("1.5s", "-2s").
 */
function durationMs(text: string): number | undefined {
  return /^-?\d+(\.\d{1,9})?s$/.test(text) ? Number(text.slice(0, -1)) * 1000 : undefined;
}

/**
 * The first detail whose `@type` names `type`. An Any's type URL may have another host; only the
 * name after its last "/" identifies the message.
 */
function detailOf(details: unknown, type: string): Record<string, unknown> | undefined {
  if (!Array.isArray(details)) return undefined;
  return details.find(
    (detail): detail is Record<string, unknown> =>
      isJsonObject(detail) && typeName(detail["@type"]) === typeName(type),
  );
}

function typeName(url: unknown): string | undefined {
  return typeof url === "string" ? url.slice(url.lastIndexOf("/") + 1) : undefined;
}

function stringEntries(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}
