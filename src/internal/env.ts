/** An environment variable, trimmed; unset and blank both read as undefined. Runtimes without `process` (browsers) have none. */
export function readEnv(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const value = env?.[name]?.trim();
  return value === "" ? undefined : value;
}
