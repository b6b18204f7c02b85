/** An environment variable, trimmed; unset and blank both read as undefined. */
export function readEnv(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value === "" ? undefined : value;
}
