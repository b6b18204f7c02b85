import { afterEach, describe, expect, it } from "vitest";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";
import { runAgainst } from "./in-process.js";

// GPU-hours in `get` and `list --wide`, from the jobs' acceleratorSeconds on the fake server.

let server: FakeFireworks | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<FakeFireworks> {
  server = await startFakeFireworks({
    accountId: "acme",
    jobs: [
      {
        id: "job-1",
        body: { acceleratorSeconds: { NVIDIA_A100_80GB: "5400", NVIDIA_H100_80GB: "7200" } },
      },
      // What a server may send: a value that is no number of seconds is left out.
      { id: "job-2", body: { acceleratorSeconds: { NVIDIA_H100_80GB: "90", BAD: "-1\u001b[2J" } } },
      { id: "job-3", body: { acceleratorSeconds: null } },
    ],
  });
  return server;
}

const run = runAgainst;

describe("GPU-hours in the CLI", () => {
  it("get prints the total and each accelerator type's hours", async () => {
    const fake = await start();
    const result = await run(fake, ["get", "job-1"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^GPU-hours +3\.5 \(NVIDIA_A100_80GB 1\.5, NVIDIA_H100_80GB 2\)$/m,
    );
    expect((await run(fake, ["get", "job-2"])).stdout).toMatch(
      /^GPU-hours +0\.03 \(NVIDIA_H100_80GB 0\.03\)$/m,
    );
    expect((await run(fake, ["get", "job-3"])).stdout).toMatch(/^GPU-hours +-$/m);
  });

  it("list --wide adds a GPU-HOURS column; list alone and -o json are as before", async () => {
    const fake = await start();
    const wide = await run(fake, ["list", "--wide"]);
    expect(wide.code).toBe(0);
    const [header, ...rows] = wide.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^NAME +STATE +CREATED +BASE MODEL +GPU-HOURS$/);
    expect(rows.map((row) => row.split(/ {2,}/).at(-1))).toEqual(["3.5", "0.03", "-"]);
    const plain = await run(fake, ["list"]);
    expect(plain.stdout).not.toContain("GPU-HOURS");
    expect(plain.stdout.split("\n")[0]).toMatch(/^NAME +STATE +CREATED +BASE MODEL$/);
    const json = await run(fake, ["list", "--wide", "-o", "json"]);
    expect(json.stdout).toBe((await run(fake, ["list", "-o", "json"])).stdout);
  });

  it("list --all --wide prints the column page after page", async () => {
    const fake = await start();
    const result = await run(fake, ["list", "--all", "--wide", "--page-size", "1"]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toMatch(/GPU-HOURS$/);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(4);
  });
});
