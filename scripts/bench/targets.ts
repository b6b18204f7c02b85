// Each row of the performance table: what was measured, its target, and whether it is met.
import { MODULE_PURPOSE, OURS_BUNDLE } from "./bundle-size.js";
import { CLI, CLI_VERSION, FETCH_FLOOR, NODE_BASELINE } from "./cli-start.js";
import { bytes, ms, ratio, spread, us } from "./format.js";
import { GENERATE, GENERATION_BASELINE } from "./generation.js";
import { HEY_API, OPENAPI_TS, ORVAL, OURS } from "./generators.js";
import { PER_CALL_BASELINE, PER_CALL_OURS } from "./per-call.js";
import type { BenchResults } from "./results.js";
import type { BenchSpec } from "./specs.js";
import type { StagesResult } from "./stages.js";
import type { Comparison, Summary } from "./stats.js";

export const TARGETS = {
  perCall: 1.05,
  bundleGzip: 7000,
  importCost: 1.5,
  cliStart: 1.15,
  wholeApiVsOpenapiTs: 1.2,
  treeShakingBytes: 100,
  testWallMs: 35_000,
};

export interface Row {
  measure: string;
  value: string;
  target: string;
  /** undefined: no target (reported only). */
  met: boolean | undefined;
}

const NAN: Summary & { ratio: number } = { median: Number.NaN, min: 0, max: 0, ratio: Number.NaN };
const get = (c: Comparison, name: string) => c[name] ?? NAN;

function perCallRows(r: BenchResults): Row[] {
  const c = r.perCall.contestants;
  const ours = get(c, PER_CALL_OURS);
  return [
    {
      measure: "per call: client vs bare openapi-fetch, same fetch",
      value: `${us(ours)} vs ${us(get(c, PER_CALL_BASELINE))}: ${ratio(ours.ratio)}`,
      target: `≤ ${TARGETS.perCall}×`,
      met: ours.ratio <= TARGETS.perCall,
    },
    {
      measure: "per call: raw fetch (the floor)",
      value: us(get(c, "raw fetch")),
      target: "none",
      met: undefined,
    },
  ];
}

/** The resume consumer's bundle by source module: each one's bytes, share and what it buys. */
function bundleBreakdownRow(r: BenchResults): Row {
  const ours = r.bundle.contestants[OURS_BUNDLE];
  const modules = ours?.modules ?? [];
  const total = modules.reduce((sum, m) => sum + m.bytes, 0);
  const parts = modules.slice(0, 10).map((m) => {
    const share = m.bytes / total;
    const purpose = MODULE_PURPOSE[m.module];
    const gzip = Math.round((share * (ours?.gzip ?? 0)) / 10) * 10;
    return `${m.module} ${bytes(m.bytes)} (${(share * 100).toFixed(0)} %, ~${bytes(gzip)} gzip)${purpose === undefined ? "" : `: ${purpose}`}`;
  });
  const rest = modules.slice(10).reduce((sum, m) => sum + m.bytes, 0);
  if (rest > 0) parts.push(`${modules.length - 10} more ${bytes(rest)}`);
  return {
    measure: "bundle by module (minified bytes; gzip share estimated)",
    value: parts.join("; "),
    target: "none",
    met: undefined,
  };
}

function clientRows(r: BenchResults): Row[] {
  const gzip = r.bundle.contestants[OURS_BUNDLE]?.gzip ?? Number.NaN;
  const bare = r.bundle.contestants["openapi-fetch (bare)"]?.gzip ?? Number.NaN;
  const imp = get(r.importCost.contestants, "fireworks-rlor");
  const floor = get(r.cliStart.vsFetchFloor, FETCH_FLOOR);
  return [
    {
      measure: "bundle: create a client and resume (min + gzip -9)",
      value: `${bytes(gzip)} (bare openapi-fetch ${bytes(bare)})`,
      target: `≤ ${bytes(TARGETS.bundleGzip)}`,
      met: gzip <= TARGETS.bundleGzip,
    },
    bundleBreakdownRow(r),
    {
      measure: "import of the package entry vs bare openapi-fetch",
      value: `${imp.median.toFixed(1)} ms vs ${get(r.importCost.contestants, "openapi-fetch (bare)").median.toFixed(1)} ms: ${ratio(imp.ratio)}`,
      target: `≤ ${TARGETS.importCost}×`,
      met: imp.ratio <= TARGETS.importCost,
    },
    ...[CLI, CLI_VERSION].map((command) => {
      const start = get(r.cliStart.vsFetchFloor, command);
      return {
        measure: `command-line start: \`${command}\` vs Node with fetch loaded`,
        value: `${ms(start.median)} vs ${ms(floor.median)}: ${ratio(start.ratio)} (${ratio(get(r.cliStart.contestants, command).ratio)} \`${NODE_BASELINE}\`, ${ms(get(r.cliStart.contestants, NODE_BASELINE).median)})`,
        target: `≤ ${TARGETS.cliStart}×`,
        met: start.ratio <= TARGETS.cliStart,
      };
    }),
    {
      measure: "`npm run generate` on our spec vs openapi-typescript CLI",
      value: `${spread(get(r.generation.contestants, GENERATE))} vs ${ms(get(r.generation.contestants, GENERATION_BASELINE).median)}: ${ratio(get(r.generation.contestants, GENERATE).ratio)}`,
      target: "none",
      met: undefined,
    },
  ];
}

function wholeApiRows(r: BenchResults): Row[] {
  const whole = r.scale.find((row) => row.spec.key === "fireworks");
  if (whole === undefined || r.wholeApi === undefined) {
    return [
      {
        measure: "whole Fireworks API",
        value: `skipped: ${r.wholeApiMissing ?? "not measured"}`,
        target: "",
        met: undefined,
      },
    ];
  }
  const c = whole.contestants;
  const ours = get(c, OURS);
  const vs = (peer: string): Row => ({
    measure: `whole API (${whole.spec.operations} ops): ours vs ${peer}`,
    value: `${ms(ours.median)} vs ${spread(get(c, peer))}: ${ratio(ours.median / get(c, peer).median)}`,
    target: "faster (< 1×)",
    met: ours.median < get(c, peer).median,
  });
  const { lint, typecheck, srcTypecheck } = r.wholeApi;
  return [
    {
      measure: `whole API (${whole.spec.operations} ops): ours (types + wrapper) vs openapi-typescript CLI`,
      value: `${spread(ours)} vs ${spread(get(c, OPENAPI_TS))}: ${ratio(ours.ratio)}`,
      target: `≤ ${TARGETS.wholeApiVsOpenapiTs}×`,
      met: ours.ratio <= TARGETS.wholeApiVsOpenapiTs,
    },
    vs(ORVAL),
    vs(HEY_API),
    ...stagesRow(r.wholeApi.stages),
    {
      measure: "whole API: Redocly lint, `recommended` rules",
      value: `${ms(lint.ms)}; ${lint.errors} errors, ${lint.warnings} warnings`,
      target: "none",
      met: undefined,
    },
    {
      measure: "whole API: our output type-checks (project's strict flags)",
      value: `${typecheck.ok ? "pass" : `FAIL (${typecheck.errorCount} errors)`} in ${ms(typecheck.ms)}; src/ against it: ${srcTypecheck.ok ? "pass" : `fail (${srcTypecheck.errorCount} errors)`}`,
      target: "pass",
      met: typecheck.ok,
    },
  ];
}

/** Our whole-API generation stage by stage: where the time over the openapi-typescript CLI goes. */
function stagesRow(stages: StagesResult | undefined): Row[] {
  if (stages === undefined) return [];
  const parts = Object.entries(stages.stages).map(([stage, median]) => `${stage} ${ms(median)}`);
  return [
    {
      measure: `whole API: ours by stage (\`generate --timings\`, median of ${stages.runs})`,
      value: parts.join("; "),
      target: "none",
      met: undefined,
    },
  ];
}

function treeShakingRow(r: BenchResults, specs: readonly BenchSpec[]): Row {
  const sizes = specs.flatMap((spec) => {
    const row = r.treeShaking[spec.key];
    if (row === undefined) return [];
    const gzip = "gzip" in row.src ? row.src.gzip : undefined;
    return [{ spec, gzip, generatedOnly: row.generatedOnly.gzip }];
  });
  const srcBuilds = sizes.every((s) => s.gzip !== undefined);
  const pick = (s: (typeof sizes)[number]) => (srcBuilds ? (s.gzip ?? 0) : s.generatedOnly);
  const reference = sizes.find((s) => s.spec.key === "rlor");
  const ref = reference === undefined ? Number.NaN : pick(reference);
  const worst = Math.max(...sizes.map((s) => Math.abs(pick(s) - ref)));
  const kind = srcBuilds ? "package entry" : "generated/ + openapi-fetch (src/ does not build)";
  return {
    measure: `tree-shaking: create a client and resume, as the spec grows (${kind})`,
    value: sizes.map((s) => `${s.spec.operations} ops ${bytes(pick(s))}`).join(", "),
    target: `±${TARGETS.treeShakingBytes} B of the RLOR spec's`,
    met: worst <= TARGETS.treeShakingBytes,
  };
}

function testRow(r: BenchResults): Row {
  return {
    measure: "`npm test` wall time",
    value:
      r.tests === undefined
        ? "not measured (`npm run bench -- --with-tests`)"
        : `${ms(r.tests.ms)}${r.tests.passed ? "" : ", tests FAILED"} (${r.tests.date.slice(0, 16).replace("T", " ")} UTC, load ${r.tests.load[0]})`,
    target: `≤ ${ms(TARGETS.testWallMs)}`,
    met: r.tests === undefined ? undefined : r.tests.passed && r.tests.ms <= TARGETS.testWallMs,
  };
}

export function rows(r: BenchResults): Row[] {
  return [
    ...perCallRows(r),
    ...clientRows(r),
    ...wholeApiRows(r),
    treeShakingRow(r, r.specs),
    testRow(r),
  ];
}
