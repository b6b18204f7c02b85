/**
 * The package as a stranger gets it: `npm pack`, install the tarball into an empty project,
 * type-check a consumer under strict settings (nodenext and bundler resolution), run it against
 * the fake server from `fireworks-rlor/testing`, and run the installed CLI.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TypeCheckResult, typeCheckProjects } from "../helpers/type-check.js";
import { packProject, ROOT, run } from "./npm-pack.js";
import { lintTarball, TARBALL_LINTERS } from "./tarball-lint.js";

const CONSUMER = `import {
  createFireworksClient,
  FireworksError,
  getRlorTrainerJob,
  type JobState,
  NotFoundError,
  type RlorTrainerJob,
  resumeRlorTrainerJobAndWait,
} from "fireworks-rlor";
import { startFakeFireworks } from "fireworks-rlor/testing";

const fake = await startFakeFireworks({ jobs: [{ id: "consumer-job" }] });
try {
  const client = createFireworksClient({
    apiKey: fake.apiKey,
    accountId: fake.accountId,
    baseUrl: fake.baseUrl,
  });
  const states: (JobState | undefined)[] = [];
  const job: RlorTrainerJob = await resumeRlorTrainerJobAndWait(client, "consumer-job", {
    pollInterval: 10,
    timeout: 30_000,
    onStateChange: (seen) => states.push(seen.state),
  });
  const missing = await getRlorTrainerJob(client, "no-such-job").then(
    () => "found",
    (error: unknown) =>
      error instanceof NotFoundError && error instanceof FireworksError ? error.status : "other",
  );
  console.log(JSON.stringify({ name: job.name, state: job.state, states, missing }));
} finally {
  await fake.close();
}
`;

/**
 * Strict settings a careful consumer might use. No @types/node: the package's declarations need
 * only the standard library and `fetch`'s types (here the DOM lib), so a browser or Deno project
 * can use them too, and checking them does not mean checking all of Node's.
 */
const RESOLUTIONS = ["nodenext", "bundler"] as const;
type Resolution = (typeof RESOLUTIONS)[number];

function tsconfig(resolution: Resolution): string {
  return JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      // nodenext, the strictest resolution, also checks the package's .d.ts files (and
      // openapi-fetch's), not only the consumer's use of them; the standard library's are
      // TypeScript's own. Under bundler only the consumer is checked: the same declarations
      // again would cost ~1 CPU-s, and attw checks how each resolution mode finds them.
      ...(resolution === "nodenext"
        ? { module: "nodenext", moduleResolution: "nodenext", outDir: "out", skipLibCheck: false }
        : { module: "preserve", moduleResolution: "bundler", noEmit: true, skipLibCheck: true }),
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      verbatimModuleSyntax: true,
      skipDefaultLibCheck: true,
      types: [],
    },
    files: ["consumer.ts"],
  });
}

/** Installs from the tarball and the npm cache; CI with a cold cache may reach the registry. */
async function installTarball(consumer: string, tarball: string): Promise<void> {
  const flags = ["install", "--no-audit", "--no-fund", "--ignore-scripts"];
  try {
    await run("npm", [...flags, "--offline", tarball], { cwd: consumer });
  } catch {
    await run("npm", [...flags, "--prefer-offline", tarball], { cwd: consumer });
  }
}

describe("the packed package in a fresh project", () => {
  let dir = "";
  let consumer = "";
  let tarball = "";
  const checks = new Map<Resolution, TypeCheckResult>();

  // One pack and one install per run: each costs seconds on a 2-core machine.
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fireworks-rlor-consumer-"));
    consumer = join(dir, "consumer");
    // A start of the clone's own bin leaves its code cache in dist/, which the pack must leave out.
    await run(process.execPath, [join(ROOT, "bin/fireworks-rlor.cjs"), "--version"]);
    tarball = await packProject(dir);
    await mkdir(consumer);
    await writeFile(
      join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    await installTarball(consumer, tarball);
    await writeFile(join(consumer, "consumer.ts"), CONSUMER);
    for (const resolution of RESOLUTIONS) {
      await writeFile(join(consumer, `tsconfig.${resolution}.json`), tsconfig(resolution));
    }
    // Two programs, one per resolution, as two `tsc -p` runs would be (see type-check.ts). The
    // nodenext check also emits out/consumer.js, which the run test uses.
    const results = typeCheckProjects(
      RESOLUTIONS.map((resolution) => join(consumer, `tsconfig.${resolution}.json`)),
    );
    RESOLUTIONS.forEach((resolution, index) => {
      const result = results[index];
      if (result) checks.set(resolution, result);
    });
  }, 180_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(TARBALL_LINTERS)("passes $tool", async (linter) => {
    const { code, output } = await lintTarball(linter, tarball);
    expect(code, output).toBe(0);
  });

  it.each(RESOLUTIONS)("type-checks a strict consumer with moduleResolution %s", (resolution) => {
    expect(checks.get(resolution)).toMatchObject({ ok: true, output: "" });
  });

  it("resumes a paused job and waits until it runs, against the fake server", async () => {
    const { stdout } = await run(process.execPath, ["out/consumer.js"], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual({
      name: "accounts/fake-account/rlorTrainerJobs/consumer-job",
      state: "JOB_STATE_RUNNING",
      states: [
        "JOB_STATE_PAUSED",
        "JOB_STATE_RE_QUEUEING",
        "JOB_STATE_PENDING",
        "JOB_STATE_RUNNING",
      ],
      missing: 404,
    });
  });

  it("installs a working `fireworks-rlor` bin that prints the package version", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    const cli = join(consumer, "node_modules/fireworks-rlor/dist/src/cli");
    const codeCache = () => readdir(cli).then((names) => names.filter((n) => n.includes("cache")));
    expect(await codeCache()).toEqual([]);
    const { stdout } = await run(
      join(consumer, "node_modules/.bin/fireworks-rlor"),
      ["--version"],
      {
        cwd: consumer,
        env: { PATH: process.env.PATH ?? "" },
      },
    );
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(await codeCache()).toEqual(["main.cjs.code-cache"]);
  });
});
