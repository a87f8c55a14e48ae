// A TCP proxy on 127.0.0.1 in front of a local test server, for "the server is down for a while":
// while down, every connection is reset at once (what a client sees of a crashed or unreachable host);
// once up, bytes flow through untouched, so the client speaks the real protocol end to end.
import type { Socket } from "node:net";
import { connect, createServer } from "node:net";
import type { AddressInfo } from "node:net";

export interface SwitchableProxy {
  port: number;
  /** Rewrites a URL of the target so that it goes through the proxy. */
  via(url: string): string;
  setDown(down: boolean): void;
  /** Connections refused while down. */
  readonly refused: number;
  stop(): Promise<void>;
}

export async function startSwitchableProxy(
  targetPort: number,
  { down = false } = {},
): Promise<SwitchableProxy> {
  let isDown = down;
  let refused = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (isDown) {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    via: (url) => url.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`),
    setDown: (value) => {
      isDown = value;
      // Kept-alive connections die with the server, as they would.
      if (value) for (const socket of sockets) socket.destroy();
    },
    get refused() {
      return refused;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
