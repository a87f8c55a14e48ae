// The metrics read at scrape time (alerts by state, the InfluxDB write backlog) and the counters fed
// by named calls, as their exposition text shows them.
import { describe, expect, it } from "vitest";
import { Metrics } from "../src/telemetry/metrics.js";
import { testEngine } from "./helpers/engine.js";
import { MIN, T0, wire } from "./helpers/mentions.js";
import { freePort } from "./helpers/servers.js";
import { waitUntil } from "./helpers/tocsin-process.js";

const sample = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("metrics", () => {
  it("counts alerts by state and reads the store's write backlog at each scrape", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const alerts: { state: "pending" | "firing" | "resolved" }[] = [
      { state: "firing" },
      { state: "pending" },
    ];
    let backlog: { buffered: number; spilled: number } | undefined = undefined; // the memory store has none
    metrics.watchAlerts(() => alerts);
    metrics.watchWriteBacklog(() => backlog);

    let text = await metrics.registry.metrics();
    expect(sample(text, 'tocsin_alerts{state="pending"}')).toBe(1);
    expect(sample(text, 'tocsin_alerts{state="firing"}')).toBe(1);
    expect(sample(text, 'tocsin_alerts{state="resolved"}')).toBe(0);
    expect(sample(text, "tocsin_alerts_firing")).toBe(1);
    expect(sample(text, "tocsin_influx_buffered_points")).toBe(0);

    alerts.push({ state: "firing" }, { state: "resolved" }, { state: "resolved" });
    alerts.splice(1, 1);
    backlog = { buffered: 1_200, spilled: 35_000 };
    text = await metrics.registry.metrics();
    expect(sample(text, 'tocsin_alerts{state="pending"}')).toBe(0);
    expect(sample(text, 'tocsin_alerts{state="firing"}')).toBe(2);
    expect(sample(text, 'tocsin_alerts{state="resolved"}')).toBe(2);
    expect(sample(text, "tocsin_alerts_firing")).toBe(2);
    expect(sample(text, "tocsin_influx_buffered_points")).toBe(1_200);
    expect(sample(text, "tocsin_influx_spilled_points")).toBe(35_000);
  });

  it("counts InfluxDB write failures by what became of the points, every action present from the start", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.influxWriteFailed("retry");
    metrics.influxWriteFailed("retry");
    metrics.influxWriteFailed("drop");
    const text = await metrics.registry.metrics();
    expect(sample(text, 'tocsin_influx_write_failures_total{action="retry"}')).toBe(2);
    expect(sample(text, 'tocsin_influx_write_failures_total{action="drop"}')).toBe(1);
    expect(sample(text, 'tocsin_influx_write_failures_total{action="split"}')).toBe(0);
    expect(sample(text, 'tocsin_influx_write_failures_total{action="spill"}')).toBe(0);
  });

  it("times each window's rule evaluation into the histogram", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    for (let i = 0; i < 3; i++) metrics.ruleEvaluationStarted()();
    const text = await metrics.registry.metrics();
    expect(sample(text, "tocsin_rule_evaluation_duration_seconds_count")).toBe(3);
    expect(sample(text, 'tocsin_rule_evaluation_duration_seconds_bucket{le="+Inf"}')).toBe(3);
    expect(sample(text, 'tocsin_rule_evaluation_duration_seconds_bucket{le="5"}')).toBe(3);
  });

  it("shows an engine on an unreachable InfluxDB as write failures and a growing backlog, detection going on", async () => {
    const port = await freePort(); // nothing listens there
    const { engine, clock } = await testEngine(
      `storage: { type: influx, snapshot: false, influx: { url: "http://127.0.0.1:${port}", flush_interval: 10ms, retry_delay: 10ms, close_timeout: 100ms, create_database: false, warmup: false } }`,
    );
    try {
      engine.ingest({ values: [{ line: 1, value: wire({ at: T0 }) }], errors: [] });
      clock.set(T0 + 30 * MIN);
      engine.tick();
      await waitUntil("a failed write", async () => {
        const text = await engine.metrics.registry.metrics();
        return (sample(text, 'tocsin_influx_write_failures_total{action="retry"}') ?? 0) > 0;
      });
      const text = await engine.metrics.registry.metrics();
      expect(sample(text, "tocsin_influx_buffered_points")).toBeGreaterThan(0);
      expect(
        engine.series({ metric: "mentions", from: T0, to: T0 + 30 * MIN })[0]?.points.length,
      ).toBeGreaterThan(0);
    } finally {
      await engine.stop();
    }
  });
});
