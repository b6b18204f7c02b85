/**
 * Every fenced code block in README.md and the docs/ pages is exercised: TypeScript blocks are type-checked together
 * against the package's declarations (dist/, which vitest's global setup builds) and run against
 * the fake server; shell blocks have every command
 * checked (npm scripts exist, CLI command lines parse, sample output matches a real run); the
 * layout block names paths that exist. A block in any other language fails, so none escapes.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build, type Plugin } from "esbuild";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { commandFlags, findCommand } from "../../src/cli/command-table.js";
import {
  type FakeFireworks,
  type FakeResumePlan,
  startFakeFireworks,
} from "../../src/testing/index.js";
import { type BuiltCli, buildCli, killLeftoverClis, runCli } from "../cli/cli-harness.js";
import { runInProcess } from "../cli/in-process.js";
import { typeCheckProjects } from "../helpers/type-check.js";
import { type ReadmeBlock, readmeBlocks } from "./readme-blocks.js";
import { type ShellCommand, type ShellStep, shellSteps } from "./shell-commands.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

/** The pages a reader is sent to: the README and every docs/ page. */
const PAGES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];
const pageText = (page: string) => readFileSync(join(ROOT, page), "utf8");
const blocks = PAGES.flatMap((page) => readmeBlocks(pageText(page), page));
const byLang = (...langs: string[]) => blocks.filter((block) => langs.includes(block.lang));
const KNOWN_LANGS = ["ts", "sh", "console", "text"];

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
};

/** Where the README's examples point: the fake server serves these. */
const EXAMPLE_ACCOUNT = "my-account";
const EXAMPLE_JOB = "my-job";

/** The example job's trainer log, as the README's logs examples show it. */
const EXAMPLE_LOG = [
  "[trainer] step 1/2 loss=0.693 reward=0.41\n",
  "[trainer] step 2/2 loss=0.541 reward=0.58\n",
  "[trainer] saved checkpoint step-2\n",
];

/** What the TypeScript blocks print, keyed by page, heading and ordinal; others only have to exit 0. */
const TS_STDOUT: Readonly<Record<string, string>> = {
  "docs/logs.md: Following the log#1": EXAMPLE_LOG.join(""),
  "README.md: Quick start: the library#1": `accounts/${EXAMPLE_ACCOUNT}/rlorTrainerJobs/${EXAMPLE_JOB} is JOB_STATE_RUNNING\n`,
  "docs/library.md: The single calls#1": "JOB_STATE_RUNNING\naccounts/fireworks/models/qwen3-8b\n",
  "docs/testing.md: Trying and testing without an API key#1": "JOB_STATE_RUNNING\n",
  "docs/promote.md: After training: promote a checkpoint#1": `step-2 -> accounts/${EXAMPLE_ACCOUNT}/models/my-model (READY)\n2 GPU-hours on NVIDIA_H100_80GB\n`,
};

const where = (block: ReadmeBlock) => `${block.file} line ${block.line} (${block.heading})`;
const key = (block: ReadmeBlock) => `${block.file}: ${block.heading}#${block.ordinal}`;

const PACKAGE_SOURCES: Readonly<Record<string, string>> = {
  [pkg.name]: join(ROOT, "src/index.ts"),
  [`${pkg.name}/testing`]: join(ROOT, "src/testing/index.ts"),
};
/** What a user's type checker reads: the declarations the package ships. */
const PACKAGE_TYPES: Readonly<Record<string, string>> = {
  [pkg.name]: join(ROOT, "dist/src/index.d.ts"),
  [`${pkg.name}/testing`]: join(ROOT, "dist/src/testing/index.d.ts"),
};

let fake: FakeFireworks | undefined;

/** Resumed jobs run at once, so a block that polls every 5 s (the default) ends without waiting. */
const AT_ONCE: FakeResumePlan = { staleReads: 0, path: [] };

/** A fake server for one block, serving the example job (PAUSED). */
async function startFake(
  steps: FakeResumePlan,
  accountId = EXAMPLE_ACCOUNT,
): Promise<FakeFireworks> {
  fake = await startFakeFireworks({
    accountId,
    jobs: [{ id: EXAMPLE_JOB, log: EXAMPLE_LOG }],
    steps,
  });
  return fake;
}

afterEach(async () => {
  killLeftoverClis();
  await fake?.close();
  fake = undefined;
});

/** Relative links (`[text](docs/errors.md#retries)`) of a page, as paths from the project root. */
function relativeLinks(page: string): string[] {
  const targets = [...pageText(page).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? "");
  return targets
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith("#"))
    .map((target) => join(dirname(page), target.split("#")[0] ?? ""));
}

it("links every docs/ page from the README, and every relative link resolves", () => {
  const fromReadme = new Set(relativeLinks("README.md"));
  expect(PAGES.filter((page) => page !== "README.md" && !fromReadme.has(page))).toEqual([]);
  const broken = PAGES.flatMap((page) =>
    relativeLinks(page)
      .filter((path) => !existsSync(join(ROOT, path)))
      .map((path) => `${page} -> ${path}`),
  );
  expect(broken).toEqual([]);
});

it("has only code blocks in languages this test exercises", () => {
  expect(blocks.length).toBeGreaterThan(0);
  const unknown = blocks.filter((block) => !KNOWN_LANGS.includes(block.lang)).map(where);
  expect(unknown).toEqual([]);
});

describe("README ts blocks", () => {
  const tsBlocks = byLang("ts");
  let dir = "";
  const fileOf = (block: ReadmeBlock) =>
    join(dir, `${basename(block.file, ".md")}-line-${block.line}.ts`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fireworks-rlor-readme-"));
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    for (const block of tsBlocks) await writeFile(fileOf(block), block.code);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("type-check together against the package's declarations under strict settings", async () => {
    expect(tsBlocks.length).toBeGreaterThan(0);
    const paths = Object.fromEntries(
      Object.entries(PACKAGE_TYPES).map(([name, file]) => [name, [file]]),
    );
    const tsconfig = {
      compilerOptions: {
        target: "ES2023",
        lib: ["ES2023"],
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        verbatimModuleSyntax: true,
        noEmit: true,
        skipLibCheck: true,
        typeRoots: [join(ROOT, "node_modules/@types")],
        types: ["node"],
        paths,
      },
      files: tsBlocks.map(fileOf),
    };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    // `tsc -p dir`, in this process: no Node start and TypeScript load of a child (type-check.ts).
    const [result] = typeCheckProjects([join(dir, "tsconfig.json")]);
    // Errors name <page>-line-<N>.ts: N is the page's line of the block's opening fence.
    expect(result).toMatchObject({ ok: true, output: "" });
  }, 60_000);

  it("expects output only from blocks that exist", () => {
    const keys = new Set(tsBlocks.map(key));
    expect(Object.keys(TS_STDOUT).filter((name) => !keys.has(name))).toEqual([]);
  });

  /** Bundles a block with `fireworks-rlor` imports pointing at src/, so plain node runs it. */
  const packageSource: Plugin = {
    name: "package-source",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^fireworks-rlor(\/.*)?$/ }, ({ path }) => {
        const file = PACKAGE_SOURCES[path];
        return file ? { path: file } : { errors: [{ text: `not an export: ${path}` }] };
      });
    },
  };

  it.each(tsBlocks.map((block) => [block.line, block] as const))(
    "block at line %i runs against the fake server",
    async (_line, block) => {
      const outfile = fileOf(block).replace(/\.ts$/, ".mjs");
      await build({
        entryPoints: [fileOf(block)],
        outfile,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        logLevel: "silent",
        plugins: [packageSource],
      });
      const server = await startFake(AT_ONCE);
      const result = await run(process.execPath, [outfile], {
        env: {
          PATH: process.env.PATH ?? "",
          FIREWORKS_API_KEY: server.apiKey,
          FIREWORKS_ACCOUNT_ID: server.accountId,
          FIREWORKS_BASE_URL: server.baseUrl,
        },
      });
      const expected = TS_STDOUT[key(block)];
      if (expected !== undefined) expect(result.stdout).toBe(expected);
      expect(result.stdout).not.toContain(server.apiKey);
      expect(result.stderr).not.toContain(server.apiKey);
    },
  );
});

describe("README sh and console blocks", () => {
  let cli: BuiltCli;
  let help = "";

  beforeAll(async () => {
    cli = await buildCli();
    // The CLI's own code in this process (as the CLI tests run it): a child costs ~0.1 CPU-s of
    // Node start-up, and this block has a dozen command lines. Sample output still comes from
    // the built bin in a child process, as a user would see it.
    help = (await runInProcess(["--help"])).stdout;
  });

  afterAll(async () => {
    await cli?.remove();
  });

  /** Exported variables with a placeholder value (`...`, `<key>`) keep the fake server's value. */
  function exportedEnv(steps: readonly ShellStep[]): Record<string, string> {
    const env: Record<string, string> = {};
    for (const command of steps.flatMap((step) => step.commands)) {
      if (command.kind !== "export") continue;
      for (const [name, value] of Object.entries(command.env)) {
        if (!/^(\.\.\.|<.*>)$/.test(value)) env[name] = value;
      }
    }
    return env;
  }

  /** A usage line made runnable: `<job>` filled in, `[optional]` parts kept. */
  function fillSynopsis(args: readonly string[]): string[] {
    return args.map((word) => {
      const filled = word.replace(/<job>/g, EXAMPLE_JOB).replace(/[[\]]/g, "");
      if (/[<>]/.test(filled)) throw new Error(`unknown placeholder in "${word}"`);
      return filled;
    });
  }

  /** Timings differ from run to run: `[5.1s]` becomes `[Ns]`. */
  const untimed = (lines: readonly string[]) =>
    lines.map((line) => line.replace(/^\[\d+(\.\d+)?s\]/, "[Ns]"));

  async function checkCli(
    command: Extract<ShellCommand, { kind: "cli" }>,
    step: ShellStep,
    env: Record<string, string>,
  ): Promise<void> {
    if (command.synopsis) {
      expect(help, "usage lines match `fireworks-rlor --help`").toContain(`  ${step.line}\n`);
    }
    const args = command.synopsis ? fillSynopsis(command.args) : command.args;
    const dryRun = await runInProcess([...args, "--dry-run"], { env });
    expect(dryRun, `${step.line} --dry-run`).toMatchObject({ code: 0 });
    if (step.output.length === 0) return;
    // The sample output must be what a real run prints; short polls keep it fast.
    // Commands that poll take --poll-interval; others (promote) would refuse it.
    const spec = findCommand(args[0]);
    const polls =
      spec !== undefined && commandFlags(spec, []).some((flag) => flag.name === "poll-interval");
    const real = await runCli(cli, polls ? [...args, "--poll-interval", "10ms"] : args, { env });
    expect(real.code, real.stderr).toBe(0);
    const shown = real.stderr.split("\n").filter((line) => line !== "");
    if (!command.stdoutRedirected) shown.push(...real.stdout.split("\n").filter(Boolean));
    expect(untimed(shown)).toEqual(untimed(step.output));
  }

  async function checkCommand(
    command: ShellCommand,
    step: ShellStep,
    env: Record<string, string>,
  ): Promise<void> {
    switch (command.kind) {
      case "npm-run":
        expect(Object.keys(pkg.scripts), step.line).toContain(command.script);
        return;
      case "npm-install":
        expect(command.name).toBe(pkg.name);
        return;
      case "cli":
        return checkCli(command, step, env);
      case "npm-ci":
      case "npm-test":
      case "export":
        expect(step.output, `${step.line} shows no output`).toEqual([]);
        return;
    }
  }

  it.each(byLang("sh", "console").map((block) => [block.line, block] as const))(
    "block at line %i: every command is known and works",
    async (_line, block) => {
      const steps = shellSteps(block);
      expect(steps.length).toBeGreaterThan(0);
      const exported = exportedEnv(steps);
      // The default plan walks PAUSED, RE_QUEUEING, PENDING, RUNNING, as sample output shows.
      const server = await startFake({}, exported.FIREWORKS_ACCOUNT_ID);
      const env = {
        FIREWORKS_API_KEY: server.apiKey,
        FIREWORKS_BASE_URL: server.baseUrl,
        FIREWORKS_ACCOUNT_ID: server.accountId,
        ...exported,
      };
      for (const step of steps) {
        for (const command of step.commands) await checkCommand(command, step, env);
      }
    },
  );
});

describe("README text blocks", () => {
  /** `name/  description` lines; an indented name is inside the unindented one above it. */
  function layoutPaths(block: ReadmeBlock): string[] {
    let parent = "";
    return block.code
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const name = line.trim().split(/\s+/)[0] ?? "";
        const indented = /^\s/.test(line);
        if (!indented) parent = name;
        return indented ? join(parent, name) : name;
      });
  }

  it.each(byLang("text").map((block) => [block.line, block] as const))(
    "block at line %i (project layout) names paths that exist",
    (_line, block) => {
      const paths = layoutPaths(block);
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
    },
  );
});
