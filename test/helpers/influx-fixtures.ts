// Shared by the InfluxDB store tests: settings as tocsin.yaml would give them, hand-made windows,
// readings and alerts, and InfluxQL / VictoriaMetrics reads to check what arrived.
import type { Alert, ClosedWindow, Labels } from "../../src/model/index.js";
import { METRICS } from "../../src/model/index.js";
import type { InfluxSettings } from "../../src/store/influx-config.js";
import { influxSettingsSchema } from "../../src/store/influx-config.js";

export const W = 300_000;
export const T0 = Date.parse("2026-03-02T10:00:00Z");

/** Settings through the config schema (defaults filled), with test-sized timings. */
export function influxSettings(fields: Record<string, unknown>): InfluxSettings {
  return influxSettingsSchema.parse({
    flush_interval: "50ms",
    retry_delay: "50ms",
    retry_max_delay: "200ms",
    timeout: "2s",
    close_timeout: "2s",
    ...fields,
  });
}

/** The 10 metric values of one row, in METRICS order, derived from one number so each row differs. */
export function metricValues(seed: number): number[] {
  return [seed * 10, seed * 4, 0.4, seed * 1_500, seed * 3, seed % 5, seed * 2, 0.75, seed * 600, seed * 5];
}

export function seriesWindow(start: number, rows: Array<[Labels, number[]]>): ClosedWindow {
  return {
    start,
    end: start + W,
    rows: rows.map(([key, values]) => ({ key, values: Float64Array.from(values) })),
  };
}

export const valuesOf = (row: Record<string, unknown>): number[] =>
  METRICS.map((metric) => row[metric] as number);

export function testAlert(overrides: Partial<Alert> = {}): Alert {
  const measure = { time: T0, value: 412, expected: 46.2, factor: 8.92, score: 30, pValue: 1.2e-30 };
  return {
    id: "3f2a9c0d1e2b4a5c-tb9o0c",
    fingerprint: "3f2a9c0d1e2b4a5c",
    rule: "kryptonite/NegativeBuzzSpike",
    name: "NegativeBuzzSpike",
    labels: { brand: "kryptonite", channel: "all", team: "comms" },
    state: "firing",
    severity: "critical",
    activeAt: T0 + W,
    firedAt: T0 + W,
    last: measure,
    peak: measure,
    annotations: { summary: 'kryptonite: 412 negative mentions, "8.9x" the usual \\o/' },
    flapping: false,
    history: [{ at: T0 + W, event: "firing", severity: "critical", value: 412 }],
    ...overrides,
  };
}

export interface Series {
  name: string;
  tags: Record<string, string>;
  rows: Array<Record<string, unknown>>;
}

/** Runs InfluxQL (epoch ms) and returns each series with its rows as objects keyed by column. */
export async function influxql(url: string, database: string, statement: string): Promise<Series[]> {
  const query = new URLSearchParams({ db: database, epoch: "ms", q: statement });
  const response = await fetch(`${url}/query?${query}`, { method: "POST" });
  const body = (await response.json()) as {
    results: Array<{
      error?: string;
      series?: Array<{ name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }>;
    }>;
  };
  const result = body.results[0];
  if (!result || result.error) throw new Error(`InfluxQL ${statement}: ${result?.error ?? "no result"}`);
  return (result.series ?? []).map((series) => ({
    name: series.name,
    tags: series.tags ?? {},
    rows: series.values.map((values) =>
      Object.fromEntries(series.columns.map((column, i) => [column, values[i]])),
    ),
  }));
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting${last ? `: ${String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
