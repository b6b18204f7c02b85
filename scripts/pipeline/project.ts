// Where the pipeline's inputs are. A module of its own, so that what needs only the paths (the
// lint and fidelity tests) does not load the generator with them (ts-morph, ~1 CPU-s).
import { fileURLToPath } from "node:url";

/** The project root: every default path, and the spec path in headers, is relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const DEFAULT_SPEC = "openapi/rlor-trainer-jobs.yaml";
export const LINT_CONFIG = "redocly.yaml";
