// CHANGELOG.md (Keep a Changelog) as the place where a breaking change is acknowledged.

/** The `## [Unreleased]` section's lines under a `### Breaking…` or `### Removed` heading. */
export function acknowledgementLines(changelog: string): string[] {
  const lines: string[] = [];
  let inUnreleased = false;
  let counts = false;
  for (const line of changelog.split("\n")) {
    if (line.startsWith("## ")) {
      inUnreleased = /^## \[Unreleased\]/i.test(line);
      counts = false;
    } else if (inUnreleased && line.startsWith("### ")) {
      counts = /^### (Breaking|Removed)\b/i.test(line);
    } else if (inUnreleased && counts && line.trim() !== "") {
      lines.push(line);
    }
  }
  return lines;
}

const mentions = (line: string, word: string) =>
  new RegExp(`(?<![\\w$])${word.replace(/[$]/g, "\\$")}(?![\\w$])`).test(line);

/**
 * Whether a line names the change: the export and, for a member (`RlorTrainerJob.displayName`),
 * the member too, as whole words (`RlorTrainerJob.displayName`, or both names anywhere).
 */
export function isAcknowledged(path: string, lines: readonly string[]): boolean {
  const parts = path.split(".").map((part) => part.replace(/\[\]$/, ""));
  const exportName = parts[0] ?? path;
  const member = parts.length > 1 ? parts[parts.length - 1] : undefined;
  return lines.some(
    (line) => mentions(line, exportName) && (member === undefined || mentions(line, member)),
  );
}

/** major.minor.patch of a version string. */
function parts(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (match === null) throw new Error(`not a version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Whether going from `from` to `to` may break users: a new major, or a new minor below 1.0. */
export function allowsBreakingChanges(from: string, to: string): boolean {
  const [fromMajor, fromMinor] = parts(from);
  const [toMajor, toMinor] = parts(to);
  if (toMajor !== fromMajor) return toMajor > fromMajor;
  return toMajor === 0 && toMinor > fromMinor;
}
