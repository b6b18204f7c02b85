/**
 * Test helpers, published as `fireworks-rlor/testing`. Kept out of the main entry so that
 * applications never bundle a server.
 */
export type { FakeBehaviour, FakeCall } from "./dispatch.js";
export {
  FAKE_PUBLIC_LOGS_SIGNATURE,
  FAKE_WANDB_API_KEY,
  type FakeJobBody,
  type FakeJobInit,
  type FakeLifecycle,
  type FakeResumePlan,
  type FakeStatus,
} from "./fake-jobs.js";
export {
  FAKE_MAX_REQUEST_BODY_BYTES,
  type FakeFault,
  type FakeFireworks,
  type FakeFireworksOptions,
  type FakeRequest,
  startFakeFireworks,
} from "./fake-server.js";
export type { FakeLogStorageOptions } from "./log-storage.js";
export { type FakeReply, fakeError } from "./replies.js";
export { fakeErrorInfo, fakeRetryInfo } from "./rpc-details.js";
export type { FakeQueryValue } from "./validation.js";
