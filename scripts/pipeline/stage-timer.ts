// Wall-clock time per pipeline stage, for `npm run generate -- --timings`.
import { performance } from "node:perf_hooks";

export class StageTimer {
  readonly stages: { name: string; ms: number }[] = [];

  async time<T>(name: string, stage: () => T | Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await stage();
    } finally {
      this.stages.push({ name, ms: performance.now() - start });
    }
  }

  report(): string {
    return this.stages
      .map(({ name, ms }) => `${name.padEnd(18)} ${ms.toFixed(0).padStart(6)} ms`)
      .join("\n");
  }
}
