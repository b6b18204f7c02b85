import { InvalidArgumentError } from "../core/errors.js";

/** RFC 9110 token: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What node:http and `Headers` accept in a value: no line breaks, NUL or other control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Throws `InvalidArgumentError` for a header `fetch` or node:http would refuse with an error of its
 * own (a raw TypeError quoting the header). The value is never quoted: it may be a secret.
 * `null`/`undefined` values are allowed: openapi-fetch reads them as "drop this header".
 */
export function checkHeaders(
  headers: Readonly<Record<string, unknown>> | undefined,
  where: string,
): void {
  if (headers === undefined) return;
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      throw new InvalidArgumentError(
        `Invalid header name ${JSON.stringify(name)} in ${where}: expected letters, digits and !#$%&'*+-.^_\`|~ only`,
      );
    }
    if (value === null || value === undefined) continue;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (!values.every((item) => HEADER_VALUE.test(String(item)))) {
      throw new InvalidArgumentError(
        `Invalid value of header ${JSON.stringify(name)} in ${where}: it contains a line break or another control or non-Latin-1 character (value not shown)`,
      );
    }
  }
}
