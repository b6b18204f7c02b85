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
    // Go takes both: the micro sign (U+00B5) and the Greek mu (U+03BC).
    ["1500\u00b5s", 2],
    ["2500\u03bcs", 3],
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
      "--request-timeout",
      "90s",
    ]);
    expect(options).toMatchObject({
      command: { name: "resume" },
      jobs: ["job-1"],
      wait: true,
      waitTimeout: 5_400_000,
      pollInterval: 500,
      accountId: "acme",
      output: "json",
      maxRetries: 0,
      requestTimeout: 90_000,
    });
  });

  it("defaults: text output, 15m wait timeout, 5s polls, the command's targets, no wait for resume", () => {
    expect(run(["resume", "job-1"])).toMatchObject({
      output: "text",
      wait: false,
      waitTimeout: undefined,
      waitTimeoutText: undefined,
      pollInterval: 5_000,
      until: undefined,
    });
    expect(run(["wait", "job-1"]).wait).toBe(true);
  });

  it("takes durations up to each flag's maximum, and wait timeouts beyond setTimeout's", () => {
    expect(
      run([
        "wait",
        "j",
        "--request-timeout",
        "596h31m23.647s",
        "--poll-interval",
        "596h31m23.647s",
      ]),
    ).toMatchObject({ requestTimeout: 2 ** 31 - 1, pollInterval: 2 ** 31 - 1 });
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

  it("--timeout on a waiting command is the wait's limit, kept as typed for messages", () => {
    expect(run(["wait", "j", "--timeout", "1s"])).toMatchObject({
      waitTimeout: 1_000,
      waitTimeoutText: "1s",
    });
    expect(run(["resume", "j", "--wait", "--wait-timeout", "2m"]).waitTimeout).toBe(120_000);
  });

  it("answers --help and --version before anything else, per command too", () => {
    expect(parseCliArgs(["get", "--help"])).toMatchObject({
      kind: "help",
      command: { name: "get" },
    });
    expect(parseCliArgs(["help", "resume"])).toMatchObject({
      kind: "help",
      command: { name: "resume" },
    });
    expect(parseCliArgs(["--help"])).toEqual({ kind: "help", command: undefined });
    expect(parseCliArgs(["--version"]).kind).toBe("version");
  });

  it("takes several jobs, and global flags before the command", () => {
    expect(run(["-a", "acme", "resume", "a", "b", "c"])).toMatchObject({
      accountId: "acme",
      jobs: ["a", "b", "c"],
    });
  });

  it("takes each operation's query parameters as flags, typed as in the spec", () => {
    expect(
      run(["list", "--page-size", "5", "--filter", 'state="X"', "--order-by", "createTime desc"])
        .query,
    ).toEqual({ pageSize: 5, filter: 'state="X"', orderBy: "createTime desc" });
    expect(run(["create", "-f", "job.json", "--job-id", "my-job"]).query).toEqual({
      rlorTrainerJobId: "my-job",
    });
    expect(run(["checkpoints", "j", "--page-token", "t"]).query).toEqual({ pageToken: "t" });
  });

  it.each([
    [[], /missing command/],
    [["stop", "j"], /unknown command "stop"/],
    [["help", "stop"], /unknown command "stop"/],
    [["get"], /missing <job>/],
    [["list", "acme"], /list works on the account and takes no job \("acme"\)/],
    [["get", "j", "--bogus"], /^unknown flag --bogus for "get"$/],
    [["get", "j", "--page-size", "5"], /^unknown flag --page-size for "get"$/],
    [["list", "--page-size", "five"], /--page-size: expected a whole number/],
    [["get", "j", "-o", "yaml"], /--output/],
    [["get", "j", "-o"], /^--output needs a value$/],
    [["get", "j", "--wait"], /unknown flag --wait for "get"/],
    [["resume", "j", "--until", "RUNNING"], /--until needs --wait/],
    [["resume", "j", "--wait-timeout", "5m"], /--wait-timeout needs --wait/],
    [["resume", "j", "--wait", "--timeout", "1m", "--wait-timeout", "2m"], /give one/],
    [["get", "j", "--timeout", "5m"], /--timeout is the wait's time limit/],
    [["wait", "j", "--wait-timeout", "15"], /"15" is not a duration/],
    [["wait", "j", "--poll-interval", "0"], /"0" must be greater than 0/],
    [["wait", "j", "--poll-interval", "-1s"], /"-1s" must be positive/],
    [["wait", "j", "--until", "RUNING"], /unknown job state "RUNING"; valid states: /],
    [["create"], /create: --file is required/],
    [["train-step", "j", "--dataset", "d"], /--output-model is required/],
    [["get", "j", "--max-retries", "-1"], /--max-retries/],
    [
      ["get", "j", "--request-timeout", "600h"],
      /^--request-timeout: "600h" is longer than the maximum, 596h31m23.647s$/,
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
