import type { Socket } from "node:net";
import type { Fetch } from "../internal/request.js";
import { bypassesProxy } from "./no-proxy.js";

/** The variables naming a proxy for each scheme, lower case first (as curl and undici read them). */
const PROXY_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  "http:": ["http_proxy", "HTTP_PROXY"],
  // An https URL falls back on the http proxy, as undici's EnvHttpProxyAgent does.
  "https:": ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"],
};

/** The proxy requests to a URL go through: its variable (for messages) and its value. */
interface ProxyChoice {
  readonly variable: string;
  /** May hold credentials: never shown. */
  readonly url: string;
}

const setting = (env: NodeJS.ProcessEnv, name: string) => {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
};

/**
 * The proxy requests to `target` go through, or undefined when they go direct: no proxy
 * variable for its scheme, or NO_PROXY names it (see no-proxy.ts for the forms it takes).
 */
function proxyFor(target: URL, env: NodeJS.ProcessEnv = process.env): ProxyChoice | undefined {
  const variable = (PROXY_VARIABLES[target.protocol] ?? []).find(
    (name) => setting(env, name) !== undefined,
  );
  if (variable === undefined) return undefined;
  const noProxy = setting(env, "no_proxy") ?? setting(env, "NO_PROXY") ?? "";
  if (bypassesProxy(target, noProxy)) return undefined;
  return { variable, url: setting(env, variable) ?? "" };
}

/** A fetch through a proxy, and what closes its connections once the command is done. */
export interface ProxiedFetch {
  readonly fetch: Fetch;
  /** The variable that named the proxy of the API's requests, for messages; none: they go direct. */
  readonly variable: string | undefined;
  /** Closes every connection, a stalled CONNECT's too: nothing keeps the process alive. */
  readonly close: () => Promise<void>;
}

type Connector = (
  options: object,
  callback: (...args: [null, Socket] | [Error, null]) => void,
) => void;

/**
 * undici (up to 7.x, nodejs/undici#3897) takes a proxy that closes the connection during CONNECT
 * for a socket error to reconnect from, and reconnects without end, even after the request was
 * aborted: one run made 37,000 CONNECT attempts. As undici's own later fix does, such a failure
 * becomes an error of the request (code UND_ERR_PRX_CONN), which the client's retries then
 * count like any connection error.
 */
function failingDroppedTunnels(connect: Connector): Connector {
  return (options, callback) =>
    connect(options, (...args) => {
      const [error] = args;
      if (error === null || (error as { code?: unknown }).code !== "UND_ERR_SOCKET") {
        callback(...args);
        return;
      }
      const dropped = new Error(`proxy closed the connection during CONNECT: ${error.message}`, {
        cause: error,
      });
      callback(Object.assign(dropped, { code: "UND_ERR_PRX_CONN" }), null);
    });
}

/**
 * A fetch that sends each request through the proxy HTTPS_PROXY or HTTP_PROXY names for its URL
 * (unless NO_PROXY says to go direct), or undefined when no proxy variable is set: then the
 * platform's fetch is used and undici is never loaded. Each URL is decided on its own, as curl
 * and Go do: the log's storage host and a trusted trainer origin are not the API (`target`).
 * Only the CLI imports undici; the library takes any `fetch`.
 */
export async function proxyFetch(
  target: URL,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProxiedFetch | undefined> {
  const names = Object.values(PROXY_VARIABLES).flat();
  if (!names.some((name) => setting(env, name) !== undefined)) return undefined;
  const { Pool, ProxyAgent, fetch } = await import("undici");
  // One agent per proxy (http and https URLs may name two), made when first needed.
  const agents = new Map<string, InstanceType<typeof ProxyAgent>>();
  const agentFor = (uri: string) => {
    const made =
      agents.get(uri) ??
      new ProxyAgent({
        uri,
        // The pool of tunnels to the target: `connect` is ProxyAgent's, which sends the CONNECT.
        factory: (origin, options) => {
          const { connect, ...rest } = options as { connect: Connector };
          return new Pool(origin, { ...rest, connect: failingDroppedTunnels(connect) });
        },
      });
    agents.set(uri, made);
    return made;
  };
  type UndiciInit = NonNullable<Parameters<typeof fetch>[1]>;
  return {
    fetch: (url, init) => {
      const proxy = URL.canParse(url) ? proxyFor(new URL(url), env) : undefined;
      if (proxy === undefined) return globalThis.fetch(url, init);
      // undici's own fetch: Node 20's built-in one may not take a dispatcher of another undici.
      return fetch(url, {
        ...(init as unknown as UndiciInit),
        dispatcher: agentFor(proxy.url),
      }) as unknown as Promise<Response>;
    },
    variable: proxyFor(target, env)?.variable,
    close: async () => {
      await Promise.all([...agents.values()].map((agent) => agent.destroy()));
    },
  };
}
