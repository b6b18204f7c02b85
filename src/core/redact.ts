/** What replaces a secret value. */
export const REDACTED = "[REDACTED]";

/**
 * Keys whose values are secrets wherever they appear (compared lower-cased). `wandbConfig.apiKey`
 * comes back in job responses; matching the key name at any depth also covers fields the API adds.
 */
const SECRET_KEYS = new Set(["apikey", "api_key"]);

/**
 * A deep copy of a job (or any JSON value) with secrets such as `wandbConfig.apiKey` replaced by
 * `"[REDACTED]"`, safe to print or log. Unknown fields are kept.
 */
export function redactJob<T>(job: T): T {
  return redactValue(job) as T;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value !== "object" || value === null) return value;
  // fromEntries defines own properties, so a "__proto__" key from JSON stays data, not a prototype.
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      isSecret(key, field) ? REDACTED : redactValue(field),
    ]),
  );
}

function isSecret(key: string, field: unknown): boolean {
  return SECRET_KEYS.has(key.toLowerCase()) && field !== null && field !== "";
}
