import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "fireworks-rlor";

/**
 * The version in this package's package.json, found by walking up from this module: the CLI
 * runs from src/ (tsx), from dist/ (built) and bundled, each at a different depth.
 */
export function readPackageVersion(from = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const version = versionIn(join(dir, "package.json"));
    if (version !== undefined) return version;
    const parent = dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}

function versionIn(file: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { name, version } = parsed as { name?: unknown; version?: unknown };
  return name === PACKAGE_NAME && typeof version === "string" ? version : undefined;
}
