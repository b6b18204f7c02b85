import type { FakeJobBody } from "./fake-jobs.js";
import { type Checked, invalid } from "./validation.js";

/** Job fields a filter or an order may name: the scalar fields a caller would sort or pick by. */
const FIELDS: ReadonlySet<string> = new Set([
  "name",
  "displayName",
  "state",
  "createTime",
  "completedTime",
  "createdBy",
  "dataset",
  "keepAlive",
  "serviceMode",
  "trainingConfig.baseModel",
  "trainingConfig.outputModel",
]);

/** A field's value as text, for comparing: `a.b` walks into objects; absent reads as "". */
function fieldText(job: FakeJobBody, path: string): string {
  let value: unknown = job;
  for (const key of path.split(".")) {
    value =
      typeof value === "object" && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : "";
}

function unknownFieldMessage(field: string, where: string): string {
  return `unknown field ${JSON.stringify(field)} in ${where}; known: ${[...FIELDS].join(", ")}`;
}

type Predicate = (job: FakeJobBody) => boolean;

/** A filter that cannot be read: the message of the 400 the server answers. */
class FilterSyntaxError extends Error {}

/** `(`, `)`, `=`, `!=`, a quoted string or a bare word; whitespace between them. */
const TOKEN = /\s*(?:([()])|(!=|=)|"([^"]*)"|([^\s()=!"]+))/y;

interface Token {
  kind: "paren" | "op" | "string" | "word";
  text: string;
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (filter.slice(TOKEN.lastIndex).trim() !== "") {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(filter);
    if (!match) throw new FilterSyntaxError(`cannot read ${JSON.stringify(filter.slice(at))}`);
    const [, paren, op, quoted, word] = match;
    if (paren !== undefined) tokens.push({ kind: "paren", text: paren });
    else if (op !== undefined) tokens.push({ kind: "op", text: op });
    else if (quoted !== undefined) tokens.push({ kind: "string", text: quoted });
    else tokens.push({ kind: "word", text: word ?? "" });
  }
  return tokens;
}

/**
 * The part of AIP-160 callers use here: `field = value` and `field != value` restrictions,
 * joined by `AND` and `OR` (OR binds tighter, as AIP-160 has it), grouped with parentheses.
 * A state may be written short: `state = PAUSED`.
 */
class FilterParser {
  readonly #tokens: Token[];
  #at = 0;

  constructor(filter: string) {
    this.#tokens = tokenize(filter);
  }

  parse(): Predicate {
    if (this.#tokens.length === 0) return () => true;
    const predicate = this.#expression();
    const rest = this.#tokens[this.#at];
    if (rest) throw new FilterSyntaxError(`unexpected ${JSON.stringify(rest.text)}`);
    return predicate;
  }

  #next(): Token | undefined {
    return this.#tokens[this.#at++];
  }

  #keyword(word: string): boolean {
    const token = this.#tokens[this.#at];
    if (token?.kind !== "word" || token.text !== word) return false;
    this.#at++;
    return true;
  }

  #expression(): Predicate {
    const factors = [this.#factor()];
    while (this.#keyword("AND")) factors.push(this.#factor());
    return (job) => factors.every((factor) => factor(job));
  }

  #factor(): Predicate {
    const terms = [this.#term()];
    while (this.#keyword("OR")) terms.push(this.#term());
    return (job) => terms.some((term) => term(job));
  }

  #term(): Predicate {
    const token = this.#next();
    if (token?.kind === "paren" && token.text === "(") {
      const inner = this.#expression();
      const close = this.#next();
      if (close?.kind !== "paren" || close.text !== ")") throw new FilterSyntaxError("missing )");
      return inner;
    }
    if (token?.kind !== "word") throw new FilterSyntaxError("expected a field");
    const field = token.text;
    if (!FIELDS.has(field)) throw new FilterSyntaxError(unknownFieldMessage(field, "filter"));
    const op = this.#next();
    const value = this.#next();
    if (op?.kind !== "op" || (value?.kind !== "word" && value?.kind !== "string")) {
      throw new FilterSyntaxError(`expected = or != and a value after ${field}`);
    }
    let expected = value.text;
    if (field === "state" && !expected.startsWith("JOB_STATE_")) expected = `JOB_STATE_${expected}`;
    const equal = op.text === "=";
    return (job) => (fieldText(job, field) === expected) === equal;
  }
}

export function parseFilter(filter: string): Checked<Predicate> {
  try {
    return { ok: true, value: new FilterParser(filter).parse() };
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    return invalid(`invalid filter ${JSON.stringify(filter)}: ${error.message}`);
  }
}

type Compare = (a: FakeJobBody, b: FakeJobBody) => number;

/** An AIP-132 order: `field`, `field desc`, comma-separated; ties fall back to the name. */
export function parseOrderBy(orderBy: string): Checked<Compare> {
  const keys: { field: string; sign: number }[] = [];
  for (const text of orderBy.trim() === "" ? [] : orderBy.split(",")) {
    const match = /^([\w.]+)(?:\s+(asc|desc))?$/.exec(text.trim());
    if (!match?.[1]) return invalid(`invalid order_by ${JSON.stringify(orderBy)}`);
    if (!FIELDS.has(match[1])) return invalid(unknownFieldMessage(match[1], "order_by"));
    keys.push({ field: match[1], sign: match[2] === "desc" ? -1 : 1 });
  }
  keys.push({ field: "name", sign: 1 });
  return {
    ok: true,
    value: (a, b) => {
      for (const { field, sign } of keys) {
        const x = fieldText(a, field);
        const y = fieldText(b, field);
        if (x !== y) return x < y ? -sign : sign;
      }
      return 0;
    },
  };
}

/** The job with only the fields a read mask names (top-level); empty or `*` keeps all. */
export function applyReadMask(job: FakeJobBody, readMask: string | undefined): FakeJobBody {
  const paths = (readMask ?? "")
    .split(",")
    .map((path) => path.trim())
    .filter(Boolean);
  if (paths.length === 0 || paths.includes("*")) return job;
  const keep = new Set(paths.map((path) => path.split(".")[0]));
  return Object.fromEntries(Object.entries(job).filter(([field]) => keep.has(field)));
}
