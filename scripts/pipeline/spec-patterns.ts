// Every `pattern` of the spec compiled at generation time, as the runtime compiles it: an invalid
// one stops generation here, not every call with a SyntaxError.
import { isObject, type JsonObject } from "./json-document.js";
import { compilePattern } from "./runtime/runtime.js";

/** Values that are data, not schemas: a `pattern` key inside them is an example's field. */
const DATA_KEYWORDS = new Set(["default", "enum", "const", "example", "examples"]);

/** What a location belongs to, for the message: the parameter or component schema. */
function subjectOf(node: JsonObject, where: string, subject: string): string {
  if (typeof node.name === "string" && typeof node.in === "string")
    return `parameter ${JSON.stringify(node.name)}`;
  const schema = /^components\.schemas\.([^.]+)$/.exec(where)?.[1];
  return schema === undefined ? subject : `schema ${JSON.stringify(schema)}`;
}

function check(node: unknown, where: string, subject: string, inProperties: boolean): void {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) check(item, `${where}[${i}]`, subject, false);
    return;
  }
  if (!isObject(node)) return;
  const about = subjectOf(node, where, subject);
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYWORDS.has(key) || key.startsWith("x-")) continue;
    const at = where === "" ? key : `${where}.${key}`;
    // Under `properties`, `pattern` names a property: its value is a schema.
    if (key === "pattern" && typeof value === "string" && !inProperties) {
      try {
        compilePattern(value);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `${at}: the pattern of ${about} is not a valid regular expression: ${reason}`,
        );
      }
    } else {
      check(value, at, about, key === "properties" || key === "patternProperties");
    }
  }
}

/** Throws on the first `pattern` the runtime could not compile, naming where it is. */
export function checkPatterns(document: JsonObject): void {
  check(document, "", "the document", false);
}
