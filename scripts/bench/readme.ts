/**
 * `npm run bench:readme`: the README's performance table from the last run's .bench/results.json
 * (never edited by hand). Run `npm run bench` first.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { replaceBenchSection } from "./readme-section.js";
import { report } from "./report.js";
import { RESULTS_PATH, readResults } from "./results.js";

const results = readResults();
if (results === undefined) throw new Error(`No ${RESULTS_PATH}: run \`npm run bench\` first`);
const readme = readFileSync("README.md", "utf8");
const next = replaceBenchSection(readme, report(results));
writeFileSync("README.md", next);
console.log(next === readme ? "README.md is up to date" : "wrote README.md's performance table");
