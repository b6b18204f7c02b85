import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import type { Duplex } from "node:stream";

/** A forward proxy on 127.0.0.1 that counts what passes through it. */
export interface CountingProxy {
  /** `http://127.0.0.1:<port>`: the value of HTTP_PROXY / HTTPS_PROXY. */
  readonly url: string;
  /** Absolute-form requests relayed (`GET http://host/path`), as `METHOD url`. */
  readonly forwarded: string[];
  /** CONNECT tunnels opened, as `host:port`. */
  readonly tunnels: string[];
  close(): Promise<void>;
}

/**
 * Plain http targets come as absolute-form requests, which it relays; https targets come as
 * CONNECT, which it tunnels. Real proxies do both; undici's EnvHttpProxyAgent sends either.
 */
export async function startCountingProxy(): Promise<CountingProxy> {
  const forwarded: string[] = [];
  const tunnels: string[] = [];
  const server = createServer((incoming, outgoing) => {
    const target = new URL(incoming.url ?? "/");
    forwarded.push(`${incoming.method} ${target.href}`);
    const upstream = httpRequest(
      target,
      { method: incoming.method, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  server.on("connect", (incoming, socket, head) => {
    const [host = "", port = "443"] = (incoming.url ?? "").split(":");
    tunnels.push(`${host}:${port}`);
    const upstream = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A proxy whose CONNECT never works, and how many it was sent. */
export interface FailingProxy {
  readonly url: string;
  /** CONNECT requests received. */
  readonly connects: () => number;
  close(): Promise<void>;
}

/**
 * A proxy on 127.0.0.1 that fails every CONNECT: `drop` closes the connection without an answer,
 * `stall` keeps it open and never answers.
 */
export async function startFailingProxy(mode: "drop" | "stall"): Promise<FailingProxy> {
  let connects = 0;
  const sockets = new Set<Duplex>();
  const server = createServer((_incoming, outgoing) => outgoing.destroy());
  server.on("connect", (_incoming, socket) => {
    connects++;
    socket.on("error", () => undefined);
    if (mode === "drop") {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects: () => connects,
    close: () =>
      new Promise<void>((resolve) => {
        // A CONNECT's socket is the proxy's own once the event fires: the server does not track it.
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
