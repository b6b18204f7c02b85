// Stage 3 (the ts-morph wrapper) on a worker thread. Loading ts-morph, with the TypeScript 6.0 it
// bundles, is the pipeline's second biggest cost after openapi-typescript's TypeScript 5.9: the
// worker loads it while this thread lints and loads openapi-typescript.
import { Worker } from "node:worker_threads";
import type { ApiModel } from "./read-operations.js";
import type { Stage } from "./stage-timer.js";

export interface WrapperResult {
  /** The formatted source of `operations.ts`, without the header. */
  source: string;
  /** The worker's own stage times. */
  stages: Stage[];
}

export interface WrapperThread {
  /** Call once: the worker builds one wrapper. */
  generateWrapper(api: ApiModel): Promise<WrapperResult>;
  /** Stops the worker, e.g. when the spec failed to lint and no model was ever sent. */
  close(): Promise<void>;
}

const WORKER = new URL("./wrapper-thread-worker.ts", import.meta.url);
// Set explicitly: a worker inherits the parent's flags (tsx's, vitest's) but not the hooks they
// registered, and it needs ours to load its TypeScript.
const EXEC_ARGV = ["--import", new URL("./ts-loader.mjs", import.meta.url).href];

/** Starts the worker (and so the ts-morph load) at once. */
export function startWrapperThread(): WrapperThread {
  const worker = new Worker(WORKER, { execArgv: EXEC_ARGV });
  const result = new Promise<WrapperResult>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`The wrapper thread exited (code ${code})`)));
  });
  // Awaited only after the types are done; until then a failure must not count as unhandled.
  result.catch(() => {});
  return {
    generateWrapper(api) {
      worker.postMessage(api);
      return result;
    },
    async close() {
      await worker.terminate();
    },
  };
}
