// `npm run prepare`: npm runs it after `npm ci` / `npm install` in a clone, and when a user
// installs the package from a git URL. It builds what the bin and the package entry need from
// dist/: the JavaScript bundles (esbuild, ~0.1 s) and the type declarations (`tsc -b
// tsconfig.build.json`, ~4 s the first time; incremental after that, so `npm run typecheck`,
// `npm run api:check` and `npm pack` reuse it). It never fails an install: a failure is reported,
// and `npm test` is where the cause shows. `npm run build` (run by `npm pack` through prepack)
// calls it with --build, which always builds and fails on any error.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const warn = (message) => process.stderr.write(`fireworks-rlor prepare: ${message}\n`);

function run(tool, args) {
  const result = spawnSync(`node_modules/.bin/${tool}`, args, { cwd: root, stdio: "inherit" });
  return result.status === 0;
}

/**
 * An incremental build never deletes: the declarations of a source file that is gone would stay
 * in dist/ and in the tarball. Removes every dist/{src,generated} file whose source is gone.
 */
function pruneDeclarations() {
  for (const top of ["src", "generated"]) {
    const dir = join(root, "dist", top);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const match = /^(.*)\.d\.ts(?:\.map)?$/.exec(entry.name);
      if (!entry.isFile() || match === null) continue;
      const source = join(root, top, entry.parentPath.slice(dir.length), `${match[1]}.ts`);
      if (!existsSync(source)) rmSync(join(entry.parentPath, entry.name));
    }
  }
}

// `--build` is `npm run build`'s use: always build, and fail on any error.
const release = process.argv.includes("--build");

if (!release && (process.env.npm_command === "pack" || process.env.npm_command === "publish")) {
  // prepack has just run the full build.
} else if (!existsSync(`${root}node_modules/.bin/esbuild`)) {
  warn("skipped: the dev dependencies are not installed (npm ci --omit=dev?); dist/ not built");
} else {
  const common = ["--bundle", "--platform=node", "--target=node20", "--sourcemap"];
  const library = [
    "src/index.ts",
    "src/testing/index.ts",
    ...common,
    "--packages=external",
    "--format=esm",
    "--outbase=.",
    "--outdir=dist",
    "--log-level=warning",
  ];
  // The command line is CommonJS: a CommonJS entry starts without Node's ES module loader, ~10%
  // of a start (docs/performance.md). openapi-fetch is bundled in: its CommonJS build exports
  // createClient as `exports.default`, which esbuild's Node-mode interop would not call. undici
  // stays outside (loaded only when a proxy is set), through `require`, not `import()`: the bin
  // compiles the bundle with V8's code cache (vm.Script), where `import()` needs a Node flag.
  const cli = [
    "src/cli/main.ts",
    ...common,
    "--external:undici",
    "--supported:dynamic-import=false",
    // No comments, so the bundle is ASCII, which V8 reads as one-byte text (~1% of a start).
    "--minify-whitespace",
    "--format=cjs",
    "--outfile=dist/src/cli/main.cjs",
    "--log-level=warning",
  ];
  const bundled = run("esbuild", library) && run("esbuild", cli);
  // Until 0.2.0 the command line's bundle was ESM, dist/src/cli/main.js: in a clone built before,
  // it would stay in dist/ and in the tarball.
  for (const old of ["main.js", "main.js.map"])
    rmSync(join(root, "dist/src/cli", old), { force: true });
  pruneDeclarations();
  const typed = bundled && run("tsc", ["-b", "tsconfig.build.json"]);
  if (release) process.exitCode = bundled && typed ? 0 : 1;
  else if (!bundled)
    warn("esbuild failed: the fireworks-rlor bin will not work; run npm run build");
  else if (!typed) warn("tsc reported errors: declarations may be incomplete; see npm test");
}
