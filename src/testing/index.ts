/**
 * Test helpers, published as `fireworks-rlor/testing`. Kept out of the main entry so that
 * applications never bundle a server.
 */
export {
  FAKE_WANDB_API_KEY,
  type FakeJobBody,
  type FakeJobInit,
  type FakeResumePlan,
  type FakeStatus,
} from "./fake-jobs.js";
export {
  type FakeFault,
  type FakeFireworks,
  type FakeFireworksOptions,
  type FakeRequest,
  startFakeFireworks,
} from "./fake-server.js";
