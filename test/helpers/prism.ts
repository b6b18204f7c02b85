import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PRISM = `${ROOT}node_modules/.bin/prism`;
const SPEC = `${ROOT}openapi/rlor-trainer-jobs.yaml`;

export interface PrismServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts Prism's mock server on our committed spec (127.0.0.1, a free port) with `--errors`, so
 * request violations come back as errors, and waits until it listens.
 */
export async function startPrism(): Promise<PrismServer> {
  const port = await freePort();
  const child = spawn(PRISM, ["mock", "-h", "127.0.0.1", "-p", String(port), "--errors", SPEC], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    await listening(child);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => stop(child) };
}

/** Prism usually listens within 1-3 s; a hung start must fail the suite with its output, not stall it. */
const START_TIMEOUT = 30_000;

/** Resolves once Prism listens; rejects (the caller then stops the child) if it exits or takes too long. */
function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const done = (error?: Error): void => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      // Keep draining Prism's request log, or a full pipe would block it.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error === undefined) resolve();
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) done();
    };
    const onExit = (code: number | null): void =>
      done(new Error(`Prism exited with code ${code} before listening:\n${output}`));
    const timer = setTimeout(
      () => done(new Error(`Prism did not listen within ${START_TIMEOUT} ms:\n${output}`)),
      START_TIMEOUT,
    );
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** How long Prism gets to exit after SIGTERM before it is killed outright. */
const STOP_TIMEOUT = 5_000;

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}
