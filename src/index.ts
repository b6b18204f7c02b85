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
  JobStalledError,
  NotFoundError,
  PaginationLoopError,
  PermissionDeniedError,
  RateLimitError,
  ResponseTooLargeError,
  type StallFields,
  UnexpectedResourceError,
  type WaitBudget,
  WaitTimeoutError,
} from "./core/errors.js";
export { type GpuHours, gpuHoursOf } from "./core/gpu-hours.js";
export {
  HEALTH_PROBE_TIMEOUT,
  type HealthProbe,
  type ProbeRound,
  type ReadyOptions,
  type ReadyTrainerJob,
  type TrainerEndpoint,
} from "./core/health.js";
export {
  type CreateRlorTrainerJobAndWaitOptions,
  cancelRlorTrainerJobAndWait,
  createRlorTrainerJobAndWait,
  DEFAULT_CANCEL_TIMEOUT,
  DEFAULT_DELETE_TIMEOUT,
  deleteRlorTrainerJobAndWait,
  type LifecycleWaitOptions,
} from "./core/lifecycle.js";
export { LogStorageError } from "./core/log-storage-error.js";
export {
  DEFAULT_LOG_READ_BYTES,
  type FollowLogsOptions,
  followRlorTrainerJobLogs,
} from "./core/logs.js";
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
export {
  type CreateRlorTrainerJobAndWaitReadyOptions,
  createRlorTrainerJobAndWaitReady,
  type ReadyWaitOptions,
  resumeRlorTrainerJobAndWaitReady,
  waitForRlorTrainerJobReady,
} from "./core/ready.js";
export {
  DEFAULT_RECONNECT_TIMEOUT,
  DEFAULT_SETTLE_TIMEOUT,
  JobStuckError,
  type ReconnectOptions,
  reconnectRlorTrainerJob,
  SETTLE_POLL_INTERVAL,
} from "./core/reconnect.js";
export { redactJob } from "./core/redact.js";
export type { ErrorReason } from "./core/rpc-details.js";
export { rlorTrainerJobStateFilter } from "./core/state-filter.js";
export {
  DEFAULT_PENDING_TIMEOUT,
  DEFAULT_POLL_INTERVAL,
  DEFAULT_WAIT_TIMEOUT,
  resumeRlorTrainerJobAndWait,
  type WaitOptions,
  waitForRlorTrainerJob,
} from "./core/wait.js";
export {
  DEFAULT_WATCH_UNTIL,
  type RlorTrainerJobChange,
  type WatchAccountTarget,
  type WatchEnd,
  type WatchOptions,
  type WatchTarget,
  watchRlorTrainerJobs,
} from "./core/watch.js";
export type { Fetch } from "./internal/request.js";
export { VERSION } from "./version.js";
