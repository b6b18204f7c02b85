// Where the fidelity and drift tests find Fireworks' published OpenAPI document 4.259.0: beside
// the project in shared/, or wherever RLOR_UPSTREAM_SPEC points. A fresh clone has neither, and
// those tests skip with a one-line reason.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { PROJECT_ROOT } from "../../scripts/pipeline/project.js";

export const UPSTREAM_SPEC =
  process.env.RLOR_UPSTREAM_SPEC ??
  resolve(PROJECT_ROOT, "../shared/upstream/fireworks-merged-openapi-4.259.0.yml");

/** Whether the published spec is there; warns once per test file, naming `what` is skipped. */
export function upstreamSpecPresent(what: string): boolean {
  const present = existsSync(UPSTREAM_SPEC);
  if (!present)
    console.warn(`${what} skipped: no published spec at ${UPSTREAM_SPEC} (set RLOR_UPSTREAM_SPEC)`);
  return present;
}
