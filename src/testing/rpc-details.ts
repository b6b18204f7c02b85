import type { ProtobufAny } from "../../generated/operations.js";
import { ERROR_INFO_TYPE, RETRY_INFO_TYPE } from "../core/rpc-details.js";

/**
 * A google.rpc.ErrorInfo detail, for `fakeError` or a job's `status.details`: the structured
 * reason the client surfaces as `reason`, `domain` and `metadata`.
 */
export function fakeErrorInfo(
  reason: string,
  metadata: Readonly<Record<string, string>> = {},
  domain = "fireworks.ai",
): ProtobufAny {
  return { "@type": ERROR_INFO_TYPE, reason, domain, metadata: { ...metadata } };
}

/** A google.rpc.RetryInfo detail: the client waits `retryDelay` (a Duration such as "1.5s") before retrying. */
export function fakeRetryInfo(retryDelay: string): ProtobufAny {
  return { "@type": RETRY_INFO_TYPE, retryDelay };
}
