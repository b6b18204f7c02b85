export const HELP = `fireworks-rlor: resume, inspect and wait for Fireworks AI RLOR trainer jobs

Usage:
  fireworks-rlor resume <job> [--wait] [--wait-timeout 15m] [--poll-interval 5s]
  fireworks-rlor get <job>
  fireworks-rlor wait <job> [--until RUNNING] [--wait-timeout 15m] [--poll-interval 5s]

<job> is a bare job id (the account then comes from --account-id or FIREWORKS_ACCOUNT_ID)
or a full name: accounts/<account-id>/rlorTrainerJobs/<job-id>.

Commands:
  resume   Resume a paused, failed, cancelled or completed job; with --wait, wait until it runs.
  get      Show a job.
  wait     Wait until a job reaches a state (default RUNNING).

Wait flags:
  --wait                  (resume) Wait for the job after resuming it.
  --wait-timeout <dur>    Give up waiting after this long (default 15m).
  --poll-interval <dur>   Time between polls (default 5s, with a little jitter).
  --until <state>         (wait) Target state(s), e.g. RUNNING or COMPLETED,FAILED; repeatable.

Global flags:
  -a, --account-id <id>   Account (default: FIREWORKS_ACCOUNT_ID).
      --base-url <url>    API base URL (default: FIREWORKS_BASE_URL, else https://api.fireworks.ai).
      --timeout <dur>     Timeout of each request attempt (default 60s).
      --max-retries <n>   Retries of a failed request (default 2).
  -o, --output <format>   text (default) or json: the job as the API returned it, secrets redacted.
      --dry-run           Print the request (method, URL, headers, key redacted); send nothing.
      --debug             Log requests and responses to stderr; print stack traces on errors.
      --api-key <key>     API key. Prefer the FIREWORKS_API_KEY environment variable: a flag
                          ends up in shell history and process listings.
  -h, --help              Show this help.
      --version           Show the version.

Durations are Go style, as firectl takes them: 500ms, 90s, 15m, 1h30m.
While waiting, state changes go to stderr with the elapsed time; the job goes to stdout at the end.

Exit codes:
  0    success
  1    API or network error
  2    usage or bad input (nothing was sent)
  3    wait timed out
  4    the job ended in a state it cannot recover from (failed, cancelled, expired,
       early-stopped, completed when waiting to run, or deleted)
  130  interrupted (Ctrl-C)

Environment: FIREWORKS_API_KEY (required), FIREWORKS_ACCOUNT_ID, FIREWORKS_BASE_URL.
`;
