import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { type Comparison, compare, interleave } from "./stats.js";

export interface ImportCostResult {
  processes: number;
  /** Milliseconds from before `import()` to after it, inside a fresh Node process. */
  contestants: Comparison;
}

function timeImportOnce(specifier: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(specifier)});console.log(performance.now()-t)`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  return Number(out.trim());
}

/** `entry` is the built package entry (dist/), as a user's Node process would load it. */
export async function measureImportCost(entry: string, processes = 9): Promise<ImportCostResult> {
  const targets = {
    "openapi-fetch (bare)": "openapi-fetch",
    "fireworks-rlor": pathToFileURL(entry).href,
  };
  const samples = await interleave(Object.keys(targets), processes, (name) =>
    timeImportOnce(targets[name as keyof typeof targets]),
  );
  return { processes, contestants: compare(samples, "openapi-fetch (bare)") };
}
