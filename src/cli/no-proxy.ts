import { BlockList, isIP } from "node:net";

/**
 * NO_PROXY as curl and Go read it: entries apart by commas or spaces; `*` alone for every host; a
 * host name, with or without a leading `.` or `*.`, for it and its subdomains; an IP address
 * (IPv6 with or without brackets); an IP range in CIDR form (`10.0.0.0/8`, `fd00::/8`), which
 * matches a host given as an address in it (names are not resolved); and `:port` after a name or
 * bracketed address to match that port only.
 */

const DEFAULT_PORTS: Readonly<Record<string, number>> = { "http:": 80, "https:": 443 };

/** One entry: what it matches, and the port it is limited to (0: any). */
interface Entry {
  readonly matches: (host: string) => boolean;
  readonly port: number;
}

/** `address` as an IP family BlockList takes, or undefined for a name. */
function family(address: string): "ipv4" | "ipv6" | undefined {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : undefined;
}

function addressEntry(address: string, prefix: number | undefined): Entry["matches"] | undefined {
  const type = family(address);
  if (type === undefined) return undefined;
  const bits = type === "ipv4" ? 32 : 128;
  if (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= bits)) {
    return undefined;
  }
  const list = new BlockList();
  list.addSubnet(address, prefix ?? bits, type);
  return (host) => family(host) === type && list.check(host, type);
}

function parseEntry(raw: string): Entry | undefined {
  const cidr = /^\[?([^\]/]+)\]?\/(\d+)$/.exec(raw);
  if (cidr) {
    const matches = addressEntry(cidr[1] ?? "", Number(cidr[2]));
    return matches && { matches, port: 0 };
  }
  // A bare IPv6 address holds colons that are no port.
  const bare = addressEntry(raw, undefined);
  if (bare) return { matches: bare, port: 0 };
  const withPort = /^(.+):(\d+)$/.exec(raw);
  const host = (withPort?.[1] ?? raw).replace(/^\[(.*)\]$/, "$1");
  const port = withPort ? Number(withPort[2]) : 0;
  const address = addressEntry(host, undefined);
  if (address) return { matches: address, port };
  const domain = host.replace(/^\*?\./, "").toLowerCase();
  if (domain === "") return undefined;
  return { matches: (name) => name === domain || name.endsWith(`.${domain}`), port };
}

/** Whether `noProxy` (the value of NO_PROXY) says requests to `url` go direct. */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const entries = noProxy.split(/[,\s]+/).filter((entry) => entry !== "");
  if (entries.includes("*")) return true;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  return entries.some((raw) => {
    const entry = parseEntry(raw);
    return entry !== undefined && (entry.port === 0 || entry.port === port) && entry.matches(host);
  });
}
