/**
 * Vitest orders test files by the durations it cached on earlier runs, and a fresh clone (CI) has
 * none: it then starts the largest files first, and a short file that packs, generates or runs
 * tsc for seconds can start last and end the run alone. These start first, in this order; the
 * rest keep vitest's order.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

const SLOW_FIRST = [
  "test/project/",
  // Mostly asleep (the demo polls every 200 ms): best beside the type check's busy process.
  "test/cli/demo",
  "test/api-report/",
  "test/pipeline/generate",
  "test/package/",
  "test/readme/",
  "test/pipeline/lint",
  "test/runtime/contract",
  // Seconds each (a child process that measures the heap; CLI processes that wait out retries):
  // started last, they would end the run alone, while small files can fill the end.
  "test/runtime/secrets-memory",
  "test/cli/process-exit",
];

export class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const path = file.moduleId.slice(file.project.config.root.length + 1);
      const index = SLOW_FIRST.findIndex((prefix) => path.startsWith(prefix));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    // Array.prototype.sort is stable: within a rank, vitest's own order stays.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
