import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { invalidUtf8Offset } from "../../src/cli/utf8.js";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";
import { runInProcess } from "./in-process.js";

let fake: FakeFireworks | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))),
  );

describe("invalidUtf8Offset", () => {
  it.each([
    ["Latin-1 é", bytes('"caf', [0xe9], '"'), 4],
    ["a lone continuation byte", bytes("ab", [0x80]), 2],
    ["an overlong encoding of /", bytes("a", [0xc0, 0xaf]), 1],
    ["an overlong three-byte form", bytes([0xe0, 0x80, 0x80]), 0],
    ["a UTF-16 surrogate", bytes("x", [0xed, 0xa0, 0x80]), 1],
    ["a code point past U+10FFFF", bytes([0xf4, 0x90, 0x80, 0x80]), 0],
    ["a sequence cut short by another", bytes("é", [0xe2, 0x28, 0xa1]), 2],
    ["a sequence cut short by the end", bytes("ok", [0xf0, 0x9f, 0x98]), 2],
    ["0xFF", bytes([0xff]), 0],
  ])("finds %s", (_what, input, offset) => {
    expect(invalidUtf8Offset(input)).toBe(offset);
  });

  it("finds nothing in valid UTF-8, of any plane", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(invalidUtf8Offset(Buffer.from(text))).toBeUndefined();
      }),
    );
  });

  it("agrees with the WHATWG decoder: bytes before the offset decode, the first U+FFFD is there", () => {
    const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    const lenient = new TextDecoder("utf-8", { ignoreBOM: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (input) => {
        const offset = invalidUtf8Offset(input);
        const decoded = lenient.decode(input);
        if (offset === undefined) {
          expect(() => fatal.decode(input)).not.toThrow();
          return;
        }
        expect(() => fatal.decode(input)).toThrow();
        const before = fatal.decode(input.subarray(0, offset));
        fc.pre(!before.includes("\uFFFD"));
        expect(decoded.indexOf("\uFFFD")).toBe(before.length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("create -f with bytes that are not UTF-8", () => {
  async function setUp() {
    fake = await startFakeFireworks({ accountId: "acme" });
    return {
      FIREWORKS_API_KEY: fake.apiKey,
      FIREWORKS_BASE_URL: fake.baseUrl,
      FIREWORKS_ACCOUNT_ID: fake.accountId,
    };
  }
  // {"displayName":"caf<0xE9>"}: é as Latin-1, at byte 19.
  const latin1 = bytes('{"displayName":"caf', [0xe9], '"}');

  it("is refused from a file, naming the byte offset, before any request", async () => {
    const env = await setUp();
    dir = await mkdtemp(join(tmpdir(), "fireworks-rlor-utf8-"));
    const file = join(dir, "job.json");
    await writeFile(file, latin1);
    const result = await runInProcess(["create", "-f", file], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--file ${file}: not UTF-8: byte 0xe9 at offset 19`);
    expect(fake?.requests).toEqual([]);
  });

  it("is refused from stdin the same way", async () => {
    const env = await setUp();
    const result = await runInProcess(["create", "-f", "-"], { env, stdin: latin1 });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--file -: not UTF-8: byte 0xe9 at offset 19");
    expect(fake?.requests).toEqual([]);
  });

  it("control: the same job in UTF-8 is sent as is", async () => {
    const env = await setUp();
    const result = await runInProcess(["create", "-f", "-", "-o", "json"], {
      env,
      stdin: Buffer.from('{"displayName":"café"}'),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(fake?.requests[0]?.body ?? "")).toEqual({ displayName: "café" });
  });
});
