import { describe, expect, it } from "vitest";
import { bundleFor, MAIN_ENTRY, nodeBuiltinsIn, type Platform, ROOT } from "./platform-bundle.js";

/** A small application of the package: what a browser app or an edge worker would write. */
const CONSUMER = `
import { createFireworksClient, resumeRlorTrainerJob } from ${JSON.stringify(MAIN_ENTRY)};

const client = createFireworksClient({ apiKey: "fw-key", accountId: "my-account" });
export async function resume(id: string): Promise<string | undefined> {
  return (await resumeRlorTrainerJob(client, id)).state;
}
`;

const PLATFORMS: readonly Platform[] = ["neutral", "browser"];

describe("the main entry bundles for platforms without Node builtins", () => {
  it.each(PLATFORMS)(
    "esbuild --platform=%s: no node: import, no require of a builtin",
    async (platform) => {
      const bundle = await bundleFor(platform, CONSUMER);
      const inputs = Object.keys(bundle.metafile.inputs);
      // The real client made it in, openapi-fetch with it, and nothing of the testing entry.
      expect(inputs).toContain("src/core/client.ts");
      expect(inputs.some((input) => input.includes("node_modules/openapi-fetch/"))).toBe(true);
      expect(inputs.filter((input) => input.startsWith("src/testing/"))).toEqual([]);
      expect(nodeBuiltinsIn(bundle)).toEqual([]);
      expect(bundle.text).not.toMatch(/["'`]node:/);
      expect(bundle.warnings).toEqual([]);
    },
  );

  it("would catch one: the testing entry (a node:http server) fails the same check", async () => {
    const testing = `export { startFakeFireworks } from ${JSON.stringify(`${ROOT}src/testing/index.ts`)};`;
    // Neutral and browser builds cannot resolve node:http: the build itself fails.
    await expect(bundleFor("neutral", testing)).rejects.toThrow(/node:http/);
    await expect(bundleFor("browser", testing)).rejects.toThrow(/node:http/);
  });

  it("the scanner finds node: specifiers, bare builtins and externals", () => {
    const text = [
      'import { createServer } from "node:http";',
      'export * from "fs/promises";',
      'const crypto = require("crypto");',
      'await import("node:net");',
      'import "openapi-fetch";',
    ].join("\n");
    const metafile = {
      inputs: {},
      outputs: {
        "out.js": {
          bytes: 0,
          inputs: {},
          exports: [],
          imports: [{ path: "worker_threads", kind: "import-statement" as const, external: true }],
        },
      },
    };
    expect(nodeBuiltinsIn({ text, metafile, warnings: [] })).toEqual([
      "crypto",
      "fs/promises",
      "node:http",
      "node:net",
      "worker_threads",
    ]);
  });
});
