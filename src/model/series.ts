// Series identity and the metrics each window produces (design.md §2).

/**
 * The metrics computed for every series key and window, in storage column order: new ones go at the
 * end (snapshots map columns by name, but appending keeps old readers of the order working).
 *
 * The first seven count the window itself. The last three look back from the window end over the
 * responsiveness period (config `responsiveness`, aggregate/response-tracker.ts), in event time:
 * - response_rate: share of the negative mentions of the period that are at least `overdue_after`
 *   old (due) and have a brand reply by the window end; 1 when none is due (nothing left unanswered).
 * - first_response_seconds: median seconds from negative mention to first brand reply, over the
 *   replies of the period; 0 when there was none.
 * - unanswered_overdue: negative mentions of the period at least `overdue_after` old with no reply
 *   yet, the count the rate's unanswered part is made of.
 */
export const METRICS = [
  "mentions",
  "negative",
  "negative_share",
  "negative_reach",
  "negative_authors",
  "brand_replies",
  "unanswered_negative",
  "response_rate",
  "first_response_seconds",
  "unanswered_overdue",
] as const;

export type Metric = (typeof METRICS)[number];

/** The channel label of the per-brand total series. */
export const ALL_CHANNELS = "all";

/** Label names and values of one series. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Label set of one series key; every metric exists for every key. Aggregated mentions give
 * {brand, channel}; imported series (backtests of CSV files) give {series}.
 */
export type SeriesKey = Labels;

/** One value of one metric for one key and one window. */
export interface Point {
  /** Window start, epoch ms. */
  time: number;
  value: number;
}

/** The metric values of one key for one closed window, indexed like METRICS. */
export interface WindowRow {
  key: SeriesKey;
  /** Read only: idle keys share one row of zeros (stores copy what they keep). */
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

// Label sets are shared, never mutated objects (the windower hands out the same key every window),
// so their ids are remembered rather than rebuilt on every window of every rule.
const ids = new WeakMap<Labels, string>();

/** Stable string id of a label set, independent of key order. Labels cannot contain NUL. */
export function keyId(labels: Labels): string {
  let id = ids.get(labels);
  if (id === undefined) {
    id = "";
    for (const name of Object.keys(labels).sort()) id += `${name}\u0001${labels[name]}\u0000`;
    ids.set(labels, id);
  }
  return id;
}

/** Whether every label in `match` has the same value in `labels`. */
export function matchesLabels(labels: Labels, match: Labels): boolean {
  for (const name in match) if (labels[name] !== match[name]) return false;
  return true;
}
