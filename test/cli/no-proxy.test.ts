import { describe, expect, it } from "vitest";
import { bypassesProxy } from "../../src/cli/no-proxy.js";

const direct = (url: string, noProxy: string) => bypassesProxy(new URL(url), noProxy);

describe("NO_PROXY, as curl and Go read it", () => {
  it.each([
    // CIDR ranges match hosts given as addresses in them.
    ["http://127.0.0.1:8080", "127.0.0.0/8", true],
    ["http://127.200.3.4", "10.0.0.0/8, 127.0.0.0/8", true],
    ["http://128.0.0.1", "127.0.0.0/8", false],
    ["https://10.1.2.3", "10.0.0.0/16", false],
    ["https://10.0.255.3", "10.0.0.0/16", true],
    ["http://[::1]:9000", "::1/128", true],
    ["http://[::2]", "::1/128", false],
    ["http://[fd12:3456::1]", "fd00::/8", true],
    ["http://[fe80::1]", "fd00::/8", false],
    ["http://127.0.0.1", "::/0", false],
    ["http://192.168.1.1", "0.0.0.0/0", true],
    ["http://localhost", "127.0.0.0/8", false],
    ["http://127.0.0.1", "127.0.0.0/33", false],
    // Addresses, bare or bracketed, with or without a port.
    ["http://[::1]:9000", "::1", true],
    ["http://[::1]:9000", "[::1]", true],
    ["http://[::1]:9000", "[::1]:9000", true],
    ["http://[::1]:9000", "[::1]:9001", false],
    ["http://127.0.0.1:4000", "127.0.0.1", true],
    ["http://127.0.0.1:4000", "127.0.0.1:4000", true],
    ["http://127.0.0.1:4000", "127.0.0.1:80", false],
    // Names and their subdomains, leading dot or not.
    ["https://api.fireworks.ai", "fireworks.ai", true],
    ["https://api.fireworks.ai", ".fireworks.ai", true],
    ["https://api.fireworks.ai", "*.fireworks.ai", true],
    ["https://API.Fireworks.AI", "fireworks.ai", true],
    ["https://notfireworks.ai", "fireworks.ai", false],
    ["https://api.fireworks.ai", "fireworks.ai:443", true],
    ["https://api.fireworks.ai", "fireworks.ai:8443", false],
    ["https://api.fireworks.ai", "*", true],
    ["https://api.fireworks.ai", "", false],
    ["https://api.fireworks.ai", " , ", false],
  ])("%s with NO_PROXY=%j: direct %s", (url, noProxy, expected) => {
    expect(direct(url, noProxy)).toBe(expected);
  });
});
