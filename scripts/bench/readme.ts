/**
 * `npm run bench:readme`: the performance table of docs/performance.md from the last run's .bench/results.json
 * (never edited by hand). Run `npm run bench` first.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { PERFORMANCE_PAGE, replaceBenchSection } from "./readme-section.js";
import { report } from "./report.js";
import { RESULTS_PATH, readResults } from "./results.js";

const results = readResults();
if (results === undefined) throw new Error(`No ${RESULTS_PATH}: run \`npm run bench\` first`);
const readme = readFileSync(PERFORMANCE_PAGE, "utf8");
const next = replaceBenchSection(readme, report(results));
writeFileSync(PERFORMANCE_PAGE, next);
console.log(
  next === readme
    ? `${PERFORMANCE_PAGE} is up to date`
    : `wrote ${PERFORMANCE_PAGE}'s performance table`,
);
