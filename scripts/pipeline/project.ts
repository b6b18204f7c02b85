// Where the pipeline's inputs are. A module of its own, so that what needs only the paths (the
// lint and fidelity tests) does not load the generator with them (ts-morph, ~1 CPU-s).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root: every default path, and the spec path in headers, is relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const DEFAULT_SPEC = "openapi/rlor-trainer-jobs.yaml";
export const LINT_CONFIG = "redocly.yaml";

/**
 * Fireworks' published OpenAPI document 4.259.0, for the fidelity and drift tests and the bench:
 * beside the project in shared/, or wherever RLOR_UPSTREAM_SPEC points (a fresh clone has neither).
 */
export const UPSTREAM_SPEC = resolve(
  process.env.RLOR_UPSTREAM_SPEC ??
    resolve(PROJECT_ROOT, "../shared/upstream/fireworks-merged-openapi-4.259.0.yml"),
);
