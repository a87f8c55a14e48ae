// Backtests replay history through the engine — the same windows, rules, detectors and alert
// lifecycle as `tocsin run` — and collect what would have fired. Mentions (NDJSON) go through
// ingest and aggregation; series CSVs enter as closed windows, one row per window.
import { createReadStream } from "node:fs";
import type { Config } from "../config/schema.js";
import { Engine } from "../engine.js";
import type { RuleSet } from "../rules/load.js";
import { replay } from "../ingest/replay.js";
import type { Alert, AlertEvent, Metric } from "../model/index.js";
import { METRICS, metricIndex } from "../model/index.js";
import { ManualClock, ReplayClock } from "../util/clock.js";
import { Metrics } from "../telemetry/metrics.js";
import type { CsvRow, CsvSeries } from "./csv-series.js";

export interface BacktestRange {
  from?: number;
  to?: number;
}

/** One alert episode as a backtest reports it. */
export interface BacktestAlert {
  rule: string;
  labels: Record<string, string>;
  severity: Alert["severity"];
  /** Window start of the window in which it started firing. */
  firedAt: number;
  resolvedAt?: number;
  value: number;
  expected: number;
  factor: number;
  pValue?: number;
  peak: number;
  summary?: string;
}

export interface SeriesBacktest {
  series: CsvSeries;
  alerts: BacktestAlert[];
  /** Row indexes at which an alert started firing (NAB's detections). */
  firingRows: Set<number>;
}

/** A config for backtests: rules from `rules`, nothing written to disk, no console output. */
export function backtestConfig(config: Config, rules: readonly string[]): Config {
  return {
    ...config,
    storage: { ...config.storage, snapshot: false },
    rules: { paths: [...rules], watch: false },
    alerts: { ...config.alerts, log: "", console: false },
  };
}

function collect(engine: Engine): { alerts: Map<string, BacktestAlert>; firing: AlertEvent[] } {
  const alerts = new Map<string, BacktestAlert>();
  const firing: AlertEvent[] = [];
  engine.onAlertEvent((event) => {
    if (event.type === "pending") return;
    const alert = event.alert;
    if (event.type === "firing") {
      firing.push(event);
      alerts.set(alert.id, {
        rule: alert.rule,
        labels: { ...alert.labels },
        severity: alert.severity,
        firedAt: alert.last.time,
        value: alert.last.value,
        expected: alert.last.expected,
        factor: alert.last.factor,
        ...(alert.last.pValue === undefined ? {} : { pValue: alert.last.pValue }),
        peak: alert.peak.value,
        ...(alert.annotations.summary ? { summary: alert.annotations.summary } : {}),
      });
      return;
    }
    const known = alerts.get(alert.id);
    if (!known) return;
    known.severity = alert.severity;
    known.peak = alert.peak.value;
    if (event.type === "resolved" && alert.resolvedAt !== undefined) known.resolvedAt = alert.resolvedAt;
  });
  return { alerts, firing };
}

/** Replays one series CSV, each row a closed window labelled {series: file stem}. */
export async function backtestSeries(
  config: Config,
  series: CsvSeries,
  metric: Metric,
  range: BacktestRange = {},
  /** The rules, compiled once for every file of a backtest; read from config.rules when absent. */
  rules?: RuleSet,
): Promise<SeriesBacktest> {
  // Nobody scrapes a backtest's metrics: the per-window ones, one per point here, are skipped.
  const metrics = new Metrics({ defaultMetrics: false, scraped: false });
  // Event time, as live: each window is closed at its end plus the lateness. (The wall clock gave
  // history the pages' and feed checks' "now" of today, and cost a clock read per use per point.)
  const clock = new ManualClock();
  const engine = new Engine({
    config,
    clock,
    metrics,
    notifiers: [],
    paging: false,
    ...(rules ? { rules } : {}),
  });
  await engine.start();
  const { alerts, firing } = collect(engine);
  const column = metricIndex(metric);
  const stem = (series.name.split("/").pop() ?? series.name).replace(/\.csv$/i, "");
  const key = { series: stem };
  const step = config.window;
  const from = range.from ?? -Infinity;
  const to = range.to ?? Infinity;
  // Row index by window number (start / step): small integers hash faster than epoch-ms starts.
  const rowOfWindow = new Map<number, number>();
  // One row's values for every window: each stage reads a window's rows while it is emitted (the store
  // copies them), and a typed array allocated per point was a tenth of a backtest.
  const values = new Float64Array(METRICS.length);
  const { rows } = series;
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index] as CsvRow;
    if (row.time < from || row.time >= to) continue;
    const window = Math.floor(row.time / step);
    if (rowOfWindow.has(window)) {
      throw new Error(
        `${series.path}: two rows fall in the window of ${row.timestamp}; set window: to the series step`,
      );
    }
    rowOfWindow.set(window, index);
    const start = window * step;
    values[column] = row.value;
    clock.advanceTo(start + step + config.lateness);
    engine.emit([{ start, end: start + step, rows: [{ key, values }] }]);
  }
  await engine.stop();
  const firingRows = new Set<number>();
  for (const event of firing) {
    // Alerts fire at window starts, whole multiples of the step.
    const row = rowOfWindow.get(event.alert.last.time / step);
    if (row !== undefined) firingRows.add(row);
  }
  return { series, alerts: [...alerts.values()], firingRows };
}

/** Replays mentions (NDJSON) through ingest, aggregation and the rules, as fast as possible. */
export async function backtestMentions(
  config: Config,
  path: string,
  range: BacktestRange = {},
): Promise<{ alerts: BacktestAlert[]; accepted: number; rejected: number }> {
  const clock = new ReplayClock(0);
  const engine = new Engine({ config, clock, notifiers: [], paging: false });
  await engine.start();
  const { alerts } = collect(engine);
  let accepted = 0;
  let rejected = 0;
  await replay(
    createReadStream(path),
    (batch) => {
      const values = batch.values.filter(({ value }) => inRange(value, range));
      const result = engine.ingest({ values, errors: batch.errors });
      accepted += result.accepted;
      rejected += result.rejected.length;
    },
    { clock, maxLineBytes: config.ingest.max_line_bytes },
  );
  engine.flush();
  await engine.stop();
  return { alerts: [...alerts.values()], accepted, rejected };
}

function inRange(value: unknown, range: BacktestRange): boolean {
  if (range.from === undefined && range.to === undefined) return true;
  const createdAt = (value as { created_at?: unknown } | null)?.created_at;
  const time = typeof createdAt === "string" ? Date.parse(createdAt) : Number.NaN;
  if (Number.isNaN(time)) return true; // let validation report it
  return (range.from === undefined || time >= range.from) && (range.to === undefined || time < range.to);
}
