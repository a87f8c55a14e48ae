// Series identity and the metrics each window produces (design.md §2).

/** The metrics computed for every series key and window, in storage column order. */
export const METRICS = [
  "mentions",
  "negative",
  "negative_share",
  "negative_reach",
  "negative_authors",
  "brand_replies",
  "unanswered_negative",
] as const;

export type Metric = (typeof METRICS)[number];

/** The channel label of the per-brand total series. */
export const ALL_CHANNELS = "all";

/** Label set of one aggregated series key; every metric exists for every key. */
export interface SeriesKey {
  brand: string;
  channel: string;
}

/** One value of one metric for one key and one window. */
export interface Point {
  /** Window start, epoch ms. */
  time: number;
  value: number;
}

/** The metric values of one key for one closed window, indexed like METRICS. */
export interface WindowRow {
  key: SeriesKey;
  values: Float64Array;
}

/** Everything a window close produces: one row per known key, zeros for keys with no mentions. */
export interface ClosedWindow {
  /** Window start, epoch ms (inclusive). */
  start: number;
  /** Window end, epoch ms (exclusive). */
  end: number;
  rows: WindowRow[];
}

export const metricIndex = (metric: Metric): number => METRICS.indexOf(metric);

export const isMetric = (name: string): name is Metric => (METRICS as readonly string[]).includes(name);

/** Stable string id of a key, used for maps and snapshots. NUL cannot appear in either label. */
export const keyId = (key: SeriesKey): string => `${key.brand}\u0000${key.channel}`;
