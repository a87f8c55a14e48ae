import { describe, expect, it } from "vitest";
import { createApp } from "../src/api/app.js";
import type { ChannelFold } from "../src/aggregate/cardinality.js";
import { ChannelLimiter, OTHER_CHANNEL } from "../src/aggregate/cardinality.js";
import { Windower } from "../src/aggregate/windower.js";
import { parseConfig } from "../src/config/load.js";
import type { ClosedWindow } from "../src/model/index.js";
import { metricIndex } from "../src/model/index.js";
import { Metrics } from "../src/telemetry/metrics.js";
import { testEngine } from "./helpers/engine.js";
import { MIN, mention, T0, wire } from "./helpers/mentions.js";

const W = 5 * MIN;

/** A windower wired the way the engine wires it: the metric per fold, a log line per report. */
function limited(maxPerBrand: number) {
  const metrics = new Metrics({ defaultMetrics: false });
  const folds: ChannelFold[] = [];
  const logged: string[] = [];
  const channels = new ChannelLimiter({
    maxPerBrand,
    onFold: (fold) => {
      folds.push(fold);
      metrics.seriesFolded(fold.brand);
      if (fold.report) logged.push(fold.report);
    },
  });
  const windower = new Windower({ windowMs: W, latenessMs: 0, maxCatchUpWindows: 10, channels });
  return { windower, metrics, folds, logged };
}

const mentionsOf = (window: ClosedWindow, brand: string, channel: string) =>
  window.rows.find((row) => row.key.brand === brand && row.key.channel === channel)?.values[
    metricIndex("mentions")
  ];

const channelsOf = (window: ClosedWindow, brand: string) =>
  window.rows.filter((row) => row.key.brand === brand).map((row) => row.key.channel);

describe("series cardinality per brand", () => {
  it("channels beyond max_channels_per_brand are counted under `other`; the brand's `all` counts everything", () => {
    const { windower } = limited(3);
    for (const channel of ["a", "b", "c", "d", "e", "d"]) windower.add(mention({ at: T0, channel }), false);
    windower.add(mention({ at: T0, brand: "velora", channel: "d" }), false);
    const [window] = windower.advance(T0 + W);
    expect(channelsOf(window!, "kryptonite").sort()).toEqual(["a", "all", "b", "c", OTHER_CHANNEL]);
    expect(mentionsOf(window!, "kryptonite", OTHER_CHANNEL)).toBe(3);
    expect(mentionsOf(window!, "kryptonite", "all")).toBe(6);
    // The limit is per brand: velora's first channel is its own.
    expect(mentionsOf(window!, "velora", "d")).toBe(1);
  });

  it("series keys stay bounded however many channels a feed invents", () => {
    const { windower } = limited(50);
    for (let i = 0; i < 10_000; i++) windower.add(mention({ at: T0, channel: `ch-${i}` }), false);
    expect(windower.knownKeys).toBe(50 + 2);
  });

  it("counts every folded mention in tocsin_series_folded_total{brand}, but logs each new channel once", async () => {
    const { windower, metrics, logged } = limited(1);
    windower.add(mention({ at: T0, channel: "twitter" }), false);
    for (let i = 0; i < 50; i++) windower.add(mention({ at: T0, channel: i % 2 ? "x-1" : "x-2" }), false);
    expect(await metrics.registry.metrics()).toMatch(
      /^tocsin_series_folded_total\{brand="kryptonite"\} 50$/m,
    );
    expect(logged).toEqual([
      'channel "x-2" is counted under "other": brand "kryptonite" already has 1 channels (ingest.max_channels_per_brand)',
      'channel "x-1" is counted under "other": brand "kryptonite" already has 1 channels (ingest.max_channels_per_brand)',
    ]);
  });

  it("after ten folded channels, logs one summary line per doubling, not one per channel", () => {
    const { windower, folds, logged } = limited(1);
    for (let i = 0; i <= 100; i++) windower.add(mention({ at: T0, channel: `ch-${i}` }), false);
    expect(folds).toHaveLength(100);
    expect(logged).toHaveLength(10 + 3); // 1..10, then 16, 32 and 64
    expect(logged[10]).toBe(
      '16 channels are counted under "other" (latest "ch-16"): brand "kryptonite" already has 1 channels (ingest.max_channels_per_brand)',
    );
  });

  it("a restart keeps the restored channels while there is room; the rest fold from then on", () => {
    const { windower, folds } = limited(2);
    const keys = ["a", "b", "c", "all"].map((channel) => ({ brand: "kryptonite", channel }));
    windower.resumeAfter(T0 - W, keys);
    expect(folds).toEqual([]); // a restored key is not a folded mention
    expect(windower.seriesChannel("kryptonite", "c")).toBe(OTHER_CHANNEL);
    windower.add(mention({ at: T0, channel: "c" }), false);
    const [window] = windower.advance(T0 + W);
    expect(channelsOf(window!, "kryptonite").sort()).toEqual(["a", "all", "b", OTHER_CHANNEL]);
  });

  it("seriesChannel tells where a mention would go without taking a place", () => {
    const { windower } = limited(1);
    expect(windower.seriesChannel("kryptonite", "a")).toBe("a");
    expect(windower.seriesChannel("kryptonite", "b")).toBe("b");
    windower.add(mention({ at: T0, channel: "b" }), false);
    expect(windower.seriesChannel("kryptonite", "a")).toBe(OTHER_CHANNEL);
    expect(windower.seriesChannel("kryptonite", OTHER_CHANNEL)).toBe(OTHER_CHANNEL);
  });

  it("a channel sent as `other` takes no place of its own", () => {
    const { windower, folds } = limited(1);
    windower.add(mention({ at: T0, channel: OTHER_CHANNEL }), false);
    windower.add(mention({ at: T0, channel: "a" }), false);
    expect(folds).toEqual([]);
    expect(windower.seriesChannel("kryptonite", "b")).toBe(OTHER_CHANNEL);
  });

  it("without a limiter the windower keeps every channel (backtests, unit tests)", () => {
    const windower = new Windower({ windowMs: W, latenessMs: 0, maxCatchUpWindows: 10 });
    for (let i = 0; i < 100; i++) windower.add(mention({ at: T0, channel: `ch-${i}` }), false);
    expect(windower.knownKeys).toBe(101);
  });

  it("ingest.max_channels_per_brand defaults to 50 and must be a positive whole number", () => {
    expect(parseConfig("", "t.yaml", {}).ingest.max_channels_per_brand).toBe(50);
    expect(
      parseConfig("ingest: { max_channels_per_brand: 7 }", "t.yaml", {}).ingest.max_channels_per_brand,
    ).toBe(7);
    expect(() => parseConfig("ingest: { max_channels_per_brand: 0 }", "t.yaml", {})).toThrow(
      /max_channels_per_brand/,
    );
  });
});

describe("series cardinality through the engine and the HTTP API", () => {
  it("folds a brand's third and later channels into `other`, counts them in `all`, and says so on /metrics", async () => {
    const { engine, clock } = await testEngine("lateness: 0s\ningest: { max_channels_per_brand: 2 }");
    const app = createApp(engine);
    const body = ["a", "b", "c", "d", "d"]
      .map((channel, i) => JSON.stringify(wire({ id: `fold-${i}`, at: T0 + i * 1000, channel })))
      .join("\n");
    const response = await app.request("/v1/mentions", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body,
    });
    expect(response.status).toBe(202);
    clock.advanceTo(T0 + W + 1000);
    engine.tick();
    const series = (await (
      await app.request(`/v1/series?metric=mentions&from=${T0 - W}&to=${T0 + 2 * W}`)
    ).json()) as { series: Array<{ labels: Record<string, string>; points: Array<{ value: number }> }> };
    const totals = Object.fromEntries(
      series.series.map((s) => [s.labels.channel, s.points.reduce((sum, p) => sum + p.value, 0)]),
    );
    expect(totals).toEqual({ a: 1, b: 1, other: 3, all: 5 });
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toMatch(/^tocsin_series_folded_total\{brand="kryptonite"\} 3$/m);
  });
});
