// The package entry: the generated operations, names and types, and the policy around them.
export * from "../generated/index.js";
export {
  type ClientOptions,
  type ClientSettings,
  createFireworksClient,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT,
  type FireworksClient,
} from "./core/client.js";
export {
  APIConnectionError,
  APIError,
  type APIErrorCode,
  type APIErrorName,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FireworksError,
  InternalServerError,
  InvalidArgumentError,
  JobFailedError,
  NotFoundError,
  PaginationLoopError,
  PermissionDeniedError,
  RateLimitError,
  ResponseTooLargeError,
  UnexpectedResourceError,
  WaitTimeoutError,
} from "./core/errors.js";
export { type GpuHours, gpuHoursOf } from "./core/gpu-hours.js";
export {
  type CreateRlorTrainerJobAndWaitOptions,
  cancelRlorTrainerJobAndWait,
  createRlorTrainerJobAndWait,
  DEFAULT_CANCEL_TIMEOUT,
  DEFAULT_DELETE_TIMEOUT,
  DEFAULT_PENDING_TIMEOUT,
  deleteRlorTrainerJobAndWait,
  type LifecycleWaitOptions,
} from "./core/lifecycle.js";
export {
  CheckpointNotPromotableError,
  type ListPromotableOptions,
  listPromotableCheckpoints,
  MODEL_PATTERN,
  type PromotableCheckpoint,
  type PromoteOptions,
  type PromoteResult,
  promoteRlorTrainerJobCheckpoint,
} from "./core/promote.js";
export { redactJob } from "./core/redact.js";
export type { ErrorReason } from "./core/rpc-details.js";
export {
  DEFAULT_POLL_INTERVAL,
  DEFAULT_WAIT_TIMEOUT,
  resumeRlorTrainerJobAndWait,
  type WaitOptions,
  waitForRlorTrainerJob,
} from "./core/wait.js";
export type { Fetch } from "./internal/request.js";
export { VERSION } from "./version.js";
