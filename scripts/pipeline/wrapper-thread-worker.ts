// The worker side of wrapper-thread.ts: one ApiModel in, one WrapperResult out.
import { performance } from "node:perf_hooks";
import { parentPort } from "node:worker_threads";
import { generateWrapper } from "./generate-wrapper.js";
import type { ApiModel } from "./read-operations.js";
import { StageTimer } from "./stage-timer.js";
import type { WrapperResult } from "./wrapper-thread.js";

// The thread's own clock starts with it: this is Node, the loader and ts-morph.
const startupMs = performance.now();

parentPort?.once("message", async (api: ApiModel) => {
  const timer = new StageTimer("wrapper thread (alongside)");
  timer.record("startup (ts-morph)", startupMs);
  const source = await timer.time("generateWrapper", () => generateWrapper(api));
  parentPort?.postMessage({ source, stages: timer.stages } satisfies WrapperResult);
});
