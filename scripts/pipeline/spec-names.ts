// The rules for every name the generator takes from the spec, checked where the name is read so
// that a hostile or odd spec is refused naming its location, whether or not lint ran. Text that is
// not a name (summaries, descriptions, titles, examples) needs no rule: it is only ever emitted
// through source-text.ts.
import { isPlainIdentifier, literal } from "./source-text.js";

export interface NameRule {
  /** What the name is, for the message. */
  what: string;
  pattern: RegExp;
}

/** `functionName` turns `_`, `-` and `.` into camelCase; anything else has no place in a name. */
export const OPERATION_ID: NameRule = {
  what: "an operationId",
  pattern: /^[A-Za-z_][A-Za-z0-9_.-]*$/,
};

/** Option members and object keys, quoted where not identifiers; `__proto__` would set a prototype. */
export const PARAMETER_NAME: NameRule = {
  what: "a parameter name",
  pattern: /^(?!__proto__$)[A-Za-z_$][A-Za-z0-9_$.-]*$/,
};

/** OpenAPI's own rule for the keys of `components`. */
export const COMPONENT_NAME: NameRule = { what: "a component name", pattern: /^[A-Za-z0-9._-]+$/ };

/** An AIP-122 collection id, which names the resource's generated types and functions. */
export const COLLECTION_ID: NameRule = {
  what: "a collection id of a resource",
  pattern: /^[A-Za-z][A-Za-z0-9]*$/,
};

/** Reserved words, and the names each generated function binds (its parameters, its locals). */
const RESERVED = new Set(
  [
    "arguments await break case catch class const continue debugger default delete do else enum",
    "eval export extends false finally for function if implements import in instanceof interface",
    "let new null package private protected public return static super switch this throw true try",
    "typeof var void while with yield",
    "body client options page pageToken parent path pathParameters",
  ].flatMap((words) => words.split(" ")),
);

/** `name` when it follows `rule`; otherwise generation stops, naming `where` in the spec. */
export function checkName(name: string, rule: NameRule, where: string): string {
  if (rule.pattern.test(name)) return name;
  throw new Error(`${where}: ${literal(name)} is not ${rule.what} (it must match ${rule.pattern})`);
}

/** A name made from spec names (a function name from an operationId) that code will declare. */
export function checkIdentifier(name: string, where: string): string {
  if (isPlainIdentifier(name) && !RESERVED.has(name)) return name;
  throw new Error(
    `${where}: it would name a generated declaration ${literal(name)}, which is not a free identifier`,
  );
}
