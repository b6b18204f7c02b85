// Wall-clock time per pipeline stage, for `npm run generate -- --timings`.
import { performance } from "node:perf_hooks";

export interface Stage {
  name: string;
  ms: number;
}

export class StageTimer {
  readonly stages: Stage[] = [];

  record(name: string, ms: number): void {
    this.stages.push({ name, ms });
  }

  async time<T>(name: string, stage: () => T | Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await stage();
    } finally {
      this.record(name, performance.now() - start);
    }
  }

  /** One line per stage, then the process's wall time so far. */
  report(): string {
    const line = (name: string, ms: number) => `${name.padEnd(26)} ${ms.toFixed(0).padStart(6)} ms`;
    return [
      ...this.stages.map((stage) => line(stage.name, stage.ms)),
      line("total (wall, since start)", performance.now()),
    ].join("\n");
  }
}
