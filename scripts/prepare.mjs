// `npm run prepare`: npm runs it after `npm ci` / `npm install` in a clone, and when a user
// installs the package from a git URL. It builds what the bin and the package entry need from
// dist/: the JavaScript bundles (esbuild, ~0.1 s) and the type declarations (tsc, ~4 s). It never
// fails an install: a failure is reported, and `npm test` is where the cause shows. The release
// build (`npm run build`, run by `npm pack` through prepack) calls it with --build, which always
// builds and fails on any error, then refreshes the API reports.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const warn = (message) => process.stderr.write(`fireworks-rlor prepare: ${message}\n`);

function run(tool, args) {
  const result = spawnSync(`node_modules/.bin/${tool}`, args, { cwd: root, stdio: "inherit" });
  return result.status === 0;
}

// `--build` is `npm run build`'s use: always build, and fail on any error.
const release = process.argv.includes("--build");

if (!release && (process.env.npm_command === "pack" || process.env.npm_command === "publish")) {
  // prepack has just run the full build.
} else if (!existsSync(`${root}node_modules/.bin/esbuild`)) {
  warn("skipped: the dev dependencies are not installed (npm ci --omit=dev?); dist/ not built");
} else {
  const bundled = run("esbuild", [
    "src/index.ts",
    "src/testing/index.ts",
    "src/cli/main.ts",
    "--bundle",
    "--packages=external",
    "--platform=node",
    "--format=esm",
    "--target=node20",
    "--sourcemap",
    "--outbase=.",
    "--outdir=dist",
    "--log-level=warning",
  ]);
  const typed = bundled && run("tsc", ["-p", "tsconfig.build.json"]);
  if (release) process.exitCode = bundled && typed ? 0 : 1;
  else if (!bundled)
    warn("esbuild failed: the fireworks-rlor bin will not work; run npm run build");
  else if (!typed) warn("tsc reported errors: declarations may be incomplete; see npm test");
}
