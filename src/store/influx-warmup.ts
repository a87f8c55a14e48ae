// Detector baselines from InfluxDB: on start, the windows of tocsin_series newer than what the memory
// store already holds (its snapshot), over the retention span ending at the newest window InfluxDB
// has, are replayed into the memory store in time order, so a fresh instance can alert at once.
// The span ends at InfluxDB's newest window rather than the clock: a replay's clock reads 0 at start.
import type { ClosedWindow, Labels, WindowRow } from "../model/index.js";
import { keyId, METRICS } from "../model/index.js";
import type { InfluxSettings } from "./influx-config.js";
import { SERIES_MEASUREMENT } from "./influx-points.js";
import type { QuerySeries } from "./influx-query.js";
import { influxQuery, quoteIdentifier } from "./influx-query.js";
import type { MemoryStore } from "./memory.js";

const WARMUP_TIMEOUT_MS = 60_000;

export interface WarmupResult {
  windows: number;
  keys: number;
  /** Rows whose time is not a window start of this width (written with another window width). */
  misaligned: number;
}

export async function warmUp(
  settings: InfluxSettings,
  memory: MemoryStore,
  retentionMs: number,
): Promise<WarmupResult> {
  const windowMs = memory.windowMs;
  const measurement = quoteIdentifier(SERIES_MEASUREMENT);
  let newest: number | undefined;
  await influxQuery(settings, `SELECT last("mentions") FROM ${measurement}`, (series) => {
    const time = series.values[0]?.[0];
    if (typeof time === "number") newest = Math.max(newest ?? time, time);
  });
  if (newest === undefined) return { windows: 0, keys: 0, misaligned: 0 };
  const restored = memory.lastWindowStart();
  const from = Math.max(
    newest - retentionMs + windowMs,
    restored === undefined ? -Infinity : restored + windowMs,
  );
  if (from > newest) return { windows: 0, keys: 0, misaligned: 0 };

  const windows = new Map<number, WindowRow[]>();
  const keys = new Map<string, Labels>();
  let misaligned = 0;
  const collect = (series: QuerySeries) => {
    const key = labelsOf(series.tags, keys);
    const columns = METRICS.map((metric) => series.columns.indexOf(metric));
    for (const row of series.values) {
      const time = row[0];
      if (typeof time !== "number") continue;
      if (time % windowMs !== 0) {
        misaligned += 1;
        continue;
      }
      const values = new Float64Array(METRICS.length);
      columns.forEach((column, metric) => {
        const value = column < 0 ? undefined : row[column];
        values[metric] = typeof value === "number" ? value : 0;
      });
      let rows = windows.get(time);
      if (!rows) windows.set(time, (rows = []));
      rows.push({ key, values });
    }
  };
  await influxQuery(
    settings,
    `SELECT * FROM ${measurement} WHERE time >= ${from}ms AND time <= ${newest}ms GROUP BY *`,
    collect,
    // The first query showed the server answers; reading days of windows may take longer than a write.
    { timeoutMs: Math.max(settings.timeout, WARMUP_TIMEOUT_MS) },
  );
  const starts = [...windows.keys()].sort((a, b) => a - b);
  for (const start of starts) {
    const window: ClosedWindow = { start, end: start + windowMs, rows: windows.get(start) ?? [] };
    memory.writeWindow(window);
  }
  return { windows: starts.length, keys: keys.size, misaligned };
}

/** The series labels of a tag set; GROUP BY * gives every tag key of the measurement, "" when unset. */
function labelsOf(tags: Record<string, string> | undefined, keys: Map<string, Labels>): Labels {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(tags ?? {})) if (value !== "") labels[name] = value;
  const id = keyId(labels);
  let key = keys.get(id);
  if (!key) keys.set(id, (key = labels));
  return key;
}
