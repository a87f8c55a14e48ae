// Wires the stages: ingest → classify → aggregate → store. The CLI and the HTTP API are thin shells
// over this; only this file knows every stage.
import { join } from "node:path";
import { Windower } from "./aggregate/windower.js";
import { createClassifier } from "./classify/index.js";
import type { Config } from "./config/schema.js";
import { DuplicateFilter } from "./ingest/duplicate-filter.js";
import { validateMention } from "./ingest/mention-schema.js";
import type { LineError, ParsedBatch } from "./ingest/parse-batch.js";
import type { ClosedWindow, Mention } from "./model/index.js";
import { MemoryStore } from "./store/memory.js";
import type { SeriesQuery, SeriesResult } from "./store/series-store.js";
import type { Logger } from "./telemetry/logger.js";
import { silentLogger } from "./telemetry/logger.js";
import { Metrics } from "./telemetry/metrics.js";
import type { Clock } from "./util/clock.js";
import { systemClock } from "./util/clock.js";
import { formatDuration } from "./util/duration.js";

export interface EngineOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  /**
   * Refuse mentions dated further ahead of the clock than config.ingest.max_future. Off for
   * as-fast-as-possible replays, whose clock follows the events themselves.
   */
  guardFuture?: boolean;
  /** Run the window-closing and snapshot timers (live and paced runs). */
  timers?: boolean;
}

export interface IngestResult {
  accepted: number;
  rejected: LineError[];
  duplicates: number;
  late: number;
}

export type WindowListener = (window: ClosedWindow) => void;

/** How often timers close windows by the clock; a fraction of a window keeps closing prompt. */
const TICK_MS = 1_000;

export class Engine {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly store: MemoryStore;
  private readonly windower: Windower;
  private readonly duplicates: DuplicateFilter;
  private readonly classify;
  private readonly listeners: WindowListener[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private ready = false;

  constructor(private readonly options: EngineOptions) {
    const { config } = options;
    this.config = config;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger();
    this.metrics = options.metrics ?? new Metrics({ defaultMetrics: false });
    this.store = new MemoryStore({
      windowMs: config.window,
      retentionMs: config.storage.retention,
      clock: this.clock,
      ...(config.storage.snapshot ? { snapshotPath: join(config.data_dir, "series.snapshot") } : {}),
    });
    this.windower = new Windower({
      windowMs: config.window,
      latenessMs: config.lateness,
      maxCatchUpWindows: Math.ceil(config.storage.retention / config.window),
    });
    this.duplicates = new DuplicateFilter(config.ingest.dedup_capacity);
    this.classify = createClassifier({
      negativeBelow: config.classify.negative_below,
      positiveAbove: config.classify.positive_above,
    });
  }

  /** Restores persisted state and starts the timers; the engine is ready after this. */
  async start(): Promise<void> {
    this.logger.info(await this.store.open());
    const last = this.store.lastWindowStart();
    if (last !== undefined) this.windower.resumeAfter(last, this.store.keys());
    if (this.options.timers) {
      this.timers.push(setInterval(() => this.tick(), TICK_MS));
      this.timers.push(setInterval(() => void this.snapshot(), this.config.storage.snapshot_interval));
      for (const timer of this.timers) timer.unref();
    }
    this.ready = true;
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Subscribes to closed windows (detection, the demo's summary). */
  onWindowClosed(listener: WindowListener): void {
    this.listeners.push(listener);
  }

  /** Validates, deduplicates, classifies and counts one parsed batch; closes windows it completes. */
  ingest(batch: ParsedBatch): IngestResult {
    const rejected: LineError[] = [...batch.errors];
    this.countParseErrors(batch.errors);
    let accepted = 0;
    let duplicates = 0;
    const lateIds: string[] = [];
    const horizon = this.options.guardFuture ? this.clock.now() + this.config.ingest.max_future : Infinity;
    const bySource = { provider: 0, lexicon: 0 };
    for (const { line, value } of batch.values) {
      const validation = validateMention(value);
      if (!validation.ok) {
        rejected.push({ line, error: validation.error });
        this.metrics.mentionRejected("invalid_mention");
        continue;
      }
      const mention = validation.mention;
      if (mention.time > horizon) {
        rejected.push({ line, error: futureError(mention, mention.time - this.clock.now()) });
        this.metrics.mentionRejected("too_far_in_future");
        continue;
      }
      if (!this.duplicates.isFirst(mention)) {
        duplicates++;
        continue;
      }
      accepted++;
      const verdict = this.classify(mention);
      bySource[verdict.source]++;
      if (this.windower.add(mention, verdict.label === "negative") === "late") lateIds.push(mention.id);
    }
    rejected.sort((a, b) => a.line - b.line);
    this.record(accepted, duplicates, lateIds, bySource);
    this.emit(this.windower.advance(this.clock.now()));
    return { accepted, rejected, duplicates, late: lateIds.length };
  }

  /** Closes the windows the clock has passed. */
  tick(): void {
    this.emit(this.windower.advance(this.clock.now()));
  }

  /** Closes every open window: the end of a finite replay. */
  flush(): void {
    this.emit(this.windower.flush());
  }

  series(query: SeriesQuery): SeriesResult[] {
    return this.store.query(query);
  }

  async snapshot(): Promise<void> {
    try {
      await this.store.snapshot();
    } catch (error) {
      this.logger.error({ err: error }, "series snapshot failed");
    }
  }

  /** Stops timers and persists state; readiness turns false first so load balancers move away. */
  async stop(): Promise<void> {
    this.ready = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await this.store.close();
  }

  private emit(windows: ClosedWindow[]): void {
    for (const window of windows) {
      this.store.writeWindow(window);
      this.metrics.windowClosed(window.rows.length);
      this.logger.debug(
        { window: new Date(window.start).toISOString(), keys: window.rows.length },
        "window closed",
      );
      for (const listener of this.listeners) listener(window);
    }
  }

  private countParseErrors(errors: LineError[]): void {
    for (const { error } of errors) {
      this.metrics.mentionRejected(error.startsWith("line is longer") ? "line_too_long" : "invalid_json");
    }
  }

  private record(
    accepted: number,
    duplicates: number,
    lateIds: string[],
    bySource: Record<"provider" | "lexicon", number>,
  ): void {
    this.metrics.mentionsIngested(accepted - lateIds.length);
    this.metrics.mentionsDuplicate(duplicates);
    this.metrics.mentionsLate(lateIds.length);
    this.metrics.mentionsClassified("provider", bySource.provider);
    this.metrics.mentionsClassified("lexicon", bySource.lexicon);
    if (lateIds.length > 0) {
      // One line per batch, with a sample of ids, so a late flood cannot flood the log too.
      this.logger.warn(
        { late: lateIds.length, sample: lateIds.slice(0, 5), closedThrough: this.windower.lastClosedStart() },
        `${lateIds.length} mention(s) arrived after their window closed (lateness ${formatDuration(this.config.lateness)}); counted as late, not in the series`,
      );
    }
  }
}

function futureError(mention: Mention, aheadMs: number): string {
  return `created_at ${mention.created_at} is ${formatDuration(Math.round(aheadMs / 1000) * 1000)} in the future; check the sender's clock`;
}
