// `npm test`'s checks before vitest, run side by side: each is mostly one thread (tsc, the
// generator, API Extractor) and CI has two cores, so together they take about half as long.
//   node scripts/checks.mjs <npm script> ...
// Each script runs as `npm run` would run it (a shell, node_modules/.bin on PATH); its output is
// printed whole when it ends, so outputs never interleave. Exits 1 if any script failed.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const env = {
  ...process.env,
  PATH: `${join(root, "node_modules/.bin")}${delimiter}${process.env.PATH}`,
};

function runScript(name) {
  const command = scripts[name];
  if (command === undefined) return Promise.resolve({ name, code: 1, output: "no such script\n" });
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: root, env, shell: true });
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    child.on("error", (error) => resolve({ name, code: 1, output: `${error.message}\n` }));
    child.on("close", (code) => {
      const text = Buffer.concat(output).toString("utf8");
      process.stdout.write(`\n> npm run ${name}\n> ${command}\n${text}`);
      resolve({ name, code: code ?? 1, output: text });
    });
  });
}

const results = await Promise.all(process.argv.slice(2).map(runScript));
const failed = results.filter((result) => result.code !== 0).map((result) => result.name);
if (failed.length > 0) process.stderr.write(`\nfailed: ${failed.join(", ")}\n`);
process.exitCode = failed.length > 0 ? 1 : 0;
