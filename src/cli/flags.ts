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
  /**
   * For an --until whose wait heads for one place: the only words it takes, its default first
   * (create: RUNNING or READY; reconnect: READY).
   */
  readonly targets?: readonly string[];
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
      "text (default), json (as the API returned it, secrets redacted) or name (one resource name per line); watch: text or jsonl (one JSON object per change); report: text or json.",
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
    "Give up waiting after this long (default 15m, time in PENDING not counted: see --pending-timeout; cancel 10m, delete 30m, as firectl; reconnect 10m, as the training SDK). Same as --timeout.",
};

export const TIMEOUT: FlagSpec = {
  name: "timeout",
  type: "string",
  value: "<dur>",
  description: "The wait's time limit, as --wait-timeout (each request's is --request-timeout).",
  example: "15m",
};

const PENDING_TIMEOUT: FlagSpec = {
  name: "pending-timeout",
  type: "string",
  value: "<dur>",
  description:
    "The wait's limit for the time the job spends in PENDING, queued for capacity (default 48h, as Fireworks' training SDK); that time never counts against --timeout.",
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
  description:
    "Target state(s), e.g. RUNNING or COMPLETED,FAILED; repeatable. READY (alone): RUNNING and the trainer answering its health probe; prints the trainer's endpoint.",
};

export const WAIT: FlagSpec = {
  name: "wait",
  type: "boolean",
  description:
    "Wait for the outcome: resume and create until RUNNING, cancel until CANCELLED, delete until the job is gone.",
  example: "",
};

const STALL_TIMEOUT: FlagSpec = {
  name: "stall-timeout",
  type: "string",
  value: "<dur>",
  description:
    "End the wait (exit 5) when the job stays RUNNING while its updateTime and progress stand still this long, e.g. 10m (default: off).",
};

const ON_STALL: FlagSpec = {
  name: "on-stall",
  type: "string",
  value: "cancel",
  description: "With --stall-timeout: cancel a stalled job (and say so); the exit code is still 5.",
};

/** --wait and the wait's limits at the default 15m (resume, create). */
export const LIFECYCLE_FLAGS: readonly FlagSpec[] = [WAIT, TIMEOUT, WAIT_TIMEOUT, POLL_INTERVAL];

/** The wait flags of a command whose wait has another default limit (cancel 10m, delete 30m). */
export function lifecycleFlags(defaultTimeout: string): readonly FlagSpec[] {
  return [WAIT, ...waitFlags(defaultTimeout)];
}

/** The flags of a wait with its own default limit (reconnect 10m, as the training SDK). */
export function waitFlags(defaultTimeout: string): readonly FlagSpec[] {
  const timeout: FlagSpec = {
    ...TIMEOUT,
    example: defaultTimeout,
    description: `${TIMEOUT.description} Default ${defaultTimeout}.`,
  };
  return [timeout, WAIT_TIMEOUT, POLL_INTERVAL];
}

export const TRUSTED_ORIGIN: FlagSpec = {
  name: "trusted-origin",
  type: "string",
  multiple: true,
  value: "<origin>",
  description:
    "With --until READY: an origin (https://host) besides the API's that may be sent the API key, to probe a job's directRouteHandle there; repeatable. Never by default.",
};

/** create --wait's --until: its wait has one state to reach, or READY beyond it. */
export const CREATE_UNTIL: FlagSpec = {
  ...UNTIL,
  targets: ["RUNNING", "READY"],
  description:
    "RUNNING (the default) or READY: RUNNING and the trainer answering its health probe; READY prints the trainer's endpoint.",
};

/** reconnect's --until: READY is all it waits for. */
export const RECONNECT_UNTIL: FlagSpec = {
  ...UNTIL,
  targets: ["READY"],
  description:
    "READY, the default and the only target: reconnect always waits until the trainer answers its health probe.",
};

/**
 * The flags of every wait that heads for a running job (wait, resume, create, reconnect): its
 * target (READY too; `until` when the command takes fewer), and the budgets of a job that may
 * spend hours in PENDING or stall while RUNNING. cancel and delete lead away from it.
 */
export function runningWaitFlags(until: FlagSpec = UNTIL): readonly FlagSpec[] {
  return [until, TRUSTED_ORIGIN, PENDING_TIMEOUT, STALL_TIMEOUT, ON_STALL];
}

export const SETTLE_TIMEOUT: FlagSpec = {
  name: "settle-timeout",
  type: "string",
  value: "<dur>",
  description:
    "How long a job in a transitional state (CANCELLING, ...) may take to reach one reconnect can go on from, read every 10s (default 2m).",
  example: "2m",
};
