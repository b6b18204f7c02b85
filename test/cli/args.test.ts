import { describe, expect, it } from "vitest";
import { parseCliArgs, UsageError } from "../../src/cli/args.js";
import { formatDuration, formatElapsed, parseDuration } from "../../src/cli/duration.js";

describe("parseDuration (Go style)", () => {
  it.each([
    ["0", 0],
    ["500ms", 500],
    ["90s", 90_000],
    ["15m", 900_000],
    ["1h30m", 5_400_000],
    ["1.5h", 5_400_000],
    [".5s", 500],
    ["2m3s4ms", 123_004],
    ["1500us", 2],
  ])("%s = %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "90", "-5s", "5 s", "5sec", "1d", "s", "1h 30m", "5s "])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it("formats like Go and for progress lines", () => {
    expect(formatDuration(900_000)).toBe("15m0s");
    expect(formatDuration(5_400_000)).toBe("1h30m0s");
    expect(formatDuration(250)).toBe("250ms");
    expect(formatElapsed(4_200)).toBe("4.2s");
    expect(formatElapsed(125_000)).toBe("2m05s");
    expect(formatElapsed(3_725_000)).toBe("1h02m05s");
  });
});

function run(argv: string[]) {
  const parsed = parseCliArgs(argv);
  if (parsed.kind !== "run") throw new Error(`expected a command, got ${parsed.kind}`);
  return parsed.options;
}

describe("parseCliArgs", () => {
  it("parses resume --wait with durations and global flags", () => {
    const options = run([
      "resume",
      "job-1",
      "--wait",
      "--wait-timeout",
      "1h30m",
      "--poll-interval=500ms",
      "-a",
      "acme",
      "-o",
      "json",
      "--max-retries",
      "0",
      "--timeout",
      "90s",
    ]);
    expect(options).toMatchObject({
      command: "resume",
      job: "job-1",
      wait: true,
      waitTimeout: 5_400_000,
      pollInterval: 500,
      accountId: "acme",
      output: "json",
      maxRetries: 0,
      timeout: 90_000,
    });
  });

  it("defaults: text output, 15m wait timeout, 5s polls, until RUNNING, no wait for resume", () => {
    expect(run(["resume", "job-1"])).toMatchObject({
      output: "text",
      wait: false,
      waitTimeout: 900_000,
      pollInterval: 5_000,
      until: ["JOB_STATE_RUNNING"],
    });
    expect(run(["wait", "job-1"]).wait).toBe(true);
  });

  it("takes durations up to each flag's maximum, and wait timeouts beyond setTimeout's", () => {
    expect(
      run(["wait", "j", "--timeout", "596h31m23.647s", "--poll-interval", "596h31m23.647s"]),
    ).toMatchObject({ timeout: 2 ** 31 - 1, pollInterval: 2 ** 31 - 1 });
    expect(run(["wait", "j", "--wait-timeout", "600h"]).waitTimeout).toBe(2_160_000_000);
  });

  it("accepts short, long, repeated and comma-separated --until states", () => {
    const options = run([
      "wait",
      "j",
      "--until",
      "completed,JOB_STATE_FAILED",
      "--until",
      "EARLY_STOPPED",
    ]);
    expect(options.until).toEqual([
      "JOB_STATE_COMPLETED",
      "JOB_STATE_FAILED",
      "JOB_STATE_EARLY_STOPPED",
    ]);
  });

  it("answers --help and --version before anything else", () => {
    expect(parseCliArgs(["get", "--help"]).kind).toBe("help");
    expect(parseCliArgs(["--version"]).kind).toBe("version");
  });

  it.each([
    [[], /missing command/],
    [["stop", "j"], /unknown command "stop"/],
    [["get"], /missing <job>/],
    [["get", "a", "b"], /unexpected argument "b"/],
    [["get", "j", "--bogus"], /bogus/],
    [["get", "j", "-o", "yaml"], /--output/],
    [["get", "j", "--wait"], /--wait does not apply to "get"/],
    [["resume", "j", "--until", "RUNNING"], /--until does not apply/],
    [["resume", "j", "--wait-timeout", "5m"], /--wait-timeout needs --wait/],
    [["wait", "j", "--wait-timeout", "15"], /invalid duration "15"/],
    [["wait", "j", "--poll-interval", "0"], /invalid duration "0"/],
    [["wait", "j", "--until", "RUNING"], /unknown job state "RUNING"/],
    [["get", "j", "--max-retries", "-1"], /--max-retries/],
    [
      ["get", "j", "--timeout", "600h"],
      /^--timeout: "600h" is longer than the maximum, 596h31m23.647s$/,
    ],
    [
      ["wait", "j", "--poll-interval", "600h"],
      /^--poll-interval: "600h" is longer than the maximum/,
    ],
    [
      ["wait", "j", "--wait-timeout", "9999999999999h"],
      /^--wait-timeout: .* longer than the maximum/,
    ],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
