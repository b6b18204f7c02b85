import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Modules a server needs; the main entry sends with fetch and imports none of them, not even lazily. */
const SERVER_MODULES = new Set(["node:http", "node:https", "node:net"]);

interface Bundle {
  /** Source files in the bundle, relative to the project root. */
  inputs: string[];
  /** Server modules the bundle imports, statically or dynamically (builtins are external, so not inputs). */
  serverImports: string[];
}

async function bundle(entry: string): Promise<Bundle> {
  const result = await build({
    entryPoints: [`${ROOT}${entry}`],
    bundle: true,
    write: false,
    metafile: true,
    outdir: "out",
    platform: "node",
    format: "esm",
    logLevel: "silent",
  });
  const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports);
  return {
    inputs: Object.keys(result.metafile.inputs),
    serverImports: imports
      .filter((entry) => SERVER_MODULES.has(entry.path))
      .map((entry) => entry.path),
  };
}

describe("fireworks-rlor/testing", () => {
  it("stays out of the main entry's bundle", async () => {
    const main = await bundle("src/index.ts");
    expect(main.inputs).toContain("src/core/wait.ts");
    expect(main.inputs.filter((input) => input.startsWith("src/testing/"))).toEqual([]);
    expect(main.serverImports).toEqual([]);
  });

  it("is what those checks would catch: the testing entry fails them", async () => {
    const testing = await bundle("src/testing/index.ts");
    expect(testing.inputs).toContain("src/testing/fake-server.ts");
    expect(testing.serverImports).toContain("node:http");
  });
});
