// Serves the app on HOST:PORT; refuses a non-loopback address unless both tokens are set.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { ApiTokens } from "./app.js";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

export function splitListen(listen: string): { host: string; port: number } {
  const at = listen.lastIndexOf(":");
  return { host: listen.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(listen.slice(at + 1)) };
}

export async function startServer(app: Hono, listen: string, tokens: ApiTokens): Promise<RunningServer> {
  const { host, port } = splitListen(listen);
  if (!isLoopback(host) && (!tokens.ingest || !tokens.admin)) {
    throw new Error(
      `refusing to listen on ${listen} without TOCSIN_INGEST_TOKEN and TOCSIN_ADMIN_TOKEN: anyone on the network could post mentions; set both tokens or listen on 127.0.0.1`,
    );
  }
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      const shown = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shown}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once("error", reject);
  });
}
