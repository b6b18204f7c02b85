import { InvalidArgumentError } from "../core/errors.js";

/**
 * Throws unless the API key may be sent to `url`: https, or plain http to a loopback host
 * (localhost, 127.0.0.0/8, [::1]) where nothing crosses the network.
 */
export function checkKeyOrigin(url: URL): void {
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return;
  throw new InvalidArgumentError(
    `Refusing to send the API key to ${url.origin}: use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1])`,
  );
}

/** localhost, 127.0.0.0/8 or [::1]: a host whose traffic never crosses the network. */
export function isLoopback(hostname: string): boolean {
  // The URL parser has already normalised IPv4 forms such as "127.1" to dotted quads.
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
