// The performance section's Markdown, from one run's results: printed by the bench, put in the
// performance page (docs/performance.md) by `npm run bench:readme`.
import { dirname, relative } from "node:path";
import { ms } from "./format.js";
import { GENERATORS } from "./generators.js";
import { PERFORMANCE_PAGE } from "./readme-section.js";
import type { BenchResults } from "./results.js";
import { type Row, rows } from "./targets.js";

export const CHART_PATH = "docs/bench-generation.svg";

function verdict(row: Row): string {
  if (row.met === undefined) return "—";
  return row.met ? "met" : "**not met**";
}

/** Escapes what would break a Markdown table cell. */
const cell = (text: string) => text.replaceAll("|", "\\|");

export function machineLine(r: BenchResults): string {
  const { machine, load } = r;
  return (
    `Measured ${r.date.slice(0, 16).replace("T", " ")} UTC on ${machine.cpus} × ${machine.cpuModel} ` +
    `(${machine.platform}), Node ${machine.node}; load average ${load.start.join(" / ")} at the start, ` +
    `${load.end.join(" / ")} at the end (the machine is shared). Times are medians (min–max) of ` +
    `interleaved runs: per call ${r.perCall.calls} calls in ${r.perCall.rounds} rounds, import ` +
    `${r.importCost.processes} processes, command-line start ${r.cliStart.runs} processes, ` +
    `generation ${r.generation.runs} runs on our spec and ` +
    `${r.scale.map((row) => `${row.runs} on ${row.spec.operations} ops`).join(", ")}.`
  );
}

export function targetTable(r: BenchResults): string[] {
  return [
    "| measure | value | target | |",
    "|---|---|---|---|",
    ...rows(r).map(
      (row) =>
        `| ${cell(row.measure)} | ${cell(row.value)} | ${cell(row.target)} | ${verdict(row)} |`,
    ),
  ];
}

/** Generation wall time per spec size: the chart's numbers. */
export function scaleTable(r: BenchResults): string[] {
  return [
    `| spec | ${GENERATORS.join(" | ")} |`,
    `|---|${GENERATORS.map(() => "---:").join("|")}|`,
    ...r.scale.map((row) => {
      const times = GENERATORS.map((g) => {
        const s = row.contestants[g];
        return s === undefined ? "" : `${ms(s.median)} (${s.ratio.toFixed(2)}×)`;
      });
      const kb = (row.spec.bytes / 1000).toFixed(0);
      return `| ${row.spec.label}: ${row.spec.operations} ops, ${kb} kB | ${times.join(" | ")} |`;
    }),
  ];
}

export function report(r: BenchResults): string {
  const skipped =
    r.wholeApi === undefined || r.wholeApi.skipped.length === 0
      ? []
      : [
          "",
          `Left out of the whole API by the generator (${r.wholeApi.skipped.length}): ${r.wholeApi.skipped.join("; ")}.`,
        ];
  return [
    machineLine(r),
    "",
    ...targetTable(r),
    "",
    "Generation time against spec size (ratio to the openapi-typescript CLI on the same spec):",
    "",
    ...scaleTable(r),
    ...skipped,
    "",
    `![Generation time against spec size](${relative(dirname(PERFORMANCE_PAGE), CHART_PATH)})`,
  ].join("\n");
}
