// Serves the app on HOST:PORT; refuses a non-loopback address unless both tokens are set.
// Timeouts (api.*_timeout) disconnect slow clients: headers or a body that never finish.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { Config } from "../config/schema.js";
import type { ApiTokens } from "./app.js";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ServerTimeouts {
  /** Milliseconds a client has to send a request's headers (node:http headersTimeout). */
  headersMs: number;
  /** Milliseconds for the whole request, body included (requestTimeout). */
  requestMs: number;
  /** Milliseconds an idle keep-alive connection stays open (keepAliveTimeout). */
  keepAliveMs: number;
}

/** The defaults of api.headers_timeout, api.request_timeout and api.keep_alive_timeout. */
export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 60_000, keepAliveMs: 5_000 };

/** The timeouts of the config's api section. */
export const serverTimeouts = (api: Config["api"]): ServerTimeouts => ({
  headersMs: api.headers_timeout,
  requestMs: api.request_timeout,
  keepAliveMs: api.keep_alive_timeout,
});

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

export function splitListen(listen: string): { host: string; port: number } {
  const at = listen.lastIndexOf(":");
  return { host: listen.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(listen.slice(at + 1)) };
}

export async function startServer(
  app: Hono,
  listen: string,
  tokens: ApiTokens,
  timeouts: ServerTimeouts = DEFAULT_TIMEOUTS,
): Promise<RunningServer> {
  const { host, port } = splitListen(listen);
  if (!isLoopback(host) && (!tokens.ingest || !tokens.admin)) {
    throw new Error(
      `refusing to listen on ${listen} without TOCSIN_INGEST_TOKEN and TOCSIN_ADMIN_TOKEN: anyone on the network could post mentions; set both tokens or listen on 127.0.0.1`,
    );
  }
  return new Promise((resolve, reject) => {
    const serverOptions = {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // node:http checks the first two on this interval (30s by default): check often enough to
      // hold a slow client to its timeout (give or take a quarter), not to timeout + 30s.
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(timeouts.headersMs / 4)),
    };
    const server = serve({ fetch: app.fetch, hostname: host, port, serverOptions }, (info: AddressInfo) => {
      const shown = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shown}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once("error", reject);
  });
}
