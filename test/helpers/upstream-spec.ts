// Whether the fidelity and drift tests have Fireworks' published OpenAPI document 4.259.0
// (UPSTREAM_SPEC in scripts/pipeline/project.ts). A fresh clone has none, and those tests skip
// with a one-line reason.
import { existsSync } from "node:fs";
import { UPSTREAM_SPEC } from "../../scripts/pipeline/project.js";

/** Whether the published spec is there; warns once per test file, naming `what` is skipped. */
export function upstreamSpecPresent(what: string): boolean {
  const present = existsSync(UPSTREAM_SPEC);
  if (!present)
    console.warn(`${what} skipped: no published spec at ${UPSTREAM_SPEC} (set RLOR_UPSTREAM_SPEC)`);
  return present;
}
