// The InfluxDB store against a real InfluxDB 1.x (influxd from Debian's package): the v1 write path,
// InfluxQL reads and the warm-up of detector baselines.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRuleTexts } from "../src/rules/load.js";
import type { HistoryReader } from "../src/rules/evaluator.js";
import { RuleEvaluator } from "../src/rules/evaluator.js";
import type { InfluxStoreOptions } from "../src/store/influx.js";
import { InfluxStore } from "../src/store/influx.js";
import { MemoryStore } from "../src/store/memory.js";
import {
  influxql,
  influxSettings,
  metricValues,
  seriesWindow,
  T0,
  testAlert,
  valuesOf,
  W,
  waitFor,
} from "./helpers/influx-fixtures.js";
import { freePort, hasBinary, type RealServer, startInfluxd } from "./helpers/servers.js";

const RETENTION = 86_400_000;
const KRYPTONITE = { brand: "kryptonite", channel: "all" };
const HOSTILE = { brand: "a,b=c d", channel: "for um" };

let server: RealServer;
let dir: string;
const stores: InfluxStore[] = [];

beforeAll(async () => {
  if (!hasBinary("influxd")) return;
  server = await startInfluxd();
  dir = await mkdtemp(join(tmpdir(), "tocsin-influx-v1-"));
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await server?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function influxStore(
  database: string,
  fields: Record<string, unknown> = {},
  extra: Partial<InfluxStoreOptions> = {},
) {
  const store = new InfluxStore({
    memory: new MemoryStore({ windowMs: W, retentionMs: RETENTION }),
    settings: influxSettings({ url: server.url, database, ...fields }),
    spillDir: join(dir, `${database}-${stores.length}`),
    retentionMs: RETENTION,
    ...extra,
  });
  stores.push(store);
  return store;
}

/** Twelve windows of two keys: kryptonite's negatives hover around 4, the hostile key's around 1. */
function writeBaseline(store: InfluxStore, count = 12): void {
  for (let i = 0; i < count; i++) {
    store.writeWindow(
      seriesWindow(T0 + i * W, [
        [KRYPTONITE, metricValues(1 + (i % 3))],
        [HOSTILE, metricValues(i % 2)],
      ]),
    );
  }
}

const delivered = (store: InfluxStore, points: number) =>
  waitFor(() => (store.writeStats().written >= points && store.backlog().buffered === 0 ? true : undefined));

describe.skipIf(!hasBinary("influxd"))("InfluxDB store on InfluxDB 1.x", () => {
  it("writes every window as tocsin_series points with exact values, label tags and window-start times", async () => {
    const store = influxStore("series");
    expect(await store.open()).toContain("warmed 0 windows of 0 series keys");
    writeBaseline(store, 3);
    await delivered(store, 6);

    const series = await influxql(server.url, "series", "SELECT * FROM tocsin_series GROUP BY *");
    expect(series.map(({ tags }) => tags)).toEqual([HOSTILE, KRYPTONITE]);
    const [hostile, kryptonite] = series;
    expect(kryptonite?.rows.map((row) => row.time)).toEqual([T0, T0 + W, T0 + 2 * W]);
    expect(kryptonite?.rows.map(valuesOf)).toEqual([metricValues(1), metricValues(2), metricValues(3)]);
    expect(hostile?.rows.map(valuesOf)).toEqual([metricValues(0), metricValues(1), metricValues(0)]);
  });

  it("writes rule readings to tocsin_scores and alert events to tocsin_alerts", async () => {
    const store = influxStore("events");
    await store.open();
    store.recordScore({
      time: T0,
      rule: "kryptonite/NegativeBuzzSpike",
      alertname: "NegativeBuzzSpike",
      labels: KRYPTONITE,
      value: 412,
      expected: 46.2,
      factor: 8.92,
      score: 30,
      pValue: 1.2e-30,
      breach: true,
    });
    const alert = testAlert({ labels: { ...HOSTILE, team: "comms" } });
    store.recordAlert({ time: T0 + W, event: "firing", alert });
    const acknowledged = { ...alert, acknowledged: { by: "jeanne", at: T0 + 2 * W } };
    store.recordAlert({ time: T0 + 2 * W, event: "acknowledged", alert: acknowledged });
    await delivered(store, 3);

    const [scores] = await influxql(server.url, "events", "SELECT * FROM tocsin_scores GROUP BY *");
    expect(scores?.tags).toEqual({
      ...KRYPTONITE,
      rule: "kryptonite/NegativeBuzzSpike",
      alertname: "NegativeBuzzSpike",
    });
    expect(scores?.rows).toEqual([
      { time: T0, value: 412, expected: 46.2, factor: 8.92, score: 30, p_value: 1.2e-30, breach: 1 },
    ]);

    const alerts = await influxql(server.url, "events", "SELECT * FROM tocsin_alerts GROUP BY *");
    const common = {
      ...HOSTILE,
      rule: "kryptonite/NegativeBuzzSpike",
      alertname: "NegativeBuzzSpike",
      severity: "critical",
    };
    expect(alerts.map(({ tags }) => tags)).toEqual([
      { ...common, event: "acknowledged" },
      { ...common, event: "firing" },
    ]);
    const summary = 'kryptonite: 412 negative mentions, "8.9x" the usual \\o/';
    const fields = {
      title: "[CRITICAL] NegativeBuzzSpike brand=a,b=c d channel=for um",
      alert_id: alert.id,
      value: 412,
      expected: 46.2,
      factor: 8.92,
    };
    expect(alerts[0]?.rows).toEqual([
      { time: T0 + 2 * W, ...fields, text: `${summary} — acknowledged by jeanne` },
    ]);
    expect(alerts[1]?.rows).toEqual([{ time: T0 + W, ...fields, text: summary }]);
  });

  it("writes into the configured retention policy", async () => {
    await influxql(server.url, "rp", "CREATE DATABASE rp");
    await influxql(server.url, "rp", "CREATE RETENTION POLICY short ON rp DURATION 30d REPLICATION 1");
    const store = influxStore("rp", { retention_policy: "short", warmup: false });
    await store.open();
    store.writeWindow(seriesWindow(Date.now() - (Date.now() % W), [[KRYPTONITE, metricValues(1)]]));
    await delivered(store, 1);
    const [inShort] = await influxql(server.url, "rp", 'SELECT count(mentions) FROM "short".tocsin_series');
    expect(inShort?.rows[0]?.count).toBe(1);
    expect(await influxql(server.url, "rp", 'SELECT count(mentions) FROM "autogen".tocsin_series')).toEqual(
      [],
    );
  });

  it("warms a fresh instance from InfluxDB: its memory answers points() for every key at once", async () => {
    const first = influxStore("warm");
    await first.open();
    writeBaseline(first);
    await delivered(first, 24);

    const fresh = influxStore("warm");
    expect(await fresh.open()).toContain("warmed 12 windows of 2 series keys");
    expect(fresh.lastWindowStart()).toBe(T0 + 11 * W);
    expect(
      fresh
        .keys()
        .map((key) => key.brand)
        .sort(),
    ).toEqual(["a,b=c d", "kryptonite"]);
    expect(fresh.points("negative", KRYPTONITE, T0, T0 + 12 * W)).toEqual(
      Array.from({ length: 12 }, (_, i) => ({ time: T0 + i * W, value: metricValues(1 + (i % 3))[1] })),
    );
    expect(fresh.points("negative_reach", HOSTILE, T0, T0 + 2 * W)).toEqual([
      { time: T0, value: 0 },
      { time: T0 + W, value: 1_500 },
    ]);
  });

  it("gives a new detector its history from the warmed store, so the first window after start can breach", async () => {
    const first = influxStore("detect");
    await first.open();
    writeBaseline(first);
    await delivered(first, 24);
    const { rules, issues } = parseRuleTexts(
      [
        {
          file: "rules.yaml",
          text: `groups:
  - name: kryptonite
    match: { brand: kryptonite }
    rules:
      - alert: NegativeBuzzSpike
        metric: negative
        by: [brand]
        detector: { type: robust_z, window: 1h, z: 3, min_count: 5 }
        severity: critical
`,
        },
      ],
      W,
    );
    expect(issues).toEqual([]);
    const spike = seriesWindow(T0 + 12 * W, [[KRYPTONITE, [200, 60, 0.3, 90_000, 50, 0, 60]]]);
    const judge = (history: HistoryReader) => {
      const evaluator = new RuleEvaluator({ windowMs: W, warmupMs: RETENTION, history });
      evaluator.setRules(rules);
      return evaluator.evaluate(spike)[0];
    };

    const cold = new MemoryStore({ windowMs: W, retentionMs: RETENTION });
    expect(
      judge((metric, labels, from, to, visit) => cold.forEachPoint(metric, labels, from, to, visit)),
    ).toMatchObject({
      breach: false,
      estimate: { ready: false },
    });
    const warmed = influxStore("detect");
    await warmed.open();
    expect(
      judge((metric, labels, from, to, visit) => warmed.forEachPoint(metric, labels, from, to, visit)),
    ).toMatchObject({
      breach: true,
      estimate: { ready: true },
    });
  });

  it("warms only windows newer than the snapshot the memory store restored", async () => {
    const first = influxStore("snap");
    await first.open();
    writeBaseline(first);
    await delivered(first, 24);
    const snapshotPath = join(dir, "snap.snapshot");
    const older = new MemoryStore({ windowMs: W, retentionMs: RETENTION, snapshotPath });
    for (let i = 0; i < 5; i++) older.writeWindow(seriesWindow(T0 + i * W, [[KRYPTONITE, metricValues(9)]]));
    await older.close();

    const store = influxStore(
      "snap",
      {},
      { memory: new MemoryStore({ windowMs: W, retentionMs: RETENTION, snapshotPath }) },
    );
    expect(await store.open()).toContain("warmed 7 windows of 2 series keys");
    const negatives = store.points("negative", KRYPTONITE, T0, T0 + 12 * W).map((point) => point.value);
    // The snapshot's five windows (36 each) stay; InfluxDB fills in the seven after them.
    expect(negatives).toEqual([36, 36, 36, 36, 36, 12, 4, 8, 12, 4, 8, 12]);
  });

  it("starts from memory when InfluxDB is unreachable, says so, and keeps the windows for later", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const store = new InfluxStore({
      memory: new MemoryStore({ windowMs: W, retentionMs: RETENTION }),
      settings: influxSettings({ url, database: "down" }),
      spillDir: join(dir, "down"),
      retentionMs: RETENTION,
    });
    stores.push(store);
    expect(await store.open()).toMatch(/is not answering \(.*ECONNREFUSED.*\): starting from memory/);
    store.writeWindow(seriesWindow(T0, [[KRYPTONITE, metricValues(1)]]));
    expect(store.points("negative", KRYPTONITE, T0, T0 + W)).toEqual([{ time: T0, value: 4 }]);
    await waitFor(() => (store.writeStats().failedWrites > 0 ? true : undefined));
    expect(store.backlog()).toEqual({ buffered: 1, spilled: 0 });
  });
});
