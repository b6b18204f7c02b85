import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/cli/progress.js";
import type { RlorTrainerJob } from "../../src/index.js";

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } };
}

const job = (state: string) => ({ state }) as RlorTrainerJob;

describe("wait progress on stderr", () => {
  it("writes plain lines with the elapsed time when stderr is not a terminal", () => {
    const { writes, stream } = recorder(false);
    const progress = createProgress(stream);
    progress.onStateChange(job("JOB_STATE_PAUSED"), undefined);
    progress.onStateChange(job("JOB_STATE_RE_QUEUEING"), "JOB_STATE_PAUSED");
    progress.onStateChange(job("JOB_STATE_SOMETHING_NEW"), "JOB_STATE_RE_QUEUEING");
    progress.stop();
    expect(writes).toEqual([
      expect.stringMatching(/^\[\d+\.\ds\] PAUSED\n$/),
      expect.stringMatching(/^\[\d+\.\ds\] PAUSED -> RE_QUEUEING\n$/),
      expect.stringMatching(/^\[\d+\.\ds\] RE_QUEUEING -> SOMETHING_NEW\n$/),
    ]);
  });

  it("on a terminal, clears the spinner line before each line and when stopped", () => {
    const { writes, stream } = recorder(true);
    const progress = createProgress(stream);
    progress.onStateChange(job("JOB_STATE_PENDING"), undefined);
    progress.stop();
    progress.stop();
    const clearLine = "\r\u001b[2K";
    expect(writes).toHaveLength(2);
    expect(writes[0]?.startsWith(clearLine)).toBe(true);
    expect(writes[0]?.slice(clearLine.length)).toMatch(/^\[\d+\.\ds\] PENDING\n$/);
    expect(writes[1]).toBe(clearLine);
  });
});
