import { afterEach, describe, expect, it } from "vitest";
import { displayText, escapeJsonControls, stripControls } from "../../src/cli/sanitize.js";
import { type FakeFireworks, startFakeFireworks } from "../../src/testing/index.js";
import { runInProcess } from "./in-process.js";

/**
 * Bidirectional-override and isolate controls reorder what a terminal shows: a job named
 * `abc\u202Etxt.exe` reads as `abcexe.txt` (the "Trojan Source" trick, CVE-2021-42574).
 */
const BIDI = [
  "\u061c",
  "\u200e",
  "\u200f",
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
];
const hasBidi = (text: string) => BIDI.some((char) => text.includes(char));

let fake: FakeFireworks | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("bidirectional controls from the server", () => {
  it("are stripped like other controls, and escaped in JSON", () => {
    for (const char of BIDI) {
      const text = `a${char}b`;
      expect(stripControls(text)).toBe("ab");
      expect(displayText(text)).toBe("ab");
      const json = escapeJsonControls(JSON.stringify(text));
      expect(hasBidi(json)).toBe(false);
      expect(JSON.parse(json)).toBe(text);
    }
  });

  it("reach no output of the CLI, in any mode; JSON keeps the value", async () => {
    const evil = `invoice\u202Etxt.exe ${BIDI.join("")}`;
    fake = await startFakeFireworks({
      accountId: "acme",
      jobs: [{ id: "a", body: { displayName: evil, status: { code: "OK", message: evil } } }],
    });
    const env = {
      FIREWORKS_API_KEY: fake.apiKey,
      FIREWORKS_BASE_URL: fake.baseUrl,
      FIREWORKS_ACCOUNT_ID: fake.accountId,
    };
    for (const output of ["text", "name", "json"]) {
      for (const args of [["get", "a"], ["list"]]) {
        const result = await runInProcess([...args, "-o", output], { env });
        expect(result.code).toBe(0);
        expect(hasBidi(result.stdout + result.stderr), `${args} -o ${output}`).toBe(false);
      }
    }
    const json = await runInProcess(["get", "a", "-o", "json"], { env });
    expect((JSON.parse(json.stdout) as { displayName: string }).displayName).toBe(evil);
    const text = await runInProcess(["get", "a"], { env });
    expect(text.stdout).toContain("invoicetxt.exe");
  });
});
