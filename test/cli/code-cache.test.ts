/**
 * The bin's V8 code cache (bin/fireworks-rlor.cjs): written beside the bundle by the first run,
 * used by the next, and never trusted for a bundle it was not made from. Whether it makes a start
 * faster is the bench's to say (docs/performance.md), not a test's.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32 } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BuiltCli, buildCli, runCli } from "./cli-harness.js";

const BIN = fileURLToPath(new URL("../../bin/fireworks-rlor.cjs", import.meta.url));
const ENV = { FIREWORKS_API_KEY: "fw-code-cache-key", FIREWORKS_ACCOUNT_ID: "acme" };

const TAG = 4;

/** The CRC-32 the bin tags its cache with, big-endian. */
function digestOf(bytes: Buffer): Buffer {
  const tag = Buffer.alloc(TAG);
  tag.writeUInt32BE(crc32(bytes));
  return tag;
}

describe("the real bundle", () => {
  let cli: BuiltCli;
  let cacheFile = "";
  beforeAll(async () => {
    cli = await buildCli();
    cacheFile = join(cli.main, "../../dist/src/cli/main.cjs.code-cache");
  });
  afterAll(async () => {
    await cli.remove();
  });

  it("the first run writes the cache, tagged with the bundle's CRC-32; the next reads it, same output", async () => {
    const args = ["get", "job-1", "--dry-run"];
    const first = await runCli(cli, args, { env: ENV });
    const cache = await readFile(cacheFile);
    const bundle = await readFile(join(cacheFile, "../main.cjs"));
    expect(cache.subarray(0, TAG).equals(digestOf(bundle))).toBe(true);
    expect(cache.length).toBeGreaterThan(TAG + 1024);
    const written = (await stat(cacheFile)).mtimeMs;

    const second = await runCli(cli, args, { env: ENV });
    expect(second).toEqual(first);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      "GET https://api.fireworks.ai/v1/accounts/acme/rlorTrainerJobs/job-1",
    );
    // Accepted as it was: not written again.
    expect((await stat(cacheFile)).mtimeMs).toBe(written);
    const partials = (await readdir(join(cacheFile, ".."))).filter((name) =>
      /code-cache\./.test(name),
    );
    expect(partials).toEqual([]);
  });

  it("the bundle is ASCII, so V8 reads it as one-byte text (a non-ASCII character must be escaped)", async () => {
    const bundle = await readFile(join(cacheFile, "../main.cjs"));
    const first = bundle.findIndex((byte) => byte > 0x7f);
    expect(first, bundle.subarray(Math.max(0, first - 80), first + 20).toString()).toBe(-1);
  });

  it("a cache V8 rejects (right tag, damaged data) is rewritten, and the command still runs", async () => {
    const bundle = await readFile(join(cacheFile, "../main.cjs"));
    await writeFile(cacheFile, Buffer.concat([digestOf(bundle), Buffer.alloc(4096, 7)]));
    const result = await runCli(cli, ["--version"], { env: ENV });
    expect(result).toMatchObject({ code: 0, stdout: `${cli.version}\n`, stderr: "" });
    const cache = await readFile(cacheFile);
    expect(cache.subarray(TAG).equals(Buffer.alloc(4096, 7))).toBe(false);
  });
});

describe("a bundle of our own, beside a copy of the bin", () => {
  let dir = "";
  const bundle = () => join(dir, "dist/src/cli/main.cjs");
  const cache = () => `${bundle()}.code-cache`;
  const run = () =>
    runCli({ main: join(dir, "bin/fireworks-rlor.cjs"), version: "", remove: async () => {} }, []);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fireworks-rlor-code-cache-"));
    await mkdir(join(dir, "bin"));
    await mkdir(join(dir, "dist/src/cli"), { recursive: true });
    await copyFile(BIN, join(dir, "bin/fireworks-rlor.cjs"));
  });
  afterEach(async () => {
    await rm(cache(), { recursive: true, force: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("a changed bundle of the same length runs as it is now, not as the cache remembers it", async () => {
    // V8 checks only a source's length against its cache: without the tag, the second run
    // would print "first".
    await writeFile(bundle(), 'process.stdout.write("first");\n');
    expect((await run()).stdout).toBe("first");
    await writeFile(bundle(), 'process.stdout.write("later");\n');
    expect((await run()).stdout).toBe("later");
    expect((await readFile(cache())).subarray(0, TAG)).toEqual(digestOf(await readFile(bundle())));
  });

  it("where the cache cannot be written, the command runs and leaves no partial file", async () => {
    await writeFile(bundle(), 'process.stdout.write("ran");\n');
    await mkdir(cache()); // a folder in the cache's place: reading and renaming onto it fail
    const result = await run();
    expect(result).toMatchObject({ code: 0, stdout: "ran", stderr: "" });
    expect((await readdir(join(dir, "dist/src/cli"))).sort()).toEqual([
      "main.cjs",
      "main.cjs.code-cache",
    ]);
  });
});
