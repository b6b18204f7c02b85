import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../generated/operation-table.js";
import {
  type AccountRef,
  type CheckpointRef,
  cancelRlorTrainerJob,
  createRlorTrainerJob,
  deleteRlorTrainerJob,
  executeRlorTrainStep,
  type FireworksClient,
  formatRlorTrainerJobName,
  getRlorTrainerJob,
  getRlorTrainerJobPublicLogs,
  InvalidArgumentError,
  iterateRlorTrainerJobCheckpoints,
  iterateRlorTrainerJobs,
  listRlorTrainerJobCheckpoints,
  listRlorTrainerJobs,
  parseRlorTrainerJobName,
  promoteCheckpoint,
  type RlorTrainerJobRef,
  resumeRlorTrainerJob,
} from "../../src/index.js";
import { clientOf, type FaultServer, useFileFaultServer } from "../helpers/fault-server.js";

let server: FaultServer;
let client: FireworksClient;
let clientWithoutAccount: FireworksClient;
useFileFaultServer((started) => {
  server = started;
  client = clientOf(server);
  clientWithoutAccount = clientOf(server, { accountId: undefined });
});

/** The specification the implementation must meet, written independently of it. */
function isValidId(id: string): boolean {
  return (
    id.length >= 1 &&
    id.length <= 128 &&
    id !== "." &&
    id !== ".." &&
    !id.includes("/") &&
    ![...id].some((c) => /\s/u.test(c) || /\p{Cc}|\p{Cf}|\p{Cs}/u.test(c))
  );
}

describe("parse and format", () => {
  it("parses a full name", () => {
    expect(parseRlorTrainerJobName("accounts/acme/rlorTrainerJobs/job-1")).toEqual({
      accountId: "acme",
      rlorTrainerJobId: "job-1",
    });
  });

  it("formats a full name", () => {
    expect(formatRlorTrainerJobName({ accountId: "acme", rlorTrainerJobId: "job-1" })).toBe(
      "accounts/acme/rlorTrainerJobs/job-1",
    );
  });

  it.each([
    [
      "accounts/acme/jobs/job-1",
      'Invalid RLOR trainer job name "accounts/acme/jobs/job-1": expected accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}',
    ],
    [
      "accounts//rlorTrainerJobs/job-1",
      'Invalid account id "" in name "accounts//rlorTrainerJobs/job-1": it is empty; expected 1-128 characters without "/", whitespace or control characters, such as "my-account"',
    ],
    [
      "job-1",
      'Invalid RLOR trainer job name "job-1": expected accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}',
    ],
  ])("rejects %j with a message that names the expected form", (name, message) => {
    expect(() => parseRlorTrainerJobName(name)).toThrow(new InvalidArgumentError(message));
  });

  it("formats then parses back to the same parts", () => {
    fc.assert(
      fc.property(validId(), validId(), (accountId, rlorTrainerJobId) => {
        expect(
          parseRlorTrainerJobName(formatRlorTrainerJobName({ accountId, rlorTrainerJobId })),
        ).toEqual({ accountId, rlorTrainerJobId });
      }),
    );
  });

  it("parses then formats back to the same name, or rejects with InvalidArgumentError", () => {
    fc.assert(
      fc.property(nameLike(), (name) => {
        let ref: ReturnType<typeof parseRlorTrainerJobName>;
        try {
          ref = parseRlorTrainerJobName(name);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidArgumentError);
          return;
        }
        expect(isValidId(ref.accountId) && isValidId(ref.rlorTrainerJobId)).toBe(true);
        expect(formatRlorTrainerJobName(ref)).toBe(name);
      }),
      { numRuns: 500 },
    );
  });

  it("accepts exactly the valid ids", () => {
    fc.assert(
      fc.property(anyId(), (id) => {
        const accepted = (() => {
          try {
            formatRlorTrainerJobName({ accountId: "acme", rlorTrainerJobId: id });
            return true;
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidArgumentError);
            return false;
          }
        })();
        expect(accepted).toBe(isValidId(id));
      }),
      { numRuns: 1000 },
    );
  });
});

const badInput: [string, unknown, RegExp][] = [
  ["an empty id", "", /Invalid RLOR trainer job id "": it is empty/],
  ["'.'", ".", /Invalid RLOR trainer job id "\.": it is a relative path segment/],
  ["'..'", "..", /Invalid RLOR trainer job id "\.\.": it is a relative path segment/],
  [
    "an id with a slash",
    "job/1",
    /Invalid RLOR trainer job name "job\/1": expected accounts\/\{account_id\}\/rlorTrainerJobs\/\{rlor_trainer_job_id\}$/,
  ],
  [
    "an id with a space",
    "job 1",
    /^Invalid RLOR trainer job id "job 1": it contains whitespace \(U\+0020\); expected 1-128 characters without "\/", whitespace or control characters, such as "my-job-1"$/,
  ],
  ["an id with a tab", "job\t1", /"job\\t1": it contains whitespace \(U\+0009\)/],
  ["an id with a newline", "job\n1", /"job\\n1": it contains whitespace \(U\+000A\)/],
  ["an id with NUL", "job\u00001", /"job\\u00001": it contains a control character \(U\+0000\)/],
  ["an id with DEL", "job\u007f", /it contains a control character \(U\+007F\)/],
  [
    "an id with a zero-width space",
    "job\u200b1",
    /"job\\u200b1": it contains the character "\\u200b" \(U\+200B\)/,
  ],
  [
    "an id with a lone surrogate",
    "job\ud800",
    /"job\\ud800": it contains a lone surrogate \(U\+D800\)/,
  ],
  ["a non-breaking space", "job\u00a01", /it contains whitespace \(U\+00A0\)/],
  ["an over-long id", "j".repeat(129), /it is 129 characters long; expected 1-128 characters/],
  [
    "a name with an empty id",
    "accounts/acme/rlorTrainerJobs/",
    /Invalid RLOR trainer job id "" in name/,
  ],
  [
    "a name with '..' as id",
    "accounts/acme/rlorTrainerJobs/..",
    /Invalid RLOR trainer job id "\.\." in name/,
  ],
  [
    "a name with '..' as account",
    "accounts/../rlorTrainerJobs/job-1",
    /Invalid account id "\.\." in name/,
  ],
  [
    "a name with a wrong collection",
    "accounts/acme/fineTuningJobs/job-1",
    /expected accounts\/\{account_id\}\/rlorTrainerJobs\/\{rlor_trainer_job_id\}$/,
  ],
  [
    "a name with an extra segment",
    "accounts/acme/rlorTrainerJobs/job-1/x",
    /expected accounts\/\{account_id\}\/rlorTrainerJobs\/\{rlor_trainer_job_id\}$/,
  ],
  [
    "a name with a leading slash",
    "/accounts/acme/rlorTrainerJobs/job-1",
    /expected accounts\/\{account_id\}\/rlorTrainerJobs\/\{rlor_trainer_job_id\}$/,
  ],
  [
    "a name with a trailing slash",
    "accounts/acme/rlorTrainerJobs/job-1/",
    /expected accounts\/\{account_id\}\/rlorTrainerJobs\/\{rlor_trainer_job_id\}$/,
  ],
  [
    "a URL",
    "https://api.fireworks.ai/v1/accounts/acme/rlorTrainerJobs/job-1",
    /Invalid RLOR trainer job name/,
  ],
  [
    "parts with an empty account",
    { accountId: "", rlorTrainerJobId: "job-1" },
    /Invalid account id "": it is empty/,
  ],
  [
    "parts with '..' as id",
    { accountId: "acme", rlorTrainerJobId: ".." },
    /Invalid RLOR trainer job id "\.\."/,
  ],
  [
    "parts with a missing id",
    { accountId: "acme" },
    /Invalid RLOR trainer job id undefined: must be a string, got undefined/,
  ],
  [
    "null",
    null,
    /^RLOR trainer job must be an id, a name of the form accounts\/\{account_id\}\/rlorTrainerJobs\/\{rlor_trainer_job_id\}, or \{ accountId, rlorTrainerJobId \}; got null$/,
  ],
  ["a number", 42, /; got number$/],
];

/** First item of an iterator: its first page is fetched only then. */
async function first<T>(items: AsyncGenerator<T>): Promise<T | undefined> {
  return (await items.next()).value ?? undefined;
}

/** Every operation that takes a job reference, called with `job`. */
const JOB_CALLS: Readonly<Record<string, (job: RlorTrainerJobRef) => Promise<unknown>>> = {
  getRlorTrainerJob: (job) => getRlorTrainerJob(client, job),
  deleteRlorTrainerJob: (job) => deleteRlorTrainerJob(client, job),
  resumeRlorTrainerJob: (job) => resumeRlorTrainerJob(client, job),
  cancelRlorTrainerJob: (job) => cancelRlorTrainerJob(client, job),
  executeRlorTrainStep: (job) =>
    executeRlorTrainStep(client, job, { dataset: "d", outputModel: "m" }),
  listRlorTrainerJobCheckpoints: (job) => listRlorTrainerJobCheckpoints(client, job),
  iterateRlorTrainerJobCheckpoints: (job) => first(iterateRlorTrainerJobCheckpoints(client, job)),
  getRlorTrainerJobPublicLogs: (job) => getRlorTrainerJobPublicLogs(client, job),
};

/** Every operation that takes an account reference, called with `account`. */
const ACCOUNT_CALLS: Readonly<Record<string, (account: AccountRef) => Promise<unknown>>> = {
  listRlorTrainerJobs: (account) => listRlorTrainerJobs(client, account),
  iterateRlorTrainerJobs: (account) => first(iterateRlorTrainerJobs(client, account)),
  createRlorTrainerJob: (account) =>
    createRlorTrainerJob(client, account, {}, { rlorTrainerJobId: "job-1" }),
};

/** Every operation that takes a checkpoint reference (the account-level promote). */
const CHECKPOINT_CALLS: Readonly<Record<string, (checkpoint: CheckpointRef) => Promise<unknown>>> =
  {
    promoteCheckpoint: (checkpoint) =>
      promoteCheckpoint(client, checkpoint, {
        outputModel: "accounts/acme/models/m",
        trainerJobId: "accounts/acme/rlorTrainerJobs/job-1",
        baseModel: "accounts/fireworks/models/b",
      }),
  };

const badCheckpoints: [string, unknown, RegExp][] = [
  ["an empty id", "", /Invalid checkpoint id "": it is empty/],
  ["'..'", "..", /Invalid checkpoint id "\.\.": it is a relative path segment/],
  ["an id with a space", "step 1", /Invalid checkpoint id "step 1": it contains whitespace/],
  ["an id with NUL", "step\u0000", /it contains a control character \(U\+0000\)/],
  [
    "a job's checkpoint name (the promote names it by account and id)",
    "accounts/acme/rlorTrainerJobs/job-1/checkpoints/step-1",
    /Invalid checkpoint name .*: expected accounts\/\{account_id\}\/checkpoints\/\{checkpoint_id\}$/,
  ],
  ["parts with '..'", { accountId: "acme", checkpointId: ".." }, /Invalid checkpoint id "\.\."/],
];

const badAccounts: [string, unknown, RegExp][] = [
  ["an empty id", "", /Invalid account id "": it is empty/],
  ["'..'", "..", /Invalid account id "\.\.": it is a relative path segment/],
  ["an id with a space", "acme 1", /Invalid account id "acme 1": it contains whitespace/],
  ["an id with NUL", "acme\u0000", /it contains a control character \(U\+0000\)/],
  ["an over-long id", "a".repeat(129), /it is 129 characters long/],
  [
    "a job name",
    "accounts/acme/rlorTrainerJobs/job-1",
    /Invalid account name .*: expected accounts\/\{account_id\}$/,
  ],
  ["a name with an empty id", "accounts/", /Invalid account id "" in name/],
  ["parts with '..'", { accountId: ".." }, /Invalid account id "\.\."/],
  [
    "null",
    null,
    /^account must be an id, a name of the form accounts\/\{account_id\}, or \{ accountId \}; got null$/,
  ],
  ["a number", 42, /; got number$/],
];

describe("bad input never reaches the server", () => {
  it("covers every operation that takes a job or an account", () => {
    const covered = [
      ...Object.keys(JOB_CALLS),
      ...Object.keys(ACCOUNT_CALLS),
      ...Object.keys(CHECKPOINT_CALLS),
    ];
    expect(
      OPERATIONS.map((operation) => operation.operationId).filter((id) => !covered.includes(id)),
    ).toEqual([]);
  });

  it.each(
    Object.entries(JOB_CALLS).flatMap(([operation, call]) =>
      badInput.map(([what, job, message]) => [operation, what, call, job, message] as const),
    ),
  )("%s rejects %s", async (_operation, _what, call, job, message) => {
    const error = await call(job as RlorTrainerJobRef).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  it.each(
    Object.entries(ACCOUNT_CALLS).flatMap(([operation, call]) =>
      badAccounts.map(
        ([what, account, message]) => [operation, what, call, account, message] as const,
      ),
    ),
  )("%s rejects the account %s", async (_operation, _what, call, account, message) => {
    const error = await call(account as AccountRef).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  it.each(
    Object.entries(CHECKPOINT_CALLS).flatMap(([operation, call]) =>
      badCheckpoints.map(([what, ref, message]) => [operation, what, call, ref, message] as const),
    ),
  )("%s rejects the checkpoint %s", async (_operation, _what, call, checkpoint, message) => {
    const error = await call(checkpoint as CheckpointRef).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  it("rejects a bare id when the client has no account, saying how to give one", async () => {
    await expect(getRlorTrainerJob(clientWithoutAccount, "job-1")).rejects.toThrow(
      new InvalidArgumentError(
        'No account for RLOR trainer job id "job-1": pass the full name accounts/{account_id}/rlorTrainerJobs/{rlor_trainer_job_id}, or set the client\'s accountId option or FIREWORKS_ACCOUNT_ID',
      ),
    );
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ["a name", "accounts/other/rlorTrainerJobs/job-1"],
    ["parts", { accountId: "other", rlorTrainerJobId: "job-1" }],
  ] as const)(
    "%s in another account is used as given, not the client's account",
    async (_what, job) => {
      await resumeRlorTrainerJob(client, job);
      await getRlorTrainerJob(client, job);
      expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        "POST /v1/accounts/other/rlorTrainerJobs/job-1:resume",
        "GET /v1/accounts/other/rlorTrainerJobs/job-1",
      ]);
    },
  );

  it("a bare id takes the client's account", async () => {
    await getRlorTrainerJob(client, "job-1");
    expect(server.requests.map((r) => r.url)).toEqual(["/v1/accounts/acme/rlorTrainerJobs/job-1"]);
  });

  it("a client without account accepts full names of any account", async () => {
    await getRlorTrainerJob(clientWithoutAccount, "accounts/other/rlorTrainerJobs/job-1");
    expect(server.requests[0]?.url).toBe("/v1/accounts/other/rlorTrainerJobs/job-1");
  });

  it("sends every accepted id as one percent-encoded path segment, and nothing for the rest", async () => {
    await fc.assert(
      fc.asyncProperty(anyId(), async (id) => {
        server.requests.length = 0;
        const result = await getRlorTrainerJob(client, {
          accountId: "acme",
          rlorTrainerJobId: id,
        }).then(
          () => "sent",
          (error: unknown) => error,
        );
        if (isValidId(id)) {
          expect(result).toBe("sent");
          expect(server.requests.map((r) => r.url)).toEqual([
            `/v1/accounts/acme/rlorTrainerJobs/${encodeURIComponent(id)}`,
          ]);
        } else {
          expect(result).toBeInstanceOf(InvalidArgumentError);
          expect(server.requests).toHaveLength(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Ids that must be accepted, including characters that need percent-encoding. */
function validId(): fc.Arbitrary<string> {
  return fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter(isValidId);
}

/** Anything, biased towards the dangerous characters and lengths. */
function anyId(): fc.Arbitrary<string> {
  const risky = fc.constantFrom(
    ".",
    "..",
    "/",
    " ",
    "\t",
    "\n",
    "\u0000",
    "\u200b",
    "\ud800",
    "%",
    "?",
    "#",
    ":",
    "é",
    "😀",
    "a",
    "-",
  );
  return fc.oneof(
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.string({ unit: risky, maxLength: 6 }),
    fc.constantFrom("a".repeat(128), "a".repeat(129), ".", ".."),
  );
}

function nameLike(): fc.Arbitrary<string> {
  const segment = fc.oneof(validId(), anyId());
  return fc.oneof(
    fc.tuple(segment, segment).map(([a, j]) => `accounts/${a}/rlorTrainerJobs/${j}`),
    fc
      .array(fc.oneof(segment, fc.constantFrom("accounts", "rlorTrainerJobs")), { maxLength: 6 })
      .map((parts) => parts.join("/")),
  );
}
