import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("fireworks-rlor/testing", () => {
  it("stays out of the main entry's bundle", async () => {
    const result = await build({
      entryPoints: [`${ROOT}src/index.ts`],
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain("src/core/wait.ts");
    expect(inputs.filter((input) => input.startsWith("src/testing/"))).toEqual([]);
    expect(inputs.filter((input) => input.startsWith("node:http"))).toEqual([]);
  });
});
