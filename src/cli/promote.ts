import { NotFoundError } from "../core/errors.js";
import {
  CheckpointNotPromotableError,
  listPromotableCheckpoints,
  type PromotableCheckpoint,
  type PromoteResult,
  promoteRlorTrainerJobCheckpoint,
} from "../core/promote.js";
import type { Context } from "./commands.js";
import { follow } from "./commands.js";
import { formatModel } from "./output.js";
import { displayText } from "./sanitize.js";

/**
 * `promote` and the look at a job's promotable checkpoints before `delete`: what becomes of a
 * job's checkpoints (reference/fireworks-trainer-lifecycle.md §5).
 */

/** `promote <job> --checkpoint <id> | --latest --output-model <model> [--base-model <model>]`. */
export async function promoteCommand(ctx: Context, job: string): Promise<void> {
  const { options } = ctx;
  const outputModel = options.outputModel ?? "";
  ctx.state.interruptHints = [
    `The promote of ${job} may have been sent: check whether the model ${outputModel} exists before promoting again.`,
  ];
  let result: PromoteResult;
  try {
    result = await promoteRlorTrainerJobCheckpoint(ctx.client, job, {
      checkpoint: options.checkpoint,
      outputModel,
      baseModel: options.baseModel,
      signal: ctx.signal,
    });
  } catch (error) {
    // A dry run's list is empty: the arguments were checked and the list request printed, and
    // which checkpoint (so which promote) comes from that list's real answer.
    if (!(options.dryRun && error instanceof CheckpointNotPromotableError)) throw error;
    const which = options.checkpoint ?? "the newest promotable checkpoint";
    ctx.io.stderr.write(
      `(dry run: the promote of ${displayText(which)} to ${displayText(outputModel)} would follow, if the job's checkpoint list shows it promotable)\n`,
    );
    return;
  }
  ctx.note(
    `Promoted checkpoint ${displayText(result.checkpoint.id)} of ${job} to ${displayText(result.outputModel)} (base model ${displayText(result.baseModel)}).\n`,
  );
  ctx.out(formatModel(result.model ?? { name: result.outputModel }, options.output));
}

/** One line per checkpoint: id, creation time, type. */
function checkpointLine({ id, checkpoint }: PromotableCheckpoint): string {
  const type = displayText(checkpoint.checkpointType).replace(/^CHECKPOINT_TYPE_/, "");
  return `  ${id}  ${displayText(checkpoint.createTime)}  ${type}\n`;
}

/**
 * Before a delete: the job's promotable checkpoints, newest first, and the promote that keeps
 * one, on stderr. A checkpoint not promoted before its job is deleted means training again
 * (reference/fireworks-trainer-lifecycle.md §5). The delete goes on whatever this finds: a job that cannot be listed (a 404, a failure)
 * is the delete's to report, with its own exit code.
 */
export async function notePromotableBeforeDelete(ctx: Context, job: string): Promise<void> {
  if (ctx.options.dryRun) return;
  let promotable: PromotableCheckpoint[];
  try {
    promotable = await listPromotableCheckpoints(ctx.client, job, { signal: ctx.signal });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    if (!(error instanceof NotFoundError)) {
      ctx.note(`(Could not list the checkpoints of ${job} before deleting it.)\n`);
    }
    return;
  }
  if (promotable.length === 0) return;
  const count =
    promotable.length === 1
      ? "1 promotable checkpoint"
      : `${promotable.length} promotable checkpoints`;
  ctx.note(
    `${job} has ${count} (newest first); deleting the job loses them:\n` +
      promotable.map(checkpointLine).join("") +
      `To keep one as a model, promote it first: ${follow(["promote", job, "--latest", "--output-model"])} <model>\n`,
  );
}
