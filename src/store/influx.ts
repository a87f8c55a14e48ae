// The InfluxDB store: the memory store stays in front (detection and the API read from it,
// synchronously), and every closed window, rule reading and alert event is also written through to
// InfluxDB for the dashboards, by a writer that never makes detection wait and loses nothing in an
// outage. On open, detector baselines are warmed from InfluxDB.
import type { ClosedWindow, Labels, Metric, Point, SeriesKey } from "../model/index.js";
import type { InfluxSettings } from "./influx-config.js";
import type { LineTransport } from "./influx-http.js";
import { describeError } from "./influx-http.js";
import { alertLine, scoreLine, seriesLines } from "./influx-points.js";
import { InfluxQueryError, influxQuery, quoteIdentifier } from "./influx-query.js";
import { SpillFile } from "./influx-spill.js";
import { warmUp } from "./influx-warmup.js";
import { createWriteApiTransport } from "./influx-write-api.js";
import { createV1Transport } from "./influx-write-v1.js";
import type { InfluxWriteFailure, InfluxWriteStats } from "./influx-writer.js";
import { InfluxWriter } from "./influx-writer.js";
import type { MemoryStore } from "./memory.js";
import type {
  AlertRecord,
  PointVisitor,
  ScoreRecord,
  SeriesQuery,
  SeriesResult,
  SeriesStore,
  StoreBacklog,
} from "./series-store.js";

export type { InfluxWriteFailure, InfluxWriteStats } from "./influx-writer.js";

export interface InfluxStoreOptions {
  /** The store in front: detection and the API read from it. */
  memory: MemoryStore;
  settings: InfluxSettings;
  /** Folder of the spill file (points waiting for InfluxDB across an outage or a restart). */
  spillDir: string;
  /** How far back warm-up loads, ms (storage.retention). */
  retentionMs: number;
  /** Told of every failed write or spill file error (metrics, logs). */
  onWriteFailed?: (failure: InfluxWriteFailure) => void;
  /** In [0, 1), for backoff jitter (tests); Math.random by default. */
  random?: () => number;
  /** Replaces the HTTP transport (tests). */
  transport?: LineTransport;
}

/** How long open() lets points spilled by the last run reach InfluxDB before it warms up from it. */
const SPILL_BEFORE_WARMUP_MS = 5_000;

export class InfluxStore implements SeriesStore {
  readonly windowMs: number;
  private readonly memory: MemoryStore;
  private readonly settings: InfluxSettings;
  private readonly spill: SpillFile;
  private readonly writer: InfluxWriter;

  constructor(private readonly options: InfluxStoreOptions) {
    this.memory = options.memory;
    this.settings = options.settings;
    this.windowMs = options.memory.windowMs;
    const settings = options.settings;
    this.spill = new SpillFile(options.spillDir);
    this.writer = new InfluxWriter({
      transport: options.transport ?? createTransport(settings),
      spill: this.spill,
      batchSize: settings.batch_size,
      flushIntervalMs: settings.flush_interval,
      bufferPoints: settings.buffer_points,
      backoff: { initialMs: settings.retry_delay, maxMs: settings.retry_max_delay },
      closeTimeoutMs: settings.close_timeout,
      ...(options.onWriteFailed ? { onWriteFailed: options.onWriteFailed } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /** Restores the snapshot, resumes sending what the last run spilled, then warms up from InfluxDB. */
  async open(): Promise<string> {
    const parts = [await this.memory.open()];
    const opened = await this.spill.open();
    this.writer.start();
    const where = `InfluxDB ${this.settings.url} (${this.settings.api})`;
    if (opened.pending > 0) {
      parts.push(`${opened.pending} points spilled by the last run are being sent to ${where}`);
    }
    if (opened.tornBytes > 0) parts.push(`a torn last line of ${this.spill.path} was dropped`);
    try {
      if (this.settings.api === "v1" && this.settings.create_database) {
        const refused = await this.createDatabase();
        if (refused) parts.push(refused);
      }
      if (!this.settings.warmup) {
        parts.push(`${where}: warm-up is off`);
      } else {
        if (opened.pending > 0) await this.writer.settle(SPILL_BEFORE_WARMUP_MS);
        const warmed = await warmUp(this.settings, this.memory, this.options.retentionMs);
        const skipped =
          warmed.misaligned > 0 ? `, ${warmed.misaligned} rows of another window width skipped` : "";
        parts.push(`warmed ${warmed.windows} windows of ${warmed.keys} series keys from ${where}${skipped}`);
      }
    } catch (error) {
      const problem =
        error instanceof InfluxQueryError
          ? `warm-up from ${where} failed (${error.message})`
          : `${where} is not answering (${describeError(error)})`;
      parts.push(`${problem}: starting from memory; writes are buffered and retried`);
    }
    return `influx store: ${parts.join("; ")}`;
  }

  writeWindow(window: ClosedWindow): void {
    this.memory.writeWindow(window);
    this.writer.add(seriesLines(window));
  }

  recordScore(score: ScoreRecord): void {
    const line = scoreLine(score);
    if (line !== undefined) this.writer.add([line]);
  }

  recordAlert(record: AlertRecord): void {
    const line = alertLine(record);
    if (line !== undefined) this.writer.add([line]);
  }

  query(query: SeriesQuery): SeriesResult[] {
    return this.memory.query(query);
  }

  points(metric: Metric, labels: Labels, from: number, to: number): Point[] {
    return this.memory.points(metric, labels, from, to);
  }

  forEachPoint(metric: Metric, labels: Labels, from: number, to: number, visit: PointVisitor): void {
    this.memory.forEachPoint(metric, labels, from, to, visit);
  }

  lastWindowStart(): number | undefined {
    return this.memory.lastWindowStart();
  }

  keys(): SeriesKey[] {
    return this.memory.keys();
  }

  /**
   * Saves the recent windows, then makes sure every point of them is in InfluxDB or the spill file:
   * the engine cuts its write-ahead log to what this snapshot holds once it resolves.
   */
  async snapshot(beforeWrite?: () => Promise<void>): Promise<void> {
    await this.memory.snapshot(beforeWrite);
    await this.writer.persist();
  }

  /** Points waiting for InfluxDB: in memory, and spilled to disk. */
  backlog(): StoreBacklog {
    return this.writer.backlog();
  }

  /** Write counters since start: written, failed requests, dropped, spilled. */
  writeStats(): InfluxWriteStats {
    return this.writer.stats();
  }

  /** Writes what it can within close_timeout, spills the rest for the next start, saves the snapshot. */
  async close(): Promise<void> {
    await this.writer.close();
    await this.memory.close();
  }

  /**
   * `CREATE DATABASE` is a no-op when the database exists (InfluxDB 1.x; POST, as 1.x requires). A
   * refusal (no admin rights) is only reported; an unreachable server throws.
   */
  private async createDatabase(): Promise<string | undefined> {
    const statement = `CREATE DATABASE ${quoteIdentifier(this.settings.database)}`;
    try {
      await influxQuery(this.settings, statement, () => {}, { method: "POST" });
      return undefined;
    } catch (error) {
      if (!(error instanceof InfluxQueryError)) throw error;
      return `database ${this.settings.database} not created (${error.message})`;
    }
  }
}

export function createTransport(settings: InfluxSettings): LineTransport {
  return settings.api === "v2" ? createWriteApiTransport(settings) : createV1Transport(settings);
}
