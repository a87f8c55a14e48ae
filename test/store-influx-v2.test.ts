// The InfluxDB store's v2 write path (the client's WriteApi, POST /api/v2/write with org, bucket and
// token) against a real VictoriaMetrics, which speaks that protocol. Read back through its export API:
// field f of measurement m becomes metric m_f (VictoriaMetrics 1.79 keeps string fields as 0). VictoriaMetrics has no
// InfluxQL, so warm-up is off here (it is tested against influxd).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METRICS } from "../src/model/index.js";
import type { InfluxWriteFailure } from "../src/store/influx.js";
import { InfluxStore } from "../src/store/influx.js";
import { MemoryStore } from "../src/store/memory.js";
import {
  influxSettings,
  metricValues,
  seriesWindow,
  T0,
  testAlert,
  W,
  waitFor,
} from "./helpers/influx-fixtures.js";
import { hasBinary, type RealServer, startVictoriaMetrics } from "./helpers/servers.js";

interface Exported {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

let server: RealServer;
let dir: string;

beforeAll(async () => {
  if (!hasBinary("victoria-metrics")) return;
  server = await startVictoriaMetrics();
  dir = await mkdtemp(join(tmpdir(), "tocsin-influx-v2-"));
});
afterAll(async () => {
  await server?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function v2Store(name: string, onWriteFailed?: (failure: InfluxWriteFailure) => void) {
  return new InfluxStore({
    memory: new MemoryStore({ windowMs: W }),
    settings: influxSettings({
      url: server.url,
      api: "v2",
      org: "tocsin",
      bucket: name,
      token: "t0ken",
      warmup: false,
    }),
    spillDir: join(dir, name),
    retentionMs: 86_400_000,
    ...(onWriteFailed ? { onWriteFailed } : {}),
  });
}

async function exported(match: string): Promise<Exported[]> {
  // Without this, new series took ~10 s to become searchable here; force_flush makes them visible now.
  await fetch(`${server.url}/internal/force_flush`);
  const response = await fetch(`${server.url}/api/v1/export?${new URLSearchParams({ "match[]": match })}`);
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Exported)
    .sort((a, b) => a.metric.__name__!.localeCompare(b.metric.__name__!));
}

/** Waits until `count` series match. */
const exportedWhen = (match: string, count: number) =>
  waitFor(async () => {
    const series = await exported(match);
    return series.length >= count ? series : undefined;
  }, 15_000);

describe.skipIf(!hasBinary("victoria-metrics"))("InfluxDB store, v2 write API, on VictoriaMetrics", () => {
  it("writes windows through /api/v2/write: every metric, label tags and window-start times arrive", async () => {
    const store = v2Store("series");
    expect(await store.open()).toContain("warm-up is off");
    const hostile = { brand: "a,b=c d", channel: "all" };
    for (let i = 0; i < 3; i++) store.writeWindow(seriesWindow(T0 + i * W, [[hostile, metricValues(i + 1)]]));
    await waitFor(() => (store.writeStats().written === 3 ? true : undefined));
    expect(store.writeStats().failedWrites).toBe(0);

    const series = await exportedWhen('{__name__=~"tocsin_series_.*"}', METRICS.length);
    expect(series.map((s) => s.metric)).toEqual(
      [...METRICS].sort().map((metric) => ({ __name__: `tocsin_series_${metric}`, ...hostile })),
    );
    for (const s of series) {
      const column = METRICS.indexOf(
        s.metric.__name__!.slice("tocsin_series_".length) as (typeof METRICS)[number],
      );
      expect(s.timestamps).toEqual([T0, T0 + W, T0 + 2 * W]);
      expect(s.values).toEqual([1, 2, 3].map((seed) => metricValues(seed)[column]));
    }
    await store.close();
  });

  it("writes readings and alert events through the same path (their numeric fields)", async () => {
    const store = v2Store("events");
    await store.open();
    store.recordScore({
      time: T0,
      rule: "kryptonite/NegativeBuzzSpike",
      alertname: "NegativeBuzzSpike",
      labels: { brand: "kryptonite", channel: "all" },
      value: 412,
      expected: 46.2,
      factor: 8.92,
      score: 30,
      breach: true,
    });
    store.recordAlert({ time: T0 + W, event: "firing", alert: testAlert() });
    await waitFor(() => (store.writeStats().written === 2 ? true : undefined));

    const [breach] = await exportedWhen("tocsin_scores_breach", 1);
    expect(breach).toEqual({
      metric: {
        __name__: "tocsin_scores_breach",
        brand: "kryptonite",
        channel: "all",
        rule: "kryptonite/NegativeBuzzSpike",
        alertname: "NegativeBuzzSpike",
      },
      values: [1],
      timestamps: [T0],
    });
    // VictoriaMetrics keeps the string fields (title, text, alert_id) as 0: only the numbers matter here.
    const alerts = await exportedWhen('{__name__=~"tocsin_alerts_(value|expected|factor)"}', 3);
    expect(
      alerts.map((s) => [s.metric.__name__, s.metric.event, s.metric.severity, s.values, s.timestamps]),
    ).toEqual([
      ["tocsin_alerts_expected", "firing", "critical", [46.2], [T0 + W]],
      ["tocsin_alerts_factor", "firing", "critical", [8.92], [T0 + W]],
      ["tocsin_alerts_value", "firing", "critical", [412], [T0 + W]],
    ]);
    await store.close();
  });

  it("reports a failed WriteApi batch as a retry and delivers it once the server is back", async () => {
    const failures: InfluxWriteFailure[] = [];
    const store = v2Store("outage", (failure) => failures.push(failure));
    await store.open();
    await server.stop();
    store.writeWindow(seriesWindow(T0, [[{ brand: "kryptonite", channel: "all" }, metricValues(7)]]));
    await waitFor(() => (failures.length > 0 ? true : undefined));
    expect(failures[0]).toMatchObject({ action: "retry", points: 1 });
    expect(failures[0]?.status).toBeUndefined();
    expect(store.backlog().buffered).toBe(1);
    await server.restart();
    await waitFor(() => (store.writeStats().written === 1 ? true : undefined));
    const [mentions] = await exportedWhen('tocsin_series_mentions{brand="kryptonite"}', 1);
    expect(mentions?.values).toEqual([70]);
    await store.close();
  });
});
