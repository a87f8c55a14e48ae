import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/api/app.js";
import { serverTimeouts, startServer } from "../src/api/server.js";
import { testEngine } from "./helpers/engine.js";
import { wire } from "./helpers/mentions.js";

const TIMEOUTS = "api: { headers_timeout: 1s, request_timeout: 2s, keep_alive_timeout: 1s }\n";

interface Ending {
  /** Milliseconds from connecting until the server closed the connection. */
  after: number;
  /** What the server sent, if anything (node:http answers 408 to a request cut off). */
  received: string;
}

/** Opens a raw connection, writes `start`, then one more byte of `drip` every 200 ms until closed. */
function slowClient(url: string, start: string, drip: string): Promise<Ending> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const began = Date.now();
    let received = "";
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(start));
    let at = 0;
    const timer = setInterval(() => {
      if (drip && !socket.destroyed) socket.write(drip[at++ % drip.length] as string);
    }, 200);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ after: Date.now() - began, received });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`still connected after 10s; received ${JSON.stringify(received)}`));
    }, 10_000);
  });
}

describe("server timeouts against slow clients", () => {
  it("headers sent a byte at a time (slowloris) are cut off at api.headers_timeout", async () => {
    const { engine } = await testEngine(TIMEOUTS);
    const server = await startServer(createApp(engine), "127.0.0.1:0", {}, serverTimeouts(engine.config.api));
    try {
      const ending = await slowClient(
        server.url,
        "POST /v1/mentions HTTP/1.1\r\nHost: x\r\n",
        "X-Slow: aaaa\r\n",
      );
      expect(ending.received).toMatch(/^HTTP\/1\.1 408/);
      // The timeout, plus the interval node:http checks it on, plus slack for a busy machine.
      expect(ending.after).toBeGreaterThanOrEqual(900);
      expect(ending.after).toBeLessThan(4_000);
    } finally {
      await server.close();
    }
  });

  it("a body that never finishes is cut off at api.request_timeout", async () => {
    const { engine } = await testEngine(TIMEOUTS);
    const server = await startServer(createApp(engine), "127.0.0.1:0", {}, serverTimeouts(engine.config.api));
    try {
      const head =
        "POST /v1/mentions HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n";
      const ending = await slowClient(server.url, head + JSON.stringify(wire()), " ");
      expect(ending.after).toBeGreaterThanOrEqual(1_900);
      expect(ending.after).toBeLessThan(4_500);
    } finally {
      await server.close();
    }
  });

  it("an idle keep-alive connection is closed after api.keep_alive_timeout; a prompt client is served", async () => {
    const { engine } = await testEngine(TIMEOUTS);
    const server = await startServer(createApp(engine), "127.0.0.1:0", {}, serverTimeouts(engine.config.api));
    try {
      const ending = await slowClient(server.url, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "");
      expect(ending.received).toMatch(/^HTTP\/1\.1 200/);
      expect(ending.after).toBeGreaterThanOrEqual(900);
      expect(ending.after).toBeLessThan(4_000);
    } finally {
      await server.close();
    }
  });

  it("the timeouts default to 10s, 60s and 5s; headers_timeout may not exceed request_timeout", async () => {
    const { engine } = await testEngine();
    expect(serverTimeouts(engine.config.api)).toEqual({
      headersMs: 10_000,
      requestMs: 60_000,
      keepAliveMs: 5_000,
    });
    await expect(testEngine("api: { headers_timeout: 2m }\n")).rejects.toThrow(
      /headers_timeout must not be longer/,
    );
    await expect(testEngine("api: { request_timeout: 0s }\n")).rejects.toThrow(/expected a timeout/);
  });
});
