#!/usr/bin/env node
// The installed command: a small file in front of the CLI's bundle, for two reasons.
//
// Under --debug, source maps must be on before the bundle is loaded (Node reads a file's map when
// it loads the file), so that stack traces name the TypeScript sources the package ships in src/.
// Only --debug prints a stack, and reading and parsing the map costs every other start ~15 ms, so
// they are on only then, and the bundle is then loaded the plain way.
//
// Otherwise the bundle is compiled with V8's code cache, kept beside it as main.cjs.code-cache
// (as Python keeps __pycache__ beside its sources): parsing and compiling the bundle at each start
// was ~5% of a start in instructions (docs/performance.md). V8 checks that a cache fits its own
// version and flags, but of the source only the length, so the cache starts with the CRC-32 of
// the source it was made from: the check Node's own compile cache (Node 22) makes. A missing,
// stale or rejected cache is rewritten when the command ends (after the run, so that it holds the
// functions the run compiled); where the package's folder is read-only, nothing is written and
// the command starts as before.
//
// CommonJS, as the bundle: Node then starts without its ES module loader, which costs an ESM
// entry ~10% of a start (docs/performance.md).
const { readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const { dirname, join } = require("node:path");
const vm = require("node:vm");
const { crc32 } = require("node:zlib");

const bundle = join(__dirname, "../dist/src/cli/main.cjs");
const cacheFile = `${bundle}.code-cache`;
const DIGEST_BYTES = 4;

function readCache(digest) {
  try {
    const cache = readFileSync(cacheFile);
    return cache.subarray(0, DIGEST_BYTES).equals(digest)
      ? cache.subarray(DIGEST_BYTES)
      : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(digest, script) {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(partial, Buffer.concat([digest, script.createCachedData()]));
    renameSync(partial, cacheFile); // whole or not at all, when several commands end at once
  } catch {
    // Nothing more to do: the next start compiles the bundle as this one did.
    try {
      rmSync(partial, { force: true });
    } catch {}
  }
}

function runCached() {
  const bytes = readFileSync(bundle);
  // Of the bytes as read: a string would be encoded back to UTF-8 first. (A SHA-256 cost ~1% of
  // a start in instructions, against ~0.05% for this.)
  const digest = Buffer.alloc(DIGEST_BYTES);
  digest.writeUInt32BE(crc32(bytes));
  const cachedData = readCache(digest);
  const script = new vm.Script(Module.wrap(bytes.toString("utf8").replace(/^#!/, "//")), {
    filename: bundle,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected)
    process.once("exit", () => writeCache(digest, script));
  const module = new Module(bundle, null);
  module.filename = bundle;
  const wrapper = script.runInThisContext();
  wrapper.call(
    module.exports,
    module.exports,
    Module.createRequire(bundle),
    module,
    bundle,
    dirname(bundle),
  );
}

const end = process.argv.indexOf("--");
const flags = end === -1 ? process.argv : process.argv.slice(0, end);
if (flags.includes("--debug")) {
  process.setSourceMapsEnabled(true);
  require(bundle);
} else runCached();
