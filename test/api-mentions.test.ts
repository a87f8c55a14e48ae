import { describe, expect, it } from "vitest";
import { createApp } from "../src/api/app.js";
import { startServer } from "../src/api/server.js";
import { testEngine } from "./helpers/engine.js";
import { MIN, T0, wire } from "./helpers/mentions.js";

interface Answer {
  accepted: number;
  duplicates: number;
  late: number;
  rejected: Array<{ line: number; error: string }>;
  error?: string;
}
interface SeriesAnswer {
  series: Array<{
    labels: { brand: string; channel: string };
    points: Array<{ time: string; value: number }>;
  }>;
}
const answer = async (response: Response) => (await response.json()) as Answer;
const seriesOf = async (response: Response) => (await response.json()) as SeriesAnswer;

const ndjson = (items: unknown[]) =>
  items.map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join("\n");

const post = (
  app: ReturnType<typeof createApp>,
  body: string,
  type = "application/x-ndjson",
  headers: Record<string, string> = {},
) => app.request("/v1/mentions", { method: "POST", body, headers: { "content-type": type, ...headers } });

describe("POST /v1/mentions", () => {
  it("202: rejects bad lines by number, keeps the good ones, and they reach the series", async () => {
    const { engine, clock } = await testEngine("lateness: 0s");
    const app = createApp(engine);
    const body = ndjson([
      wire({ at: T0, sentiment: "negative" }),
      "{broken",
      wire({ at: T0 + MIN, sentiment: -0.9 }),
      { ...wire({ at: T0 }), created_at: "yesterday" },
      wire({ at: T0 + 2 * MIN, sentiment: "positive" }),
    ]);
    const response = await post(app, body);
    expect(response.status).toBe(202);
    const result = await answer(response);
    expect(result.accepted).toBe(3);
    expect(result.rejected.map((r) => r.line)).toEqual([2, 4]);
    expect(result.rejected[0]?.error).toMatch(/invalid JSON/);
    expect(result.rejected[1]?.error).toMatch(/created_at must be an ISO 8601/);

    clock.set(T0 + 5 * MIN);
    engine.tick();
    const series = await seriesOf(
      await app.request(`/v1/series?metric=negative&brand=kryptonite&channel=all&from=${T0}`),
    );
    expect(series.series[0]?.points).toEqual([{ time: new Date(T0).toISOString(), value: 2 }]);
    const mentions = await seriesOf(
      await app.request(`/v1/series?metric=mentions&brand=kryptonite&channel=twitter&from=${T0}`),
    );
    expect(mentions.series[0]?.points[0]?.value).toBe(3);
  });

  it("202: accepts one JSON object and a JSON array", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine);
    expect((await post(app, JSON.stringify(wire()), "application/json")).status).toBe(202);
    const response = await post(
      app,
      JSON.stringify([wire(), { nope: 1 }, wire()]),
      "application/json; charset=utf-8",
    );
    expect(response.status).toBe(202);
    const result = await answer(response);
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => r.line)).toEqual([2]);
  });

  it("202 with duplicates counted when a client retries a batch it already sent", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine);
    const body = ndjson([wire({ id: "same-1" }), wire({ id: "same-2" })]);
    await post(app, body);
    const response = await post(app, body);
    expect(response.status).toBe(202);
    expect(await answer(response)).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it("400 when nothing in the batch could be accepted, with every reason", async () => {
    const { engine } = await testEngine();
    const response = await post(createApp(engine), ndjson(["{", { id: "x" }]));
    expect(response.status).toBe(400);
    const result = await answer(response);
    expect(result.accepted).toBe(0);
    expect(result.rejected.map((r) => r.line)).toEqual([1, 2]);
    expect(result.rejected[1]?.error).toContain("brand is required");
  });

  it("400 on an empty body", async () => {
    const { engine } = await testEngine();
    expect((await post(createApp(engine), "\n\n")).status).toBe(400);
  });

  it("400 for a mention dated beyond the allowed clock skew, naming the skew", async () => {
    const { engine } = await testEngine("ingest:\n  max_future: 10m\n");
    const response = await post(createApp(engine), ndjson([wire({ at: T0 + 60 * MIN })]));
    expect(response.status).toBe(400);
    expect((await answer(response)).rejected[0]?.error).toMatch(/is 1h in the future/);
  });

  it("413 over the configured body limit", async () => {
    const { engine } = await testEngine("ingest:\n  body_limit: 1KiB\n");
    const body = ndjson(Array.from({ length: 20 }, () => wire({ text: "x".repeat(100) })));
    const response = await post(createApp(engine), body);
    expect(response.status).toBe(413);
    expect((await answer(response)).error).toContain("1024 bytes");
  });

  it("415 on another content type", async () => {
    const { engine } = await testEngine();
    const response = await post(createApp(engine), JSON.stringify(wire()), "text/csv");
    expect(response.status).toBe(415);
    expect((await answer(response)).error).toContain("application/x-ndjson");
  });

  it("401 when TOCSIN_INGEST_TOKEN is set and the bearer token is missing or wrong; 202 with the ingest or the admin token", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine, { ingest: "s3cret-ingest", admin: "s3cret-admin" });
    const body = JSON.stringify(wire());
    expect((await post(app, body, "application/json")).status).toBe(401);
    expect((await post(app, body, "application/json", { authorization: "Bearer s3cret-other" })).status).toBe(
      401,
    );
    expect(
      (await post(app, body, "application/json", { authorization: "Bearer s3cret-ingest" })).status,
    ).toBe(202);
    // The admin token opens every call, ingest included (the batch again: a duplicate, still 202).
    expect((await post(app, body, "application/json", { authorization: "Bearer s3cret-admin" })).status).toBe(
      202,
    );
    // Reading series is an admin call: the ingest token does not open it.
    expect(
      (await app.request("/v1/series", { headers: { authorization: "Bearer s3cret-ingest" } })).status,
    ).toBe(401);
    expect(
      (await app.request("/v1/series", { headers: { authorization: "Bearer s3cret-admin" } })).status,
    ).toBe(200);
  });
});

describe("health and readiness", () => {
  it("/healthz answers at once; /readyz only once the engine has restored its state", async () => {
    const { engine } = await testEngine("", { start: false });
    const app = createApp(engine);
    expect((await app.request("/healthz")).status).toBe(200);
    expect((await app.request("/readyz")).status).toBe(503);
    await engine.start();
    expect((await app.request("/readyz")).status).toBe(200);
    await engine.stop();
    expect((await app.request("/readyz")).status).toBe(503);
  });

  it("/metrics counts ingested, rejected and duplicate mentions", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine);
    await post(app, ndjson([wire({ id: "a" }), wire({ id: "a" }), "{"]));
    const text = await (await app.request("/metrics")).text();
    expect(text).toMatch(/tocsin_mentions_ingested_total 1/);
    expect(text).toMatch(/tocsin_mentions_duplicate_total 1/);
    expect(text).toMatch(/tocsin_mentions_rejected_total\{reason="invalid_json"\} 1/);
  });
});

describe("server", () => {
  it("refuses a non-loopback address without both tokens", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine);
    await expect(startServer(app, "0.0.0.0:0", {})).rejects.toThrow(/refusing to listen on 0\.0\.0\.0:0/);
    await expect(startServer(app, "0.0.0.0:0", { ingest: "x" })).rejects.toThrow(/TOCSIN_ADMIN_TOKEN/);
  });

  it("serves the API over a real socket on loopback", async () => {
    const { engine } = await testEngine();
    const server = await startServer(createApp(engine), "127.0.0.1:0", {});
    try {
      const response = await fetch(`${server.url}/v1/mentions`, {
        method: "POST",
        headers: { "content-type": "application/x-ndjson" },
        body: ndjson([wire(), wire()]),
      });
      expect(response.status).toBe(202);
      expect((await answer(response)).accepted).toBe(2);
    } finally {
      await server.close();
    }
  });
});
