export type {
  AcceleratorSeconds,
  ApiKeyError,
  ApiKeyErrorEnvelope,
  AwsS3Config,
  ErrorBody,
  GatewayStatus,
  JobState,
  LossConfig,
  LossMethod,
  ProtobufAny,
  Region,
  ResumeRlorTrainerJobRequest,
  RlorTrainerJob,
  Status,
  StatusCode,
  TrainingConfig,
  WandbConfig,
} from "../generated/operations.js";
export {
  type ClientOptions,
  type ClientSettings,
  createFireworksClient,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT,
  type FireworksClient,
  getClientSettings,
} from "./core/client.js";
export {
  APIConnectionError,
  APIError,
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
  PermissionDeniedError,
  RateLimitError,
  WaitTimeoutError,
} from "./core/errors.js";
export {
  formatRlorTrainerJobName,
  type JobRef,
  parseRlorTrainerJobName,
  type RlorTrainerJobRef,
} from "./core/names.js";
export {
  type CallOptions,
  type GetRlorTrainerJobOptions,
  getRlorTrainerJob,
  resumeRlorTrainerJob,
} from "./core/operations.js";
export { redactJob } from "./core/redact.js";
export {
  DEFAULT_POLL_INTERVAL,
  DEFAULT_WAIT_TIMEOUT,
  resumeRlorTrainerJobAndWait,
  type WaitOptions,
  waitForRlorTrainerJob,
} from "./core/wait.js";
export { VERSION } from "./version.js";
