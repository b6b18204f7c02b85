import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OutputFormat } from "../../src/cli/args.js";
import { formatCheckpointList, formatJob, formatJobList } from "../../src/cli/output.js";
import { createProgress } from "../../src/cli/progress.js";
import { stripControls } from "../../src/cli/sanitize.js";
import type { RlorTrainerJob } from "../../src/index.js";

/** Job bodies as a server could send them: known fields with any JSON in them, and others. */
const anyJob = fc.record(
  {
    name: fc.jsonValue(),
    state: fc.jsonValue(),
    displayName: fc.jsonValue(),
    status: fc.oneof(fc.jsonValue(), fc.record({ code: fc.jsonValue(), message: fc.jsonValue() })),
    createTime: fc.jsonValue(),
    trainingConfig: fc.oneof(fc.jsonValue(), fc.record({ baseModel: fc.jsonValue() })),
    wandbConfig: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

const FORMATS: OutputFormat[] = ["text", "json", "name"];

describe("printing whatever the server sends", () => {
  it("never throws, and text output holds no terminal control", () => {
    fc.assert(
      fc.property(anyJob, fc.array(anyJob, { maxLength: 4 }), (job, jobs) => {
        for (const format of FORMATS) {
          const printed = [
            formatJob(job, format),
            formatJobList(jobs, format),
            formatCheckpointList(jobs, format),
          ].join("");
          if (format !== "json") expect(stripControls(printed)).toBe(printed);
          else expect(/[\u007f-\u009f]/.test(printed)).toBe(false);
        }
      }),
    );
  });

  it("reports any state in the wait's progress lines", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (state, previous) => {
        const lines: string[] = [];
        const progress = createProgress({ write: (text: string) => lines.push(text) });
        const job = { state } as unknown as RlorTrainerJob;
        progress.onStateChange(job, previous as RlorTrainerJob["state"]);
        progress.stop();
        expect(lines).toHaveLength(1);
        expect(stripControls(lines[0] ?? "")).toBe(lines[0]);
      }),
    );
  });

  it("shows a job whose state is a number instead of throwing", () => {
    const job = { name: "accounts/a/rlorTrainerJobs/j", state: 7 };
    expect(formatJob(job, "text")).toMatch(/^State {2,}7$/m);
    expect(formatJobList([job], "text")).toContain("  7  ");
  });
});
