// The report stage of `npm run spec:compare`: findings grouped by direction, then by operation,
// as text for a terminal or as Markdown for a pull request, and the exit code they make.
import { type Finding, type FindingKind, WHERE_SEPARATOR } from "./compare.js";

/** What differs inside one operation, in the order found. */
export interface OperationDrift {
  /** `METHOD /path`. */
  operation: string;
  /** The part and field (`response 200 › trainerReplicaCount`), or `""` for the operation itself. */
  differences: { at: string; detail: string }[];
}

/** One direction of drift; sections with no difference are left out. */
export interface DriftSection {
  kind: FindingKind;
  title: string;
  operations: OperationDrift[];
  count: number;
}

/** The two documents compared, as the report names them (a path and its `info.version`). */
export interface ComparedSpecs {
  published: string;
  ours: string;
}

const KINDS: readonly FindingKind[] = ["published-only", "ours-only", "changed", "adopted"];

export const SECTION_TITLES: Readonly<Record<FindingKind, string>> = {
  "published-only": "In the published spec, not in ours (upstream added)",
  "ours-only":
    "In ours, not in the published spec (upstream dropped, or an addition of ours without an x-source)",
  changed: "In both, but different",
  adopted: "In both, but our x-source marks it as our addition (credit the published spec)",
};

/** The command's exit codes: 0, 1 and 2 alone; drift ORs one bit per direction found. */
export const EXIT = {
  noDrift: 0,
  /** A document could not be read, parsed or followed (an unresolved `$ref`). */
  failed: 1,
  usage: 2,
  drift: { "published-only": 4, "ours-only": 8, changed: 16, adopted: 32 },
} as const satisfies { drift: Record<FindingKind, number> } & Record<string, unknown>;

export function groupFindings(findings: readonly Finding[]): DriftSection[] {
  return KINDS.flatMap((kind) => {
    const byOperation = new Map<string, OperationDrift>();
    const ofKind = findings.filter((finding) => finding.kind === kind);
    for (const { where, detail } of ofKind) {
      const [operation = where, ...rest] = where.split(WHERE_SEPARATOR);
      const group = byOperation.get(operation) ?? { operation, differences: [] };
      group.differences.push({ at: rest.join(WHERE_SEPARATOR), detail });
      byOperation.set(operation, group);
    }
    return ofKind.length === 0
      ? []
      : [
          {
            kind,
            title: SECTION_TITLES[kind],
            operations: [...byOperation.values()],
            count: ofKind.length,
          },
        ];
  });
}

export function exitCodeOf(findings: readonly Finding[]): number {
  let exitCode: number = EXIT.noDrift;
  for (const { kind } of findings) exitCode |= EXIT.drift[kind];
  return exitCode;
}

/** One line for stderr: how much drift in which direction, and the exit code it makes. */
export function summaryLine(sections: readonly DriftSection[], exitCode: number): string {
  const counts = sections.map(({ kind, count }) => `${count} ${kind}`);
  return `drift: ${counts.join(", ")} (exit ${exitCode})`;
}

const NO_DRIFT =
  "No drift: the published RLOR slice and ours agree, but for our x-source additions.";

export function formatText(sections: readonly DriftSection[], specs: ComparedSpecs): string {
  const lines = [`published: ${specs.published}`, `ours:      ${specs.ours}`, ""];
  if (sections.length === 0) return [...lines, NO_DRIFT].join("\n");
  for (const section of sections) {
    lines.push(`${section.title}: ${section.count}`);
    for (const { operation, differences } of section.operations) {
      lines.push(`  ${operation}`);
      for (const { at, detail } of differences)
        lines.push(`    ${at === "" ? detail : `${at}: ${detail}`}`);
    }
    lines.push("");
  }
  return lines.join("\n").trimEnd();
}

/** A Markdown code span that holds `text` whatever backticks it contains. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Plain text from a spec (enum values, types) with Markdown's active characters escaped. */
function plain(text: string): string {
  return text.replace(/[\\`*_[\]<>|#~]/g, "\\$&");
}

export function formatMarkdown(sections: readonly DriftSection[], specs: ComparedSpecs): string {
  const lines = [
    "### OpenAPI drift: the published RLOR slice against ours",
    "",
    `Published: ${code(specs.published)}; ours: ${code(specs.ours)}.`,
    "",
  ];
  if (sections.length === 0) return [...lines, NO_DRIFT].join("\n");
  lines.push("| direction | operations | differences |", "|---|---:|---:|");
  for (const { title, operations, count } of sections)
    lines.push(`| ${plain(title)} | ${operations.length} | ${count} |`);
  for (const section of sections) {
    lines.push("", `#### ${plain(section.title)}`);
    for (const { operation, differences } of section.operations) {
      lines.push("", `**${code(operation)}**`, "");
      for (const { at, detail } of differences)
        lines.push(`- ${at === "" ? plain(detail) : `${code(at)}: ${plain(detail)}`}`);
    }
  }
  return lines.join("\n");
}
