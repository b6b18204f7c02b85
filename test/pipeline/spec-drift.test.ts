// `npm run spec:compare` both ways: a "newer" published document, made from the 4.259.0 copy the
// way Fireworks' spec has since moved (reference/fireworks-trainer-lifecycle.md §7), must have
// every difference named, in its direction and under its operation, in the text and the Markdown
// report, and the exit code must carry one bit per direction found.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseYaml } from "@redocly/openapi-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SPEC, PROJECT_ROOT, UPSTREAM_SPEC } from "../../scripts/pipeline/project.js";
import {
  compareSpecs,
  type FindingKind,
  WHERE_SEPARATOR,
} from "../../scripts/spec-compare/compare.js";
import { EXIT, SECTION_TITLES } from "../../scripts/spec-compare/report.js";
import { main } from "../../scripts/spec-compare.js";
import { upstreamSpecPresent } from "../helpers/upstream-spec.js";

const upstreamExists = upstreamSpecPresent("spec drift tests");

type Json = Record<string, unknown>;

const JOBS = "/v1/accounts/{account_id}/rlorTrainerJobs";
const JOB = `${JOBS}/{rlor_trainer_job_id}`;
const SYNC = `${JOB}/checkpoints/{checkpoint_id}:sync`;

function at(document: Json, ...keys: string[]): Json {
  let node: unknown = document;
  for (const key of keys) {
    node = (node as Json)[key];
    if (typeof node !== "object" || node === null)
      throw new Error(`${keys.join(" / ")} is not in the published spec`);
  }
  return node as Json;
}

/** Which ways the "newer" document moves away from 4.259.0. */
interface Moves {
  add: boolean;
  drop: boolean;
  change: boolean;
  /** Upstream takes up JOB_STATE_ARCHIVED, which ours adds with an x-source naming it. */
  adopt: boolean;
}

/**
 * The 4.259.0 document moved on as §7 describes (`:executeTrainStep` gone, a `:sync` route and
 * job, training-config and checkpoint fields added, JOB_STATE_ARCHIVED taken up), plus a
 * dropped field, a dropped enum value and a changed format.
 */
function newerPublished(base: Json, moves: Moves): Json {
  const document = structuredClone(base);
  const paths = at(document, "paths");
  const schemas = at(document, "components", "schemas");
  const job = at(schemas, "gatewayRlorTrainerJob", "properties");
  if (moves.add) {
    const cancel = at(paths, `${JOB}:cancel`, "post");
    paths[SYNC] = {
      post: {
        operationId: "Gateway_SyncRlorTrainerJobCheckpoint",
        parameters: [
          ...(cancel.parameters as Json[]),
          { name: "checkpoint_id", in: "path", required: true, schema: { type: "string" } },
        ],
        responses: cancel.responses,
      },
    };
    Object.assign(job, {
      trainerReplicaCount: { type: "integer", format: "int32" },
      inactivityTimeout: { type: "string" },
      disableInactivityCleanup: { type: "boolean" },
      encryptionState: { type: "string", enum: ["ENCRYPTION_STATE_UNSPECIFIED", "ENCRYPTED"] },
    });
    at(schemas, "gatewayBaseTrainingConfig", "properties").lrScheduler = { type: "object" };
    Object.assign(at(schemas, "gatewayRlorTrainerJobCheckpoint", "properties"), {
      restoreReference: { type: "string" },
      availability: { type: "array", items: { type: "string" } },
    });
  }
  if (moves.drop) {
    delete paths[`${JOB}:executeTrainStep`];
    // A field whose x-source only explains our change (nullable) is still Fireworks'.
    delete job.lossConfig;
    const state = at(schemas, "gatewayJobState");
    state.enum = (state.enum as string[]).filter((value) => value !== "JOB_STATE_EXPIRED");
  }
  if (moves.change) at(job, "nodeCount").format = "int64";
  if (moves.adopt) {
    const state = at(schemas, "gatewayJobState");
    state.enum = [...(state.enum as string[]), "JOB_STATE_ARCHIVED"];
  }
  return document;
}

interface Difference {
  kind: FindingKind;
  /** One operation the report must name it under (job fields show under every job operation). */
  operation: string;
  /** The field inside the response, `""` for the operation itself. */
  field: string;
  detail: string;
}

/** The report's line for a difference, under its operation. */
const lineOf = ({ field, detail }: Difference) =>
  field === "" ? detail : `response 200 › ${field}: ${detail}`;

const jobField = (field: string): Difference => ({
  kind: "published-only",
  operation: `GET ${JOB}`,
  field,
  detail: "field",
});

/** Every difference the newer document makes. */
const DIFFERENCES: Difference[] = [
  {
    kind: "ours-only",
    operation: `POST ${JOB}:executeTrainStep`,
    field: "",
    detail: "operation executeRlorTrainStep",
  },
  {
    kind: "published-only",
    operation: `POST ${SYNC}`,
    field: "",
    detail: "operation Gateway_SyncRlorTrainerJobCheckpoint",
  },
  jobField("trainerReplicaCount"),
  jobField("inactivityTimeout"),
  jobField("disableInactivityCleanup"),
  jobField("encryptionState"),
  jobField("trainingConfig.lrScheduler"),
  ...["restoreReference", "availability"].map((name) => ({
    kind: "published-only" as const,
    operation: `GET ${JOB}/checkpoints`,
    field: `checkpoints[].${name}`,
    detail: "field",
  })),
  { kind: "ours-only", operation: `GET ${JOB}`, field: "lossConfig", detail: "field" },
  {
    kind: "ours-only",
    operation: `POST ${JOB}:resume`,
    field: "state",
    detail: "enum value(s) JOB_STATE_EXPIRED",
  },
  {
    kind: "adopted",
    operation: `GET ${JOB}`,
    field: "state",
    detail: "enum value(s) JOB_STATE_ARCHIVED",
  },
  {
    kind: "changed",
    operation: `GET ${JOBS}`,
    field: "rlorTrainerJobs[].nodeCount",
    detail: "format is int32, published int64",
  },
];

/** The lines under `heading` up to the next line `isNext` accepts. */
function block(lines: readonly string[], heading: string, isNext: (line: string) => boolean) {
  const start = lines.indexOf(heading);
  if (start === -1) return [];
  const rest = lines.slice(start + 1);
  const end = rest.findIndex(isNext);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The difference lines text output shows for `operation` in the `kind` section. */
function textLines(report: string, kind: FindingKind, operation: string): string[] {
  const lines = report.split("\n");
  const title = lines.find((line) => line.startsWith(`${SECTION_TITLES[kind]}: `)) ?? "";
  const section = block(lines, title, (line) => line === "");
  return block(section, `  ${operation}`, (line) => !line.startsWith("    ")).map((line) =>
    line.trim(),
  );
}

/** The same from the Markdown report, its code spans and escapes read back as plain text. */
function markdownLines(report: string, kind: FindingKind, operation: string): string[] {
  const section = block(report.split("\n"), `#### ${SECTION_TITLES[kind]}`, (line) =>
    line.startsWith("#### "),
  );
  return block(section, `**\`${operation}\`**`, (line) => line.startsWith("**"))
    .filter((line) => line.startsWith("- "))
    .map((line) => line.slice(2).replaceAll("`", "").replace(/\\(.)/g, "$1"));
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const exitCode = await main(args, {
    log: (line) => out.push(line),
    error: (line) => err.push(line),
  });
  return { exitCode, stdout: out.join("\n"), stderr: err.join("\n") };
}

const ALL: Moves = { add: true, drop: true, change: true, adopt: true };

describe.skipIf(!upstreamExists)("spec:compare reports drift both ways", () => {
  let directory = "";
  /** The 4.259.0 copy, parsed once: each test moves its own clone of it. */
  let published: Json = {};

  /** Writes a newer document moved as `moves` says; returns its path. */
  async function newerFile(name: string, moves: Moves): Promise<string> {
    const path = join(directory, `${name}.json`);
    await writeFile(path, JSON.stringify(newerPublished(published, moves)));
    return path;
  }

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "spec-drift-"));
    published = parseYaml(await readFile(UPSTREAM_SPEC, "utf8")) as Json;
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("names every difference, in its direction and under its operation, in the text report", async () => {
    const { exitCode, stdout, stderr } = await run([await newerFile("newer", ALL)]);
    for (const difference of DIFFERENCES)
      expect(textLines(stdout, difference.kind, difference.operation)).toContain(
        lineOf(difference),
      );
    expect(exitCode).toBe(
      EXIT.drift["published-only"] |
        EXIT.drift["ours-only"] |
        EXIT.drift.changed |
        EXIT.drift.adopted,
    );
    expect(stderr).toMatch(
      /^drift: \d+ published-only, \d+ ours-only, \d+ changed, \d+ adopted \(exit 60\)$/,
    );
  });

  it("names every difference in the Markdown report, with a count per direction", async () => {
    const { exitCode, stdout } = await run([await newerFile("newer", ALL), "--markdown"]);
    for (const difference of DIFFERENCES)
      expect(markdownLines(stdout, difference.kind, difference.operation)).toContain(
        lineOf(difference),
      );
    const table = stdout.split("\n").filter((line) => line.startsWith("| "));
    for (const title of Object.values(SECTION_TITLES))
      expect(
        table.some((line) => line.startsWith(`| ${title} | `) && /\| \d+ \| \d+ \|$/.test(line)),
        title,
      ).toBe(true);
    expect(exitCode).toBe(60);
  });

  it("finds nothing but those differences (under other operations too)", () => {
    const ours = parseYaml(readFileSync(join(PROJECT_ROOT, DEFAULT_SPEC), "utf8"));
    const findings = compareSpecs(ours, newerPublished(published, ALL));
    for (const finding of findings) {
      const [, , field = ""] = finding.where.split(WHERE_SEPARATOR);
      const known = DIFFERENCES.some(
        (difference) =>
          difference.kind === finding.kind &&
          difference.detail === finding.detail &&
          difference.field.replace(/^rlorTrainerJobs\[\]\./, "") ===
            field.replace(/^rlorTrainerJobs\[\]\./, ""),
      );
      expect(known, `${finding.kind} ${finding.where}: ${finding.detail}`).toBe(true);
    }
  });

  it("names a path-level parameter under each operation of the path, and nowhere else", () => {
    const document = structuredClone(published);
    at(document, "paths", `${JOB}:cancel`).parameters = [
      { name: "etag", in: "query", schema: { type: "string" } },
    ];
    const ours = parseYaml(readFileSync(join(PROJECT_ROOT, DEFAULT_SPEC), "utf8"));
    expect(compareSpecs(ours, document)).toEqual([
      {
        kind: "published-only",
        where: `POST ${JOB}:cancel › parameter etag (in query)`,
        detail: "parameter",
      },
    ]);
  });

  it("exits 4 for upstream additions alone, 8 for drops, 16 for changes, 32 for adoptions", async () => {
    const none = { add: false, drop: false, change: false, adopt: false };
    expect((await run([await newerFile("added", { ...none, add: true })])).exitCode).toBe(4);
    const dropped = await run([await newerFile("dropped", { ...none, drop: true }), "--markdown"]);
    expect(dropped.exitCode).toBe(8);
    expect(markdownLines(dropped.stdout, "ours-only", `POST ${JOB}:executeTrainStep`)).toEqual([
      "operation executeRlorTrainStep",
    ]);
    expect((await run([await newerFile("changed", { ...none, change: true })])).exitCode).toBe(16);
    expect((await run([await newerFile("adopted", { ...none, adopt: true })])).exitCode).toBe(32);
  });

  it("is the exit status of the command's own process", async () => {
    const script = join(PROJECT_ROOT, "scripts/spec-compare.ts");
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", script, await newerFile("newer", ALL), "--markdown"],
      { cwd: PROJECT_ROOT, encoding: "utf8" },
    );
    expect(child.status, child.stderr).toBe(60);
    expect(child.stdout).toMatch(/^### OpenAPI drift/);
    expect(child.stderr).toMatch(/\(exit 60\)\n$/);
  });

  it("exits 0 on the 4.259.0 copy, 2 on bad usage and 1 when a document cannot be read", async () => {
    expect(await run([UPSTREAM_SPEC])).toMatchObject({ exitCode: EXIT.noDrift, stderr: "" });
    expect((await run([])).exitCode).toBe(EXIT.usage);
    expect((await run([UPSTREAM_SPEC, "--no-such-flag"])).exitCode).toBe(EXIT.usage);
    const missing = await run([join(directory, "absent.yml")]);
    expect(missing.exitCode).toBe(EXIT.failed);
    expect(missing.stderr).toMatch(/^spec:compare: .*absent\.yml/);
  });
});
