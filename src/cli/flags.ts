/** One command-line flag: how node:util's parseArgs reads it and how help shows it. */
export interface FlagSpec {
  /** Long name without dashes: `page-size`. */
  readonly name: string;
  readonly short?: string;
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  /** Placeholder of the value in help: `<n>`. */
  readonly value?: string;
  readonly description: string;
  /** The command refuses to run without it. */
  readonly required?: boolean;
  /** A value that works, for the usage line of the command (`15m`); absent: not in the usage line. */
  readonly example?: string;
}

/** Flags every command takes. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  {
    name: "account-id",
    short: "a",
    type: "string",
    value: "<id>",
    description: "Account of bare job ids and of list/create (default: FIREWORKS_ACCOUNT_ID).",
  },
  {
    name: "base-url",
    type: "string",
    value: "<url>",
    description: "API base URL (default: FIREWORKS_BASE_URL, else https://api.fireworks.ai).",
  },
  {
    name: "request-timeout",
    type: "string",
    value: "<dur>",
    description: "Time limit of each request attempt (default 60s). Not the wait's limit.",
  },
  {
    name: "max-retries",
    type: "string",
    value: "<n>",
    description: "Retries of a failed request (default 2).",
  },
  {
    name: "output",
    short: "o",
    type: "string",
    value: "<format>",
    description:
      "text (default), json (as the API returned it, secrets redacted) or name (one resource name per line); watch: text or jsonl (one JSON object per change).",
  },
  {
    name: "dry-run",
    type: "boolean",
    description: "Print the request (method, URL, headers, key redacted); send nothing.",
  },
  {
    name: "debug",
    type: "boolean",
    description:
      "Log each attempt, its duration, retries and response bodies (redacted) to stderr; print stack traces.",
  },
  {
    name: "api-key",
    type: "string",
    value: "<key>",
    description:
      "API key. Prefer FIREWORKS_API_KEY: a flag ends up in shell history and process listings.",
  },
  { name: "help", short: "h", type: "boolean", description: "Show help." },
  { name: "version", type: "boolean", description: "Show the version." },
];

/** Flags of the commands that wait for a job. */
export const WAIT_TIMEOUT: FlagSpec = {
  name: "wait-timeout",
  type: "string",
  value: "<dur>",
  description:
    "Give up waiting after this long (default 15m; cancel 10m, delete 30m, as firectl). Same as --timeout.",
};

export const TIMEOUT: FlagSpec = {
  name: "timeout",
  type: "string",
  value: "<dur>",
  description: "The wait's time limit, as --wait-timeout (each request's is --request-timeout).",
  example: "15m",
};

export const POLL_INTERVAL: FlagSpec = {
  name: "poll-interval",
  type: "string",
  value: "<dur>",
  description:
    "Time between polls (default 5s, with a little jitter). At least 1s against a remote API: each poll is a request, and an account without a payment method may send only 10 requests a minute (use 6s or more there). No floor on localhost.",
  example: "5s",
};

export const UNTIL: FlagSpec = {
  name: "until",
  type: "string",
  multiple: true,
  value: "<state>",
  description: "Target state(s), e.g. RUNNING or COMPLETED,FAILED; repeatable.",
};

export const WAIT: FlagSpec = {
  name: "wait",
  type: "boolean",
  description:
    "Wait for the outcome: resume and create until RUNNING, cancel until CANCELLED, delete until the job is gone.",
  example: "",
};

/** The waits of create, cancel and delete have fixed targets (RUNNING, CANCELLED, gone). */
export const LIFECYCLE_FLAGS: readonly FlagSpec[] = [WAIT, TIMEOUT, WAIT_TIMEOUT, POLL_INTERVAL];

/** The wait flags of a command whose wait has another default limit (cancel 10m, delete 30m). */
export function lifecycleFlags(defaultTimeout: string): readonly FlagSpec[] {
  const timeout: FlagSpec = {
    ...TIMEOUT,
    example: defaultTimeout,
    description: `${TIMEOUT.description} Default ${defaultTimeout}.`,
  };
  return LIFECYCLE_FLAGS.map((flag) => (flag === TIMEOUT ? timeout : flag));
}
