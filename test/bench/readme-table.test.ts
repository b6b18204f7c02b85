// The performance page's table is written from results.json by scripts/bench/readme.ts: the
// section is replaced between its markers only, and every row says its target and verdict.
// (No timing is asserted here: the numbers below are a made-up run.)
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  END,
  PERFORMANCE_PAGE,
  replaceBenchSection,
  START,
} from "../../scripts/bench/readme-section.js";
import { report } from "../../scripts/bench/report.js";
import type { BenchResults } from "../../scripts/bench/results.js";
import type { BenchSpec } from "../../scripts/bench/specs.js";

const s = (median: number, ratio: number) => ({ median, min: median, max: median, ratio });
const spec = (key: BenchSpec["key"], operations: number): BenchSpec => ({
  key,
  label: key,
  path: `/specs/${key}.yaml`,
  operations,
  bytes: operations * 1000,
});
const bundle = (gzip: number) => ({
  src: { minified: 3 * gzip, gzip, modules: [] },
  generatedOnly: { minified: 100, gzip: 50, modules: [] },
});
const specs = [spec("two-operations", 2), spec("rlor", 9), spec("fireworks", 206)];
const generators = (ours: number) => ({
  "ours (types + wrapper)": s(ours, ours / 5000),
  "openapi-typescript CLI": s(5000, 1),
  "orval (fetch)": s(4600, 0.92),
  "hey-api (fetch + sdk)": s(9800, 1.96),
});

const RESULTS: BenchResults = {
  date: "2026-12-01T23:30:00.000Z",
  machine: { cpus: 2, cpuModel: "Test CPU", platform: "linux x64", node: "v20.20.2" },
  load: { start: [1, 2, 3], end: [4, 5, 6] },
  perCall: {
    calls: 3000,
    rounds: 15,
    contestants: {
      "raw fetch": s(200, 0.5),
      "openapi-fetch (bare)": s(400, 1),
      "fireworks-rlor": s(408, 1.02),
    },
  },
  importCost: {
    processes: 9,
    contestants: { "openapi-fetch (bare)": s(10, 1), "fireworks-rlor": s(20, 2) },
  },
  bundle: {
    contestants: {
      "openapi-fetch (bare)": { minified: 7000, gzip: 2758, modules: [] },
      "fireworks-rlor": {
        minified: 20000,
        gzip: 6500,
        modules: [
          { module: "openapi-fetch", bytes: 15000 },
          { module: "src/new-module.ts", bytes: 5000 },
        ],
      },
    },
  },
  cliStart: {
    runs: 20,
    contestants: {
      "node -e 0": s(50, 1),
      "node + fetch (new Request, new Response)": s(80, 1.6),
      "fireworks-rlor get <job> --dry-run": s(96, 1.92),
      "fireworks-rlor --version": s(88, 1.76),
    },
    vsFetchFloor: {
      "node -e 0": s(50, 0.625),
      "node + fetch (new Request, new Response)": s(80, 1),
      "fireworks-rlor get <job> --dry-run": s(96, 1.2),
      "fireworks-rlor --version": s(88, 1.1),
    },
  },
  generation: {
    runs: 5,
    contestants: {
      "openapi-typescript CLI": s(2000, 1),
      "npm run generate (lint + types + wrapper)": s(3000, 1.5),
    },
  },
  specs,
  scale: specs.map((sp) => ({ spec: sp, runs: 3, contestants: generators(5500) })),
  wholeApi: {
    lint: { ms: 4000, errors: 13, warnings: 87 },
    typecheck: { ok: true, ms: 9000, errors: [], errorCount: 0 },
    srcTypecheck: { ok: false, ms: 9000, errors: ["x"], errorCount: 1 },
    skipped: ["POST /v1/upload: multipart"],
    stages: { runs: 3, stages: { startup: 850, generateTypes: 1250, "format (biome)": 200 } },
  },
  treeShaking: { "two-operations": bundle(6450), rlor: bundle(6500), fireworks: bundle(6650) },
};

describe("the performance page's table", () => {
  const markdown = report(RESULTS);
  const row = (measure: string) => markdown.split("\n").find((line) => line.includes(measure));

  it("says which machine, date and load it came from", () => {
    expect(markdown).toContain("2026-12-01 23:30 UTC on 2 × Test CPU");
    expect(markdown).toContain("load average 1 / 2 / 3 at the start");
  });

  it("gives each row its target and whether it is met", () => {
    expect(row("per call: client vs bare openapi-fetch")).toMatch(/1\.02× \| ≤ 1\.05× \| met \|$/);
    expect(row("import of the package entry")).toMatch(/\*\*not met\*\* \|$/);
    expect(row("bundle: create a client")).toMatch(/6,500 B .*\| met \|$/);
    expect(row("ours (types + wrapper) vs openapi-typescript CLI")).toMatch(/1\.10×.*\| met \|$/);
    expect(row("ours vs orval")).toMatch(/\*\*not met\*\* \|$/);
    expect(row("ours vs hey-api")).toMatch(/\| met \|$/);
    // 6,650 B is 150 B from the RLOR spec's 6,500 B.
    expect(row("tree-shaking")).toMatch(/\*\*not met\*\* \|$/);
    expect(row("`npm test` wall time")).toContain("not measured");
    // 15,000 of 20,000 B is 75 %, ~4,880 B of the 6,500 B gzip; a module with no purpose: name only.
    expect(row("bundle by module")).toContain(
      "openapi-fetch 15,000 B (75 %, ~4,880 B gzip): typed requests, path and query serialization; src/new-module.ts 5,000 B (25 %, ~1,630 B gzip) |",
    );
    expect(row("`fireworks-rlor get <job> --dry-run` vs Node with fetch")).toMatch(
      /96 ms vs 80 ms: 1\.20× .*\*\*not met\*\* \|$/,
    );
    expect(row("`fireworks-rlor --version` vs Node with fetch")).toMatch(/1\.10× .*\| met \|$/);
    expect(row("whole API: ours by stage")).toBe(
      "| whole API: ours by stage (`generate --timings`, median of 3) | startup 850 ms; generateTypes 1.25 s; format (biome) 200 ms | none | — |",
    );
  });

  it("lists the generation times per spec size and links the chart", () => {
    expect(row("fireworks: 206 ops")).toContain("5.50 s (1.10×)");
    expect(markdown).toContain("![Generation time against spec size](bench-generation.svg)");
  });

  it("replaces only what is between the markers", () => {
    const readme = `# Title\n\n## Performance\n\nintro\n\n${START}\nold table\n${END}\n\n## Next\n`;
    const next = replaceBenchSection(readme, "new table\n");
    expect(next).toBe(
      `# Title\n\n## Performance\n\nintro\n\n${START}\nnew table\n${END}\n\n## Next\n`,
    );
    expect(replaceBenchSection(next, "new table")).toBe(next);
  });

  it("refuses a page without the markers", () => {
    expect(() => replaceBenchSection("# Title\n", "table")).toThrow(/no .* section/);
  });

  it("has its markers in the project's performance page", () => {
    const readme = readFileSync(new URL(`../../${PERFORMANCE_PAGE}`, import.meta.url), "utf8");
    expect(readme).toContain(START);
    expect(readme).toContain(END);
  });
});
