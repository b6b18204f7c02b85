import { Readable } from "node:stream";
import { runCli } from "../../src/cli/run.js";

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables the CLI reads; each run sees only the ones it is given. */
const CLI_VARIABLES = [
  "FIREWORKS_API_KEY",
  "FIREWORKS_ACCOUNT_ID",
  "FIREWORKS_BASE_URL",
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "NO_PROXY",
  "no_proxy",
];

export interface InProcessOptions {
  env?: Record<string, string>;
  stdin?: string | Uint8Array;
  /** stderr as a terminal: the spinner writes its control codes. */
  tty?: boolean;
  /** Sees each write to stderr as it happens, e.g. to act once a wait has seen its first job. */
  onStderr?: (text: string) => void;
  /** Sees each write to stdout as it happens, e.g. to check a list prints before it ends. */
  onStdout?: (text: string) => void;
}

/**
 * Runs the CLI in this process with stream doubles: a child process costs ~100 ms of start-up,
 * this costs nothing. The environment is set for the run and restored after it; vitest runs a
 * file's tests one at a time, so no other test sees it.
 */
export async function runInProcess(
  args: readonly string[],
  options: InProcessOptions = {},
): Promise<InProcessResult> {
  const saved = new Map(CLI_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of CLI_VARIABLES) delete process.env[name];
  Object.assign(process.env, options.env);
  let stdout = "";
  let stderr = "";
  try {
    const code = await runCli(args, {
      stdout: {
        write: (text: string) => {
          stdout += text;
          options.onStdout?.(text);
        },
      },
      stderr: {
        write: (text: string) => {
          stderr += text;
          options.onStderr?.(text);
        },
        isTTY: options.tty ?? false,
      },
      stdin: Readable.from([options.stdin ?? ""]),
    });
    return { code, stdout, stderr };
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** What points the command line at a fake server: its key, URL and account, as a user's shell would. */
export interface FakeTarget {
  apiKey: string;
  baseUrl: string;
  accountId: string;
}

export function fakeEnv(fake: FakeTarget): Record<string, string> {
  return {
    FIREWORKS_API_KEY: fake.apiKey,
    FIREWORKS_BASE_URL: fake.baseUrl,
    FIREWORKS_ACCOUNT_ID: fake.accountId,
  };
}

/** Runs the command line in this process against `fake`; `options.env` adds to its variables. */
export function runAgainst(
  fake: FakeTarget,
  args: readonly string[],
  options: InProcessOptions = {},
): Promise<InProcessResult> {
  return runInProcess(args, { ...options, env: { ...fakeEnv(fake), ...options.env } });
}
