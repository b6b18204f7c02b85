// Wall-clock time per pipeline stage, for `npm run generate -- --timings`.
import { performance } from "node:perf_hooks";

export interface Stage {
  /** The stages of the two threads run at the same time; each thread's run one after another. */
  thread: string;
  name: string;
  ms: number;
}

export class StageTimer {
  readonly thread: string;
  readonly stages: Stage[] = [];

  constructor(thread = "main thread") {
    this.thread = thread;
  }

  record(name: string, ms: number): void {
    this.stages.push({ thread: this.thread, name, ms });
  }

  async time<T>(name: string, stage: () => T | Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await stage();
    } finally {
      this.record(name, performance.now() - start);
    }
  }

  /** One block per thread, then the process's wall time so far. */
  report(): string {
    const line = (name: string, ms: number) => `${name.padEnd(26)} ${ms.toFixed(0).padStart(6)} ms`;
    const threads = [...new Set(this.stages.map((stage) => stage.thread))];
    return [
      ...threads.flatMap((thread) => [
        thread,
        ...this.stages
          .filter((stage) => stage.thread === thread)
          .map((stage) => line(`  ${stage.name}`, stage.ms)),
      ]),
      line("total (wall, since start)", performance.now()),
    ].join("\n");
  }
}
