// Formats generated TypeScript with Biome, under the project's biome.json (lines <= 100).
import { spawn } from "node:child_process";
import { join } from "node:path";

/** Biome's formatting of `source`; `name` only tells Biome the language. */
export function formatSource(projectRoot: string, name: string, source: string): Promise<string> {
  const biome = join(projectRoot, "node_modules/.bin/biome");
  return new Promise((resolve, reject) => {
    const child = spawn(biome, ["format", `--stdin-file-path=${name}`], { cwd: projectRoot });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else
        reject(
          new Error(`biome could not format ${name}:\n${Buffer.concat(err).toString("utf8")}`),
        );
    });
    child.stdin.end(source);
  });
}
