// The embedded series store: one bounded WindowRing per key, snapshotted to disk on close and
// restored on open so detector baselines survive a restart.
import type { ClosedWindow, Labels, Metric, Point, SeriesKey } from "../model/index.js";
import { keyId, matchesLabels, METRICS, metricIndex } from "../model/index.js";
import type { Clock } from "../util/clock.js";
import { systemClock } from "../util/clock.js";
import type { PointVisitor, SeriesQuery, SeriesResult, SeriesStore } from "./series-store.js";
import { readSnapshotFile, writeSnapshotFile } from "./snapshot.js";
import { WindowRing } from "./window-ring.js";

export interface MemoryStoreOptions {
  windowMs: number;
  /** How far back each series is kept, ms (default 8 days). */
  retentionMs?: number;
  /** Where the snapshot lives; no snapshot when absent. */
  snapshotPath?: string;
  /** Stamps snapshots; the wall clock by default. */
  clock?: Clock;
}

interface Entry {
  key: SeriesKey;
  ring: WindowRing;
}

export const DEFAULT_RETENTION_MS = 8 * 86_400_000;

export class MemoryStore implements SeriesStore {
  readonly windowMs: number;
  private readonly maxRows: number;
  private readonly entries = new Map<string, Entry>();
  /**
   * Entries by the label object a writer handed in: the windower passes the same key every window,
   * and finding its ring by object saves the id look-up for each of thousands of rows per close.
   */
  private readonly byKey = new WeakMap<SeriesKey, Entry>();
  private newest: number | undefined;

  constructor(private readonly options: MemoryStoreOptions) {
    this.windowMs = options.windowMs;
    this.maxRows = Math.max(1, Math.ceil((options.retentionMs ?? DEFAULT_RETENTION_MS) / options.windowMs));
  }

  async open(): Promise<string> {
    const path = this.options.snapshotPath;
    if (!path) return "memory store: no snapshot configured";
    const snapshot = await readSnapshotFile(path);
    if (!snapshot) return `memory store: no snapshot at ${path} yet`;
    if (snapshot.windowMs !== this.windowMs || snapshot.metrics.length === 0) {
      return `memory store: snapshot ${path} ignored (window ${snapshot.windowMs} ms differs from the config)`;
    }
    // Columns by name: a snapshot from a version with fewer metrics restores them, the new ones as 0.
    const columns = METRICS.map((metric) => snapshot.metrics.indexOf(metric));
    const width = snapshot.metrics.length;
    const values = new Float64Array(METRICS.length);
    for (const { key, first, rows } of snapshot.keys) {
      const ring = this.entry(key).ring;
      const count = rows.length / width;
      for (let row = Math.max(0, count - this.maxRows); row < count; row++) {
        for (let metric = 0; metric < columns.length; metric++) {
          const column = columns[metric] as number;
          values[metric] = column < 0 ? 0 : (rows[row * width + column] as number);
        }
        ring.write(first + row, values);
      }
      this.noteWindow(ring.last);
    }
    const missing = METRICS.filter((_, metric) => columns[metric]! < 0);
    const note = missing.length === 0 ? "" : ` (${missing.join(", ")} not in it: 0 until new windows)`;
    return `memory store: restored ${snapshot.keys.length} series keys from ${path}${note}`;
  }

  writeWindow(window: ClosedWindow): void {
    const index = Math.floor(window.start / this.windowMs);
    for (const { key, values } of window.rows)
      (this.byKey.get(key) ?? this.entry(key)).ring.write(index, values);
    this.noteWindow(index);
  }

  query(query: SeriesQuery): SeriesResult[] {
    const column = metricIndex(query.metric);
    const results: SeriesResult[] = [];
    for (const { key, ring } of this.entries.values()) {
      if (query.match && !matchesLabels(key, query.match)) continue;
      results.push({ key, points: this.pointsOf(ring, column, query.from, query.to) });
    }
    return results;
  }

  /** Windows starting in [from, to). */
  private pointsOf(ring: WindowRing, column: number, from: number, to: number): Point[] {
    const points: Point[] = [];
    this.visitRing(ring, column, from, to, (time, value) => points.push({ time, value }));
    return points;
  }

  private visitRing(ring: WindowRing, column: number, from: number, to: number, visit: PointVisitor): void {
    const end = Math.min(Math.ceil(to / this.windowMs), ring.last + 1);
    for (let index = Math.max(Math.ceil(from / this.windowMs), ring.first); index < end; index++) {
      visit(index * this.windowMs, ring.get(index, column) as number);
    }
  }

  points(metric: Metric, labels: Labels, from: number, to: number): Point[] {
    const entry = this.entries.get(keyId(labels));
    return entry ? this.pointsOf(entry.ring, metricIndex(metric), from, to) : [];
  }

  forEachPoint(metric: Metric, labels: Labels, from: number, to: number, visit: PointVisitor): void {
    const entry = this.entries.get(keyId(labels));
    if (entry) this.visitRing(entry.ring, metricIndex(metric), from, to, visit);
  }

  lastWindowStart(): number | undefined {
    return this.newest === undefined ? undefined : this.newest * this.windowMs;
  }

  keys(): SeriesKey[] {
    return [...this.entries.values()].map((entry) => entry.key);
  }

  /** Writes the snapshot now (also called on a timer by the engine). */
  async snapshot(beforeWrite?: () => Promise<void>): Promise<void> {
    const path = this.options.snapshotPath;
    if (!path) return;
    const keys = [...this.entries.values()]
      .filter(({ ring }) => ring.count > 0)
      .map(({ key, ring }) => ({ key, first: ring.first, rows: ring.rows() }));
    await beforeWrite?.();
    await writeSnapshotFile(path, {
      windowMs: this.windowMs,
      metrics: METRICS,
      savedAt: (this.options.clock ?? systemClock).now(),
      keys,
    });
  }

  async close(): Promise<void> {
    await this.snapshot();
  }

  private entry(key: SeriesKey): Entry {
    const id = keyId(key);
    let entry = this.entries.get(id);
    if (!entry) {
      entry = {
        key: { ...key },
        ring: new WindowRing(METRICS.length, this.maxRows),
      };
      this.entries.set(id, entry);
    }
    this.byKey.set(key, entry);
    return entry;
  }

  private noteWindow(index: number): void {
    if (this.newest === undefined || index > this.newest) this.newest = index;
  }
}
