import { createFireworksClient, type FireworksClient } from "../../src/core/client.js";
import type { FireworksError } from "../../src/core/errors.js";
import type { WaitOptions } from "../../src/core/wait.js";
import {
  type FaultServer,
  json,
  type Step,
  sampleJob,
  useFaultServer,
} from "../helpers/fault-server.js";

// A scripted server for the waits: each request gets the next step, so a test says what every
// poll sees and counts the requests a wait sent. Nothing here depends on how long anything takes.

export const JOB_NAME = "accounts/acme/rlorTrainerJobs/job-1";

export interface Scripted {
  server: FaultServer;
  client: FireworksClient;
}

/** Gives each test a fresh scripted server and a client for it that does not retry on its own. */
export function useScriptedServer(): Scripted {
  const scripted = {} as Scripted;
  useFaultServer((server) => {
    scripted.server = server;
    scripted.client = createFireworksClient({
      apiKey: "fw-test-key",
      accountId: "acme",
      baseUrl: server.url,
      maxRetries: 0,
    });
  });
  return scripted;
}

/** A 200 with the job in `state` (any JSON, as a server may send), `fields` merged over it. */
export function jobIn(state: unknown, fields: Record<string, unknown> = {}): Step {
  return json(200, sampleJob({ state, ...fields }));
}

/** Answers every request from now on with `step`. */
export function forever(server: FaultServer, step: Step): void {
  const again: Step = (response, request, body) => {
    server.script(again);
    step(response, request, body);
  };
  server.script(again);
}

/** The `{}` that create's siblings cancel and delete answer. */
export const EMPTY: Step = json(200, {});

/** A gRPC-gateway error body, as the API sends it. */
export function rpcError(status: number, code: number, message: string): Step {
  return json(status, { code, message, details: [] });
}

export const FAST = { pollInterval: 1, timeout: 20_000 } satisfies WaitOptions;

export function recordStates(): {
  seen: string[];
  onStateChange: NonNullable<WaitOptions["onStateChange"]>;
} {
  const seen: string[] = [];
  const name = (state: unknown): string =>
    typeof state === "string" ? state.replace("JOB_STATE_", "") : JSON.stringify(state);
  return {
    seen,
    onStateChange: (job, previous) =>
      seen.push(`${previous === undefined ? "-" : name(previous)}>${name(job.state)}`),
  };
}

export async function rejection(promise: Promise<unknown>): Promise<FireworksError> {
  try {
    await promise;
  } catch (error) {
    return error as FireworksError;
  }
  throw new Error("expected the promise to reject");
}

/** `METHOD path` of each request the server got, without the query. */
export function calls(server: FaultServer): string[] {
  return server.requests.map((request) => `${request.method} ${request.url.split("?")[0]}`);
}
