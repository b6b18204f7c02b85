import { describe, expect, it } from "vitest";
import { DISPLAY_LIMIT, JSON_LIMIT } from "../../src/cli/print-limits.js";
import { type FaultServer, sampleJob, text, useFaultServer } from "../helpers/fault-server.js";
import { runInProcess } from "./in-process.js";

let server: FaultServer;
useFaultServer((started) => {
  server = started;
});

const NAME = "accounts/acme/rlorTrainerJobs/job-1";

/** A JSON body with `raw` (JSON text) as the value of `field`: too deep for JSON.stringify to make. */
function bodyWith(value: Record<string, unknown>, field: string, raw: string): string {
  return JSON.stringify({ ...value, [field]: "@@" }).replace('"@@"', raw);
}

const deepArray = (depth: number) => `${"[".repeat(depth)}"x"${"]".repeat(depth)}`;
/** Many small items 30 levels down: small on the wire, huge once indented for printing. */
const wideAndDeep = (items: number) =>
  `${"[".repeat(30)}${Array(items).fill("1").join(",")}${"]".repeat(30)}`;

const serve = (body: string) => text(200, body, { "content-type": "application/json" });
const page = (jobs: string[]) => `{"rlorTrainerJobs":[${jobs.join(",")}]}`;

async function run(args: string[]) {
  return runInProcess(args, {
    env: {
      FIREWORKS_API_KEY: "fw-huge-values-key",
      FIREWORKS_ACCOUNT_ID: "acme",
      FIREWORKS_BASE_URL: server.url,
    },
  });
}

const longestLine = (output: string) => Math.max(...output.split("\n").map((line) => line.length));

describe("a value 5,000 levels deep", () => {
  const job = bodyWith(sampleJob({ name: NAME }), "displayName", deepArray(5_000));
  const nameDeep = bodyWith(sampleJob(), "name", deepArray(5_000));

  it.each([
    ["get", "text"],
    ["get", "json"],
    ["get", "name"],
    ["list", "text"],
    ["list", "json"],
    ["list", "name"],
  ])("%s -o %s prints it cut and marked", async (command, output) => {
    server.script(serve(command === "get" ? job : page([job, nameDeep])));
    const result = await run([command, ...(command === "get" ? ["job-1"] : []), "-o", output]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    if (output === "json") JSON.parse(result.stdout);
    if (output !== "name" || command === "list") {
      expect(result.stdout).toContain("[truncated: deeper than 32 levels]");
    }
  });

  it("list --all -o json streams it as one valid document", async () => {
    server.script(serve(page([job, nameDeep])));
    const result = await run(["list", "--all", "-o", "json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(result.stdout))).toContain("deeper than 32 levels");
  });
});

describe("a huge value", () => {
  it("text and name: each value is cut at DISPLAY_LIMIT characters, marked", async () => {
    const long = "y".repeat(1_000_000);
    const job = JSON.stringify(sampleJob({ name: NAME, displayName: long }));
    server.script(serve(job), serve(page([JSON.stringify(sampleJob({ name: long }))])));
    const got = await run(["get", "job-1"]);
    expect(got.code).toBe(0);
    expect(got.stdout).toContain(`[truncated: 1000000 characters in all]`);
    expect(longestLine(got.stdout)).toBeLessThan(DISPLAY_LIMIT + 100);
    const names = await run(["list", "-o", "name"]);
    expect(names.stdout).toContain(`[truncated: 1000000 characters in all]`);
    expect(longestLine(names.stdout)).toBeLessThan(DISPLAY_LIMIT + 100);
  });

  it("text: a structure is cut the same way", async () => {
    server.script(serve(bodyWith(sampleJob({ name: NAME }), "displayName", wideAndDeep(300_000))));
    const result = await run(["get", "job-1"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("more items]");
    expect(longestLine(result.stdout)).toBeLessThan(DISPLAY_LIMIT + 100);
  });

  it("json: a document is cut at about JSON_LIMIT characters, marked, and still JSON", async () => {
    // 600 kB on the wire; printed whole, its indentation makes it ~19.5 M characters.
    const body = bodyWith(sampleJob({ name: NAME }), "displayName", wideAndDeep(300_000));
    server.script(serve(body));
    const result = await run(["get", "job-1", "-o", "json"]);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeLessThan(JSON_LIMIT * 1.1);
    expect(JSON.stringify(JSON.parse(result.stdout))).toMatch(/\[truncated: \d+ more items\]/);
  });

  it("control: an ordinary job prints whole in every mode", async () => {
    const job = sampleJob({ name: NAME, displayName: "d".repeat(500) });
    for (const output of ["text", "json", "name"]) {
      server.script(serve(JSON.stringify(job)));
      const result = await run(["get", "job-1", "-o", output]);
      expect(result.stdout).not.toContain("truncated");
      if (output === "json") {
        expect(JSON.parse(result.stdout)).toEqual({
          ...job,
          wandbConfig: { ...(job.wandbConfig as object), apiKey: "[REDACTED]" },
        });
      }
    }
  });
});
