// The one interface every series store implements: the memory store (embedded default) and InfluxDB
// (the memory store in front, for detection, with every window, reading and alert event written
// through to InfluxDB for dashboards, and detector baselines warmed from it on start).
import type { Alert, ClosedWindow, Labels, Metric, PageEvent, Point, SeriesKey } from "../model/index.js";

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

/** Takes a stored point: the start of its window and the value. */
export type PointVisitor = (time: number, value: number) => void;

export interface SeriesStore {
  /** Width of the windows this store holds, ms. */
  readonly windowMs: number;
  /** Loads what survived the last run (snapshot, warm-up); resolves to a line for the log. */
  open(): Promise<string>;
  /** Stores every row of a closed window; a window already stored is overwritten, not added to. */
  writeWindow(window: ClosedWindow): void;
  /** Points of one metric, oldest first, empty windows as zeros. */
  query(query: SeriesQuery): SeriesResult[];
  /** Points of one metric of exactly this label set, oldest first. */
  points(metric: Metric, labels: Labels, from: number, to: number): Point[];
  /**
   * The same points handed to `visit` one by one, without a Point each: detector warm-up reads days
   * of history for every (rule, series) at once after a restart.
   */
  forEachPoint(metric: Metric, labels: Labels, from: number, to: number, visit: PointVisitor): void;
  /** Start of the newest stored window, or undefined when empty. */
  lastWindowStart(): number | undefined;
  keys(): SeriesKey[];
  /** Persists what must survive a restart. */
  close(): Promise<void>;
  /**
   * Saves state now (periodic snapshots); stores without local state need not. `beforeWrite` runs
   * once the snapshot's content is taken, before it is written: state that must never be older than
   * the snapshot on disk (the alert book, as of the same window) is saved there.
   */
  snapshot?(beforeWrite?: () => Promise<void>): Promise<void>;
  /** One rule's reading of one series for a window: the dashboards' expected band and scores. */
  recordScore?(score: ScoreRecord): void;
  /** An alert event, for the dashboards' annotations and alert table. */
  recordAlert?(record: AlertRecord): void;
  /** What is waiting to reach an external store (metrics). */
  backlog?(): StoreBacklog;
}

export interface ScoreRecord {
  /** Window start, epoch ms. */
  time: number;
  /** The rule's id (group/alert) and name. */
  rule: string;
  alertname: string;
  /** The series labels the rule judged (not the rule's own labels). */
  labels: Labels;
  value: number;
  expected: number;
  factor: number;
  score: number;
  pValue?: number;
  /** Whether the window breached the rule (before `for` and hysteresis). */
  breach: boolean;
}

export interface AlertRecord {
  /** When it happened, epoch ms: the evaluation time, or the acknowledgement's. */
  time: number;
  event: PageEvent;
  /** The alert as it was at that event. */
  alert: Alert;
}

export interface StoreBacklog {
  /** Points held in memory, waiting to be written. */
  buffered: number;
  /** Points spilled to disk, waiting to be written. */
  spilled: number;
}
