import { randomUUID } from "node:crypto";
import { parseRlorTrainerJobName, RLOR_TRAINER_JOB_ID_RULE } from "../../generated/names.js";
import { parseName } from "../../generated/runtime.js";
import { MODEL_PATTERN } from "../core/promote.js";
import type { FakeBehaviour, FakeCall } from "./dispatch.js";
import { buildFakeCheckpoints, buildFakeModel, type FakeJobBody } from "./fake-jobs.js";
import { type FakeJobStore, type Outcome, TOMBSTONE_STATES } from "./job-store.js";
import { applyReadMask, parseFilter, parseOrderBy } from "./list-query.js";
import { pageOf } from "./paging.js";
import { type FakeReply, fakeError, notFound } from "./replies.js";
import { type FakeQueryValue, segmentRefusal } from "./validation.js";

function text(value: FakeQueryValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function numberOf(value: FakeQueryValue | undefined): number | undefined {
  return typeof value === "number" ? value : undefined;
}

/** The 400 for the first of `fields` the body lacks (or sends empty, or not as a string). */
function missingField(
  body: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): FakeReply | undefined {
  const missing = fields.find((field) => typeof body[field] !== "string" || body[field] === "");
  return missing === undefined
    ? undefined
    : fakeError("INVALID_ARGUMENT", `missing required field "${missing}"`);
}

/** The parts of a resource name, or the 400 that refuses the name. */
function partsOf<Parts extends { accountId: string }>(
  name: string,
  parse: (name: string) => Parts,
): Parts | FakeReply {
  try {
    return parse(name);
  } catch (error) {
    return fakeError("INVALID_ARGUMENT", error instanceof Error ? error.message : String(error));
  }
}

/**
 * What each operation of the family does to the jobs of `store`: the lifecycle, by hand. Routing
 * and request checks come from the operation table before any of these runs.
 */
export function defaultBehaviours(
  store: FakeJobStore,
  accountId: string,
  /** A new signed URL of a job's log at the fake's log storage. */
  signLogUrl: (id: string) => string,
): Record<string, FakeBehaviour> {
  const jobIdOf = (call: FakeCall) => call.params.rlor_trainer_job_id ?? "";

  /** The reply to a state change: `ok` on success, 400 FAILED_PRECONDITION or 404 otherwise. */
  function changed(
    call: FakeCall,
    outcome: Outcome | undefined,
    ok: (body: FakeJobBody) => FakeReply,
    refusal: (state: string) => string,
  ): FakeReply {
    if (outcome === undefined) return notFound(accountId, jobIdOf(call));
    return outcome.ok ? ok(outcome.body) : fakeError("FAILED_PRECONDITION", refusal(outcome.state));
  }

  /** Runs `read` on the job the call names, or answers 404. */
  function withJob(call: FakeCall, read: (job: FakeJobBody, id: string) => FakeReply): FakeReply {
    const id = jobIdOf(call);
    const job = store.peek(id);
    return job === undefined ? notFound(accountId, id) : read(job, id);
  }

  return {
    listRlorTrainerJobs: ({ query }) => {
      const filter = parseFilter(text(query.filter) ?? "");
      if (!filter.ok) return filter.reply;
      const order = parseOrderBy(text(query.orderBy) ?? "");
      if (!order.ok) return order.reply;
      const readMask = text(query.readMask);
      const jobs = store
        .all()
        .filter((job) => !TOMBSTONE_STATES.has(String(job.state)) && filter.value(job))
        .sort(order.value);
      const page = pageOf(jobs, {
        pageSize: numberOf(query.pageSize),
        pageToken: text(query.pageToken),
        parameters: JSON.stringify([query.filter, query.orderBy, readMask]),
      });
      if (!page.ok) return page.reply;
      const { items, nextPageToken, totalSize } = page.value;
      return {
        body: {
          rlorTrainerJobs: items.map((job) => applyReadMask(job, readMask)),
          nextPageToken,
          totalSize,
        },
      };
    },

    createRlorTrainerJob: ({ query, body }) => {
      const id = text(query.rlorTrainerJobId) ?? randomUUID();
      const refusal = segmentRefusal(id, RLOR_TRAINER_JOB_ID_RULE);
      if (refusal !== undefined) return refusal;
      const job = store.create(id, body);
      return job === undefined
        ? fakeError(
            "ALREADY_EXISTS",
            `RlorTrainerJob accounts/${accountId}/rlorTrainerJobs/${id} already exists`,
          )
        : { body: job };
    },

    getRlorTrainerJob: (call) => {
      const job = store.read(jobIdOf(call));
      return job === undefined
        ? notFound(accountId, jobIdOf(call))
        : { body: applyReadMask(job, text(call.query.readMask)) };
    },

    // Any state can be deleted: the only refusal is 404.
    deleteRlorTrainerJob: (call) =>
      store.delete(jobIdOf(call)) === undefined ? notFound(accountId, jobIdOf(call)) : {},

    resumeRlorTrainerJob: (call) =>
      changed(
        call,
        store.resume(jobIdOf(call)),
        (body) => ({ body }),
        (state) => `job is in state ${state} and cannot be resumed`,
      ),

    cancelRlorTrainerJob: (call) =>
      changed(
        call,
        store.cancel(jobIdOf(call)),
        () => ({}),
        (state) => `cannot cancel job in state: ${state}`,
      ),

    executeRlorTrainStep: (call) => {
      const missing = missingField(call.body, ["dataset", "outputModel"]);
      if (missing !== undefined) return missing;
      return changed(
        call,
        store.trainStep(jobIdOf(call)),
        () => ({}),
        (state) =>
          `cannot execute a train step in state ${state}: the job must be a running keep-alive job`,
      );
    },

    listRlorTrainerJobCheckpoints: (call) =>
      withJob(call, (job, id) => {
        const checkpoints = buildFakeCheckpoints(job, store.checkpointCount(id) ?? 0);
        const page = pageOf(checkpoints, {
          pageSize: numberOf(call.query.pageSize),
          pageToken: text(call.query.pageToken),
          parameters: id,
        });
        if (!page.ok) return page.reply;
        const { items, nextPageToken, totalSize } = page.value;
        return { body: { checkpoints: items, nextPageToken, totalSize } };
      }),

    getRlorTrainerJobPublicLogs: (call) =>
      withJob(call, (_, id) => ({ body: { signedUrl: signLogUrl(id) } })),
    // The checkpoint is found through the job in the body; only a promotable one is promoted,
    // and a model name is taken once (a second promote to it is ALREADY_EXISTS).
    promoteCheckpoint: ({ params, body }) => {
      const missing = missingField(body, ["outputModel", "trainerJobId", "baseModel"]);
      if (missing !== undefined) return missing;
      // Strings all three: missingField checked them.
      const outputModel = String(body.outputModel);
      const trainerJobId = String(body.trainerJobId);
      const baseModel = String(body.baseModel);
      const trainer = partsOf(trainerJobId, parseRlorTrainerJobName);
      if (!("accountId" in trainer)) return trainer;
      const output = partsOf(outputModel, (name) =>
        parseName<{ accountId: string }>(MODEL_PATTERN, name),
      );
      if (!("accountId" in output)) return output;
      if (trainer.accountId !== accountId || output.accountId !== accountId) {
        return fakeError("PERMISSION_DENIED", "");
      }
      const jobId = trainer.rlorTrainerJobId;
      const job = store.peek(jobId);
      if (job === undefined) return notFound(accountId, jobId);
      const checkpointName = `${job.name}/checkpoints/${params.checkpoint_id}`;
      const checkpoint = buildFakeCheckpoints(job, store.checkpointCount(jobId) ?? 0).find(
        (each) => each.name === checkpointName,
      );
      if (checkpoint === undefined) {
        return fakeError("NOT_FOUND", `checkpoint ${checkpointName} not found`);
      }
      if (checkpoint.promotable !== true) {
        return fakeError(
          "FAILED_PRECONDITION",
          `checkpoint ${checkpointName} of type ${checkpoint.checkpointType} is not promotable`,
        );
      }
      if (!store.claimModel(outputModel)) {
        return fakeError("ALREADY_EXISTS", `Model ${outputModel} already exists`);
      }
      return { body: { model: buildFakeModel(outputModel, baseModel, job, checkpoint) } };
    },
  };
}
