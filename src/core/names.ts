import { InvalidArgumentError } from "./errors.js";

/** The two parts of `accounts/<accountId>/rlorTrainerJobs/<rlorTrainerJobId>`. */
export interface RlorTrainerJobRef {
  accountId: string;
  rlorTrainerJobId: string;
}

/**
 * A job: its full resource name, its bare id (the account then comes from the client), or the
 * two parts. The same forms firectl accepts.
 */
export type JobRef = string | RlorTrainerJobRef;

/**
 * Longest id accepted. AIP-122 ids are at most 63 characters; 128 leaves room should Fireworks
 * allow longer ones while still catching pasted garbage (a whole URL, a JSON blob) early.
 */
export const MAX_ID_LENGTH = 128;

const NAME_FORM = "accounts/<account-id>/rlorTrainerJobs/<job-id>";

/*
 * The `\p{…}` patterns below are built on first use rather than written as literals: V8 checks
 * every regex literal while parsing the module, even inside a function never called, and loading
 * the Unicode property data for that added ~0.2-0.3 ms to every import of the package (measured).
 */
let forbiddenChars: RegExp | undefined;
let invisibleChars: RegExp | undefined;

/** Whitespace, control and invisible format characters, and lone surrogates (which `encodeURIComponent` throws on). */
function forbiddenCharsPattern(): RegExp {
  // biome-ignore lint/complexity/useRegexLiterals: a literal would cost its parse-time check on import.
  forbiddenChars ??= new RegExp("[\\s\\p{Cc}\\p{Cf}\\p{Cs}]", "u");
  return forbiddenChars;
}

/** Invisible format characters and lone surrogates, escaped when quoting input in a message. */
function invisibleCharsPattern(): RegExp {
  // biome-ignore lint/complexity/useRegexLiterals: a literal would cost its parse-time check on import.
  invisibleChars ??= new RegExp("\\p{Cf}|\\p{Cs}", "gu");
  return invisibleChars;
}

/** Parses `accounts/<a>/rlorTrainerJobs/<id>`; throws `InvalidArgumentError` on anything else. */
export function parseRlorTrainerJobName(name: string): RlorTrainerJobRef {
  if (typeof name !== "string") {
    throw new InvalidArgumentError(
      `RLOR trainer job name must be a string of the form ${NAME_FORM}, got ${typeof name}`,
    );
  }
  const parts = name.split("/");
  if (parts.length !== 4 || parts[0] !== "accounts" || parts[2] !== "rlorTrainerJobs") {
    throw new InvalidArgumentError(
      `Invalid RLOR trainer job name ${quote(name)}: expected ${NAME_FORM}`,
    );
  }
  const ref = { accountId: parts[1] ?? "", rlorTrainerJobId: parts[3] ?? "" };
  checkRef(ref, ` in name ${quote(name)}`);
  return ref;
}

/** Formats `accounts/<a>/rlorTrainerJobs/<id>`; throws `InvalidArgumentError` on an invalid part. */
export function formatRlorTrainerJobName(ref: RlorTrainerJobRef): string {
  checkRef(ref, "");
  return `accounts/${ref.accountId}/rlorTrainerJobs/${ref.rlorTrainerJobId}`;
}

/**
 * Resolves a `JobRef` against the client's account. A bare id needs `accountId`; a name or
 * object naming another account than a given `accountId` is refused, since the caller most
 * likely holds the wrong job or the wrong client.
 */
export function resolveJobRef(job: JobRef, accountId: string | undefined): RlorTrainerJobRef {
  const ref = toRef(job, accountId);
  if (accountId !== undefined && ref.accountId !== accountId) {
    throw new InvalidArgumentError(
      `RLOR trainer job ${quote(formatRlorTrainerJobName(ref))} is in account ${quote(ref.accountId)}, but the client is for account ${quote(accountId)} (accountId option or FIREWORKS_ACCOUNT_ID); use a client for that account or a client without an account`,
    );
  }
  return ref;
}

function toRef(job: JobRef, accountId: string | undefined): RlorTrainerJobRef {
  if (typeof job === "string") {
    if (job.includes("/")) return parseRlorTrainerJobName(job);
    checkId(job, "RLOR trainer job id", "");
    if (accountId === undefined) {
      throw new InvalidArgumentError(
        `No account for RLOR trainer job id ${quote(job)}: pass the full name ${NAME_FORM}, or set the client's accountId option or FIREWORKS_ACCOUNT_ID`,
      );
    }
    return { accountId, rlorTrainerJobId: job };
  }
  if (typeof job === "object" && job !== null) {
    const ref = { accountId: job.accountId, rlorTrainerJobId: job.rlorTrainerJobId };
    checkRef(ref, "");
    return ref;
  }
  throw new InvalidArgumentError(
    `RLOR trainer job must be a job id, a name of the form ${NAME_FORM}, or { accountId, rlorTrainerJobId }; got ${job === null ? "null" : typeof job}`,
  );
}

function checkRef(ref: RlorTrainerJobRef, where: string): void {
  checkId(ref.accountId, "account id", where);
  checkId(ref.rlorTrainerJobId, "RLOR trainer job id", where);
}

/**
 * Throws unless `id` is safe as one path segment. `.`/`..` would be removed by URL
 * normalisation and `/` would change the path; other characters are percent-encoded.
 */
export function checkId(id: unknown, what: string, where: string): asserts id is string {
  const problem = idProblem(id);
  if (problem !== undefined) {
    throw new InvalidArgumentError(
      `Invalid ${what} ${typeof id === "string" ? quote(id) : String(id)}${where}: ${problem}; expected 1-${MAX_ID_LENGTH} characters without "/", whitespace or control characters, such as "my-job-1"`,
    );
  }
}

function idProblem(id: unknown): string | undefined {
  if (typeof id !== "string") return `must be a string, got ${typeof id}`;
  if (id === "") return "it is empty";
  if (id === "." || id === "..") return "it is a relative path segment";
  if (id.length > MAX_ID_LENGTH) return `it is ${id.length} characters long`;
  if (id.includes("/")) return 'it contains "/"';
  if (forbiddenCharsPattern().test(id))
    return "it contains whitespace, a control character or an invalid character";
  return undefined;
}

/** Quotes user input for a message: escaped, and shortened so a huge value cannot flood logs. */
function quote(value: string): string {
  const short = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(short).replace(
    invisibleCharsPattern(),
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
