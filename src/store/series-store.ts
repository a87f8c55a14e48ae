// The one interface every series store implements: the memory store (embedded default) and, later, Influx.
import type { ClosedWindow, Labels, Metric, Point, SeriesKey } from "../model/index.js";

export interface SeriesQuery {
  metric: Metric;
  /** Exact label matches; a label not named here matches every value. */
  match?: Labels;
  /** Window starts in [from, to), epoch ms. */
  from: number;
  to: number;
}

export interface SeriesResult {
  key: SeriesKey;
  points: Point[];
}

export interface SeriesStore {
  /** Width of the windows this store holds, ms. */
  readonly windowMs: number;
  /** Loads what survived the last run (snapshot, warm-up); resolves to a line for the log. */
  open(): Promise<string>;
  /** Stores every row of a closed window; a window already stored is overwritten, not added to. */
  writeWindow(window: ClosedWindow): void;
  /** Points of one metric, oldest first, empty windows as zeros. */
  query(query: SeriesQuery): SeriesResult[];
  /** Points of one metric of exactly this label set, oldest first (detector warm-up). */
  points(metric: Metric, labels: Labels, from: number, to: number): Point[];
  /** Start of the newest stored window, or undefined when empty. */
  lastWindowStart(): number | undefined;
  keys(): SeriesKey[];
  /** Persists what must survive a restart. */
  close(): Promise<void>;
}
