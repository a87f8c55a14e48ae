import { request } from "node:http";
import { describe, expect, it } from "vitest";
import type { ApiTokens } from "../src/api/app.js";
import { createApp } from "../src/api/app.js";
import { startServer } from "../src/api/server.js";
import { ManualClock } from "../src/util/clock.js";
import { testEngine } from "./helpers/engine.js";
import { wire } from "./helpers/mentions.js";

const LIMITS = `api:
  rate_limit: { mentions_per_second: 5, mentions_burst: 10, admin_requests_per_second: 1, admin_burst: 3 }
`;

async function limitedApp(tokens: ApiTokens = {}) {
  const { engine } = await testEngine(LIMITS);
  const clock = new ManualClock(0);
  return { app: createApp(engine, tokens, { clock }), clock };
}

const batch = (count: number) => Array.from({ length: count }, () => JSON.stringify(wire())).join("\n");

const post = (app: ReturnType<typeof createApp>, count: number, headers: Record<string, string> = {}) =>
  app.request("/v1/mentions", {
    method: "POST",
    body: batch(count),
    headers: { "content-type": "application/x-ndjson", ...headers },
  });

describe("rate limits", () => {
  it("mentions per second: a burst is taken, then 429 with Retry-After until the bucket refills", async () => {
    const { app, clock } = await limitedApp();
    expect((await post(app, 8)).status).toBe(202);
    // 2 left: a batch may overdraw the bucket once (8 → -6), so a client never waits forever...
    expect((await post(app, 8)).status).toBe(202);
    // ...but then waits until it is out of debt: (1 - -6) / 5 per second = 1.4s → 2s.
    const refused = await post(app, 1);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(await refused.json()).toEqual({
      error: "rate limit of 5 mentions per second (burst 10) exceeded; retry in 2s",
    });
    clock.set(2_000);
    expect((await post(app, 1)).status).toBe(202);
  });

  it("a refused batch is not ingested", async () => {
    const { app } = await limitedApp();
    await post(app, 11);
    expect((await post(app, 3)).status).toBe(429);
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toMatch(/^tocsin_mentions_ingested_total 11$/m);
  });

  it("each bearer token has its own bucket", async () => {
    const { app } = await limitedApp({ ingest: "ingest-token", admin: "admin-token" });
    const ingest = { authorization: "Bearer ingest-token" };
    const admin = { authorization: "Bearer admin-token" };
    expect((await post(app, 10, ingest)).status).toBe(202);
    expect((await post(app, 1, ingest)).status).toBe(429);
    expect((await post(app, 1, admin)).status).toBe(202);
  });

  it("without tokens, clients are told apart by IP address, not by a made-up bearer token", async () => {
    const { engine } = await testEngine(LIMITS);
    const server = await startServer(createApp(engine, {}, { clock: new ManualClock(0) }), "127.0.0.1:0", {});
    try {
      const from = (localAddress: string, count: number, token = "") =>
        send(server.url, localAddress, batch(count), token);
      expect(await from("127.0.0.1", 10)).toBe(202);
      expect(await from("127.0.0.1", 1, "made-up")).toBe(429);
      expect(await from("127.0.0.2", 1)).toBe(202);
    } finally {
      await server.close();
    }
  });

  it("other /v1/ calls have a lower, per-request limit, apart from the mentions'", async () => {
    const { app, clock } = await limitedApp();
    for (let i = 0; i < 3; i++) expect((await app.request("/v1/series")).status).toBe(200);
    const refused = await app.request("/v1/alerts");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await post(app, 1)).status).toBe(202);
    clock.set(1_000);
    expect((await app.request("/v1/alerts")).status).toBe(200);
  });

  it("health, readiness and metrics are never limited", async () => {
    const { app } = await limitedApp();
    for (let i = 0; i < 20; i++) expect((await app.request("/healthz")).status).toBe(200);
  });
});

function send(url: string, localAddress: string, body: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/x-ndjson" };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = request(`${url}/v1/mentions`, { method: "POST", localAddress, headers, agent: false });
    req.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}
