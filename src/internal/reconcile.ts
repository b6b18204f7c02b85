import {
  CANCEL_RLOR_TRAINER_JOB_OPERATION,
  CREATE_RLOR_TRAINER_JOB_OPERATION,
  DELETE_RLOR_TRAINER_JOB_OPERATION,
  GET_RLOR_TRAINER_JOB_OPERATION,
  RESUME_RLOR_TRAINER_JOB_OPERATION,
} from "../../generated/operation-table.js";
import { type CallContext, nameOfPath, type OperationEntry } from "../../generated/runtime.js";
import {
  type APIError,
  APIUserAbortError,
  markAfterAmbiguousAttempt,
  NotFoundError,
} from "../core/errors.js";
import { DELETED_JOB_STATES, TOMBSTONE_JOB_STATES } from "../core/wait-tracker.js";
import { isJsonObject } from "./json.js";

/**
 * What a call leaves behind when it took effect, seen by reading the resource afterwards.
 *
 * This lives here, as policy keyed by operationId, rather than in the spec: the spec says how to
 * call an operation, not what its effect looks like in the resource's state, and the generator
 * has no place for it. The table is small and each row is a fact of the API's state machine
 * (§2 of the API notes); an operation without a row is never reconciled, only reported.
 */
interface Effect {
  /** The operation whose effect this is. */
  readonly operation: OperationEntry;
  /** Statuses of a refusal that may only mean "an earlier attempt already did it". */
  readonly refusedWith: ReadonlySet<number>;
  /** The operation that reads the resource (a `safe` call). */
  readonly read: OperationEntry;
  /** Whether the job read shows the call took effect. The state is server input: any JSON. */
  readonly shows: (state: unknown) => boolean;
  /** Whether a 404 on the read shows it (the resource is gone: a delete did it). */
  readonly goneShows: boolean;
  /** What the call returns once settled: the job read (resume, create), or `{}`. */
  readonly result: "read" | "empty";
}

const states =
  (...names: string[]) =>
  (state: unknown): boolean =>
    typeof state === "string" && names.includes(state);

/** States of a job that was deleted; a job in them was not created by us just now. */
const TOMBSTONES = states(...TOMBSTONE_JOB_STATES);

/** 400 FAILED_PRECONDITION (and its 412 spelling) and 409 ABORTED: "not in a state for that". */
const STATE_REFUSALS = [400, 409, 412];

const EFFECT_ROWS: readonly Effect[] = [
  // A resumed job is on its way up; a resume is refused once the job is no longer paused.
  {
    operation: RESUME_RLOR_TRAINER_JOB_OPERATION,
    refusedWith: new Set(STATE_REFUSALS),
    read: GET_RLOR_TRAINER_JOB_OPERATION,
    shows: states(
      "JOB_STATE_RE_QUEUEING",
      "JOB_STATE_PENDING",
      "JOB_STATE_CREATING",
      "JOB_STATE_RUNNING",
    ),
    goneShows: false,
    result: "read",
  },
  {
    operation: CANCEL_RLOR_TRAINER_JOB_OPERATION,
    refusedWith: new Set(STATE_REFUSALS),
    read: GET_RLOR_TRAINER_JOB_OPERATION,
    shows: states("JOB_STATE_CANCELLING", "JOB_STATE_CANCELLED"),
    goneShows: false,
    result: "empty",
  },
  {
    operation: DELETE_RLOR_TRAINER_JOB_OPERATION,
    refusedWith: new Set([...STATE_REFUSALS, 404]),
    read: GET_RLOR_TRAINER_JOB_OPERATION,
    shows: states(...DELETED_JOB_STATES),
    goneShows: true,
    result: "empty",
  },
  // 409 ALREADY_EXISTS for the id we chose: our earlier attempt made it, unless it is a tombstone
  // of an older job with that id (the official training SDK reads it back the same way).
  {
    operation: CREATE_RLOR_TRAINER_JOB_OPERATION,
    refusedWith: new Set([409]),
    read: GET_RLOR_TRAINER_JOB_OPERATION,
    shows: (state) => !TOMBSTONES(state),
    goneShows: false,
    result: "read",
  },
];

const EFFECTS: ReadonlyMap<string, Effect> = new Map(
  EFFECT_ROWS.map((effect) => [effect.operation.operationId, effect]),
);

/** Whether a job in `state` shows that `operationId` took effect (or is taking it). */
export function showsEffect(operationId: string, state: unknown): boolean {
  return EFFECTS.get(operationId)?.shows(state) ?? false;
}

/** Sends one call through the client's request path (the same one every call takes). */
export type SendCall = (call: CallContext, url: string, init: RequestInit) => Promise<Response>;

/** Whether `error` is a refusal of `call` that reading the resource could settle. */
export function isReconcilable(call: CallContext, error: APIError): boolean {
  return EFFECTS.get(call.operationId)?.refusedWith.has(error.status) ?? false;
}

/**
 * Settles a refusal that followed an attempt that may have reached the server: reads the
 * resource (a `safe` call through `sendCall`), and returns what the call would have returned if
 * the read shows its effect; else throws the refusal, marked `afterAmbiguousAttempt`. Aborting
 * the read aborts the call.
 */
export async function reconcile(
  refusal: APIError,
  call: CallContext,
  url: string,
  init: RequestInit,
  sendCall: SendCall,
): Promise<Response> {
  const effect = EFFECTS.get(call.operationId);
  const target = effect === undefined ? undefined : readTarget(url, effect.operation, effect.read);
  if (effect === undefined || target === undefined) throw markAfterAmbiguousAttempt(refusal);
  const { read } = effect;
  const headers = new Headers(init.headers);
  headers.delete("content-type");
  const readCall: CallContext = {
    ...call,
    operationId: read.operationId,
    retry: read.retry,
    resourceName: target.name,
  };
  let response: Response;
  try {
    response = await sendCall(readCall, target.url, {
      method: read.method,
      headers,
      body: null,
      redirect: "manual",
    });
  } catch (error) {
    if (error instanceof APIUserAbortError) throw error;
    if (error instanceof NotFoundError && effect.goneShows) return emptyResponse();
    throw markAfterAmbiguousAttempt(refusal);
  }
  const job: unknown = await response.json();
  const state = isJsonObject(job) ? job.state : undefined;
  if (!effect.shows(state)) throw markAfterAmbiguousAttempt(refusal);
  return effect.result === "read" ? response : emptyResponse();
}

/**
 * The URL of `read` for the resource `url` (a call of `operation`) acts on, and that resource's
 * name when the read answers with it (the request path checks the answer carries it): the path
 * parameters are taken from `url` as sent (still percent-encoded), plus, for a create, the id
 * the caller chose (its `retryIdParameter`). Whatever the base URL puts before the API path is kept.
 */
function readTarget(
  url: string,
  operation: OperationEntry,
  read: OperationEntry,
): { url: string; name: string | undefined } | undefined {
  const parsed = new URL(url);
  const match = pathPattern(operation.path).exec(parsed.pathname);
  if (match === null) return undefined;
  const values: Record<string, string> = { ...match.groups };
  const idParameter = operation.retryIdParameter;
  if (idParameter !== undefined) {
    const id = parsed.searchParams.get(idParameter);
    const segment = read.resource?.segments.find(
      (part) => typeof part !== "string" && part.key === idParameter,
    );
    if (id === null || segment === undefined || typeof segment === "string") return undefined;
    values[segment.name] = encodeURIComponent(id);
  }
  let complete = true;
  const path = read.path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) complete = false;
    return value ?? "";
  });
  if (!complete) return undefined;
  const decoded = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, decodeURIComponent(value)]),
  );
  return {
    url: `${parsed.origin}${values.prefix ?? ""}${path}`,
    name: read.returnsResource && read.resource ? nameOfPath(read.resource, decoded) : undefined,
  };
}

/** `/v1/accounts/{account_id}/x` → a regex with a named group per parameter, and `prefix`. */
function pathPattern(template: string): RegExp {
  const source = template
    .split(/(\{\w+\})/)
    .map((part) =>
      part.startsWith("{")
        ? `(?<${part.slice(1, -1)}>[^/]+)`
        : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^(?<prefix>.*?)${source}$`);
}

function emptyResponse(): Response {
  return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
}
