import type { Fetch } from "../internal/request.js";

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/** The proxy variable in effect, for messages (its value may hold credentials: never shown). */
export function proxyVariable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return PROXY_VARIABLES.find((name) => (env[name] ?? "").trim() !== "");
}

/**
 * A fetch that honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY as curl does (undici's
 * EnvHttpProxyAgent), or undefined when no proxy is set: then the platform's fetch is used and
 * undici is never loaded. Only the CLI imports undici; the library takes any `fetch`.
 */
export async function proxyFetch(env: NodeJS.ProcessEnv = process.env): Promise<Fetch | undefined> {
  if (proxyVariable(env) === undefined) return undefined;
  const { EnvHttpProxyAgent, fetch } = await import("undici");
  const dispatcher = new EnvHttpProxyAgent();
  type UndiciInit = NonNullable<Parameters<typeof fetch>[1]>;
  return (url, init) =>
    // undici's own fetch: Node 20's built-in one may not take a dispatcher of another undici.
    fetch(url, { ...(init as unknown as UndiciInit), dispatcher }) as unknown as Promise<Response>;
}
