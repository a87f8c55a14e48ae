// What goes over the wire besides the points: credentials in headers (never the URL or an error),
// a path prefix kept, Retry-After honoured on both write APIs. A local HTTP server stands in for
// InfluxDB: influxd 1.6 with authentication on needs an admin user created through its own API
// before the test, which the shared server helper does not do.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InfluxWriteFailure } from "../src/store/influx.js";
import { InfluxStore } from "../src/store/influx.js";
import { MemoryStore } from "../src/store/memory.js";
import type { FakeHttpReceiver, RecordedRequest } from "./helpers/fake-http-receiver.js";
import { jsonAnswer, startFakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import { influxSettings, metricValues, seriesWindow, T0, W, waitFor } from "./helpers/influx-fixtures.js";

const answer = (request: RecordedRequest) =>
  request.path.includes("/query") ? jsonAnswer(200, { results: [{ statement_id: 0 }] }) : { status: 204 };

let receiver: FakeHttpReceiver;
let dir: string;
const stores: InfluxStore[] = [];
beforeEach(async () => {
  receiver = await startFakeHttpReceiver(answer);
  dir = await mkdtemp(join(tmpdir(), "tocsin-influx-auth-"));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await receiver.stop();
  await rm(dir, { recursive: true, force: true });
});

async function openStore(fields: Record<string, unknown>, failures: InfluxWriteFailure[] = []) {
  const store = new InfluxStore({
    memory: new MemoryStore({ windowMs: W }),
    settings: influxSettings({ url: receiver.url, ...fields }),
    spillDir: dir,
    retentionMs: 86_400_000,
    onWriteFailed: (failure) => failures.push(failure),
    random: () => 0,
  });
  stores.push(store);
  const line = await store.open();
  store.writeWindow(seriesWindow(T0, [[{ brand: "kryptonite", channel: "all" }, metricValues(1)]]));
  return { store, line };
}

const writes = () => receiver.requests.filter((request) => /\/write/.test(request.path));

describe("InfluxDB store on the wire", () => {
  it("v1: sends user and password as basic auth on writes and queries, never in the URL", async () => {
    await openStore({ username: "tocsin", password: "pa55word", database: "db one" });
    await waitFor(() => (writes().length === 1 ? true : undefined));
    const expected = `Basic ${Buffer.from("tocsin:pa55word").toString("base64")}`;
    for (const request of receiver.requests) {
      expect(request.headers.authorization).toBe(expected);
      expect(request.path).not.toContain("pa55word");
    }
    expect(receiver.requests.map((request) => request.path.split("?")[0])).toEqual([
      "/query",
      "/query",
      "/write",
    ]);
    expect(writes()[0]?.path).toBe("/write?db=db+one&precision=ms");
    expect(receiver.requests[0]?.method).toBe("POST");
    expect(new URL(receiver.requests[0]!.path, receiver.url).searchParams.get("q")).toBe(
      'CREATE DATABASE "db one"',
    );
  });

  it("v2: writes through the WriteApi to /api/v2/write with the token, and reads InfluxQL with it", async () => {
    await openStore({ api: "v2", org: "acme", bucket: "tocsin/autogen", token: "s3cret" });
    await waitFor(() => (writes().length === 1 ? true : undefined));
    expect(writes()[0]?.path).toBe("/api/v2/write?org=acme&bucket=tocsin%2Fautogen&precision=ms");
    expect(writes()[0]?.body).toMatch(
      /^tocsin_series,brand=kryptonite,channel=all brand_replies=1,.* 1772445600000$/,
    );
    for (const request of receiver.requests) expect(request.headers.authorization).toBe("Token s3cret");
  });

  it("keeps a path prefix of the URL (InfluxDB behind a proxy mount)", async () => {
    const store = new InfluxStore({
      memory: new MemoryStore({ windowMs: W }),
      settings: influxSettings({ url: `${receiver.url}/influx/`, warmup: false, create_database: false }),
      spillDir: dir,
      retentionMs: 86_400_000,
    });
    stores.push(store);
    await store.open();
    store.writeWindow(seriesWindow(T0, [[{ brand: "k" }, metricValues(1)]]));
    await waitFor(() => (writes().length === 1 ? true : undefined));
    expect(writes()[0]?.path).toBe("/influx/write?db=tocsin&precision=ms");
  });

  for (const api of ["v1", "v2"] as const) {
    it(`${api}: waits as long as a 429's Retry-After asks, and keeps secrets out of the failure`, async () => {
      const failures: InfluxWriteFailure[] = [];
      const fields =
        api === "v1"
          ? { username: "tocsin", password: "pa55word", warmup: false, create_database: false }
          : { api, org: "acme", bucket: "b", token: "s3cret", warmup: false };
      receiver.failNext("rate_limited");
      await openStore(fields, failures);
      await waitFor(() => (failures.length === 1 ? true : undefined));
      expect(failures[0]).toMatchObject({ action: "retry", status: 429, retryInMs: 7_000, points: 1 });
      expect(failures[0]?.message).not.toMatch(/pa55word|s3cret/);
    });
  }
});
