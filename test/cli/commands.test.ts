import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../../src/cli/args.js";
import { runCommand } from "../../src/cli/commands.js";
import { InvalidArgumentError } from "../../src/core/errors.js";

function options(argv: string[]) {
  const parsed = parseCliArgs(argv);
  if (parsed.kind !== "run") throw new Error(`expected a command, got ${parsed.kind}`);
  return parsed.options;
}

function streams(): { stdout: string[]; stderr: string[]; io: Parameters<typeof runCommand>[1] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io = {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text), isTTY: false },
  };
  return { stdout, stderr, io };
}

const state = () => ({ origin: undefined, interruptHints: [] });
const rethrow = (error: unknown): never => {
  throw error;
};

const DRY = ["--dry-run", "--api-key", "fw-dry-key", "--account-id", "acme"];

describe("runCommand --dry-run", () => {
  it("runs the wait's option checks, as a real run would before sending", async () => {
    // Past the parser's limits (e.g. from code building CliOptions): the wait must refuse it.
    const tooLong = { ...options(["wait", "job-1", ...DRY]), pollInterval: 2 ** 31 };
    const { stdout, io } = streams();
    const run = runCommand(tooLong, io, new AbortController().signal, state(), rethrow);
    await expect(run).rejects.toThrow(InvalidArgumentError);
    await expect(run).rejects.toThrow(/pollInterval/);
    expect(stdout).toEqual([]);
  });

  it("prints the request when the wait options are fine", async () => {
    const { stdout, stderr, io } = streams();
    await runCommand(
      options(["wait", "job-1", ...DRY]),
      io,
      new AbortController().signal,
      state(),
      rethrow,
    );
    expect(stdout.join("")).toContain(
      "GET https://api.fireworks.ai/v1/accounts/acme/rlorTrainerJobs/job-1\n",
    );
    expect(stderr.join("")).toContain("dry run: waiting would poll");
  });
});
