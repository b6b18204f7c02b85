import type { FakeJobStore } from "./job-store.js";
import { type FakeReply, fakeError, notFound } from "./replies.js";

/**
 * The API gateway's route to a job's trainer, which strips the prefix and hands the trainer
 * `/api/v1/healthz`. Not an operation of the spec (the gateway routes it to the pod), so it is
 * served here rather than from the operation table.
 */
const HEALTH_PATH = /^\/training\/v1\/rlorTrainerJobs\/([^/?]+)\/([^/?]+)\/api\/v1\/healthz$/;

/**
 * The reply to a health probe, or undefined when the request is not one. A job's trainer
 * answers 404 until it is RUNNING and has answered its `notReadyProbes`, then 200.
 */
export function healthReply(
  method: string,
  path: string,
  store: FakeJobStore,
  accountId: string,
): FakeReply | undefined {
  const match = HEALTH_PATH.exec(path);
  if (match === null || method !== "GET") return undefined;
  const [, account = "", jobId = ""] = match.map((part) => decodeURIComponent(part));
  if (account !== accountId) return fakeError("PERMISSION_DENIED", "");
  const ready = store.probe(jobId);
  if (ready === undefined) return notFound(accountId, jobId);
  // What a trainer still starting (or a gateway with no pod behind it) answers.
  return ready ? { body: { status: "ok" } } : { status: 404, body: { detail: "Not Found" } };
}
