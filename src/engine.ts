// Wires the stages: ingest → classify → aggregate → store → detect (rules) → alerting → notify. The
// CLI, the HTTP API and backtests are thin shells over this; only this file knows every stage.
import { join } from "node:path";
import type { WindowSilences } from "./aggregate/feed-watch.js";
import { ChannelLimiter } from "./aggregate/cardinality.js";
import { FeedWatch } from "./aggregate/feed-watch.js";
import { ResponseTracker } from "./aggregate/response-tracker.js";
import { Windower } from "./aggregate/windower.js";
import { AckLog } from "./alerting/ack-log.js";
import { AlertBook } from "./alerting/alert-book.js";
import type { AlertBookState } from "./alerting/alert-book.js";
import type { DispatcherState } from "./alerting/dispatcher.js";
import {
  FEED_STALLED_RULE,
  feedStalledAnnotations,
  feedStalledIdentity,
  feedStalledJudgement,
  feedStalledPolicy,
  isVolumeMetric,
} from "./alerting/feed-stalled.js";
import { fingerprint } from "./alerting/fingerprint.js";
import type { AddFeedback, FeedbackRecord } from "./alerting/feedback-book.js";
import { FeedbackBook } from "./alerting/feedback-book.js";
import type { AlertIdentity } from "./alerting/lifecycle.js";
import type { MuteReason } from "./alerting/muter.js";
import type { SilenceBook } from "./alerting/silence-book.js";
import { createClassifier } from "./classify/index.js";
import { trendOf } from "./detect/trend.js";
import type { Config } from "./config/schema.js";
import { Explaining, GROWTH_WINDOWS } from "./explaining.js";
import { DuplicateFilter } from "./ingest/duplicate-filter.js";
import { validateMention } from "./ingest/mention-schema.js";
import type { WalEntry } from "./ingest/mention-wal.js";
import { MentionWal } from "./ingest/mention-wal.js";
import type { LineError, ParsedBatch } from "./ingest/parse-batch.js";
import type { Alert, AlertEvent, ClosedWindow, Labels, Mention } from "./model/index.js";
import { AlertLogNotifier } from "./notify/alert-log.js";
import { ConsoleNotifier } from "./notify/console.js";
import type { Notification, Notifier } from "./notify/notifier.js";
import { Pager } from "./paging.js";
import type { SilenceView } from "./paging.js";
import { renderAnnotations } from "./rules/annotations.js";
import { CampaignCalendar, campaignText } from "./rules/calendar.js";
import type { CompiledRule } from "./rules/compile.js";
import { RuleSignals } from "./rule-signals.js";
import type { Judged } from "./rules/evaluator.js";
import { RuleEvaluator } from "./rules/evaluator.js";
import { existingPaths, loadConfiguredRules } from "./rules/load.js";
import type { RuleSet } from "./rules/load.js";
import type { RuleWatcher } from "./rules/watch.js";
import { watchRules } from "./rules/watch.js";
import { LocatedError } from "./util/located-error.js";
import { createStore } from "./store/create.js";
import type { SeriesQuery, SeriesResult, SeriesStore } from "./store/series-store.js";
import type { Logger } from "./telemetry/logger.js";
import { silentLogger } from "./telemetry/logger.js";
import { Metrics } from "./telemetry/metrics.js";
import { PipelineTracing } from "./telemetry/tracing.js";
import type { Clock } from "./util/clock.js";
import { systemClock } from "./util/clock.js";
import { formatDuration } from "./util/duration.js";
import { once } from "./util/once.js";
import { encodeState, loadState, saveState } from "./util/state-file.js";

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
  /** Reload the rules when their files change (config.rules.watch permitting). */
  watchRules?: boolean;
  /**
   * Rules already loaded and compiled, instead of reading config.rules.paths at start (a backtest
   * over many files compiles them once). Detector state stays per engine.
   */
  rules?: RuleSet;
  /** Notifiers instead of the configured console and alert log (tests, backtests). */
  notifiers?: Notifier[];
  /** Leave the configured receivers and route unused (backtests: nobody is paged about history). */
  paging?: boolean;
  /**
   * Log accepted mentions before acknowledging them and count the log again on start (config
   * ingest.wal permitting): live runs. Replays read a file that is already durable.
   */
  wal?: boolean;
}

export type AckResult =
  { ok: true; alert: Alert; already: boolean } | { ok: false; status: 404 | 409; error: string };

export type FeedbackResult =
  Extract<AddFeedback, { ok: true }> | { ok: false; status: 400 | 404; error: string };

export type RuleReload = { ok: true; rules: number; files: string[] } | { ok: false; errors: string[] };

export interface IngestResult {
  accepted: number;
  rejected: LineError[];
  duplicates: number;
  late: number;
}

/**
 * Mentions an HTTP batch is counted in at a time before the event loop is let go: ~5 ms of work, so a
 * timer (a window's close, a page) waits at most that long behind ingest under load.
 */
const INGEST_SLICE = 250;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function mergeIngestResults(a: IngestResult, b: IngestResult): IngestResult {
  return {
    accepted: a.accepted + b.accepted,
    rejected: b.rejected.length === 0 ? a.rejected : [...a.rejected, ...b.rejected],
    duplicates: a.duplicates + b.duplicates,
    late: a.late + b.late,
  };
}

/**
 * What is saved beside the series snapshot, as of its newest window: the alerts and the paging
 * decisions. After a crash the mentions of later windows are counted again from the write-ahead log
 * and judged again from this state, so the same decisions are made; the outbox drops the pages it
 * already journalled (by key).
 */
interface AlertingState {
  alerts: AlertBookState;
  paging?: DispatcherState;
  /** The paging clock; absent before the first page decision. */
  pagedAt?: number;
}

/** Beside the series snapshot in data_dir. */
const ALERTING_STATE_FILE = "alerting.state";

export type WindowListener = (window: ClosedWindow) => void;
export type AlertListener = (event: AlertEvent) => void;

/** How often timers close windows by the clock; a fraction of a window keeps closing prompt. */
const TICK_MS = 1_000;

export class Engine {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly store: SeriesStore;
  private readonly windower: Windower;
  /** The evidence of recent negative mentions and the explanations of firing alerts. */
  private readonly explaining: Explaining;
  /** What spread and unanswered rules judge: stories across channels, complaints left unanswered. */
  private readonly signals: RuleSignals;
  private readonly duplicates: DuplicateFilter;
  private readonly classify;
  private readonly listeners: WindowListener[] = [];
  private readonly alertListeners: AlertListener[] = [];
  private readonly evaluator: RuleEvaluator;
  private readonly alerts: AlertBook;
  /** The per-source deadman: FeedStalled, and no resolving volume alerts on silence. */
  private readonly feeds: FeedWatch;
  private readonly notifiers: Notifier[];
  /** Silences, and with a `route` the routing, grouping, muting, escalation and outbox. */
  private pager: Pager | undefined;
  /** What people said about alerts (POST /v1/alerts/:id/feedback), kept in data_dir/feedback.jsonl. */
  private feedback: FeedbackBook | undefined;
  private readonly identities = new WeakMap<object, AlertIdentity>();
  private ruleFiles: string[] = [];
  private ruleWatcher: RuleWatcher | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly tracing: PipelineTracing;
  private ready = false;
  /** The write-ahead log of accepted mentions (live runs). */
  private wal: MentionWal | undefined;
  /** Acknowledgements made since the last snapshot of the alert state (live runs). */
  private acks: AckLog | undefined;
  /** When the feeds were last checked for stalls (engine clock). */
  private feedsCheckedAt = Number.NEGATIVE_INFINITY;
  /** The paging clock's latest time (pagingTime), and the close being evaluated, if any. */
  private pagedAt = Number.NEGATIVE_INFINITY;
  /** Live runs: windows are closed by a timer at their deadline (armCloseTimer). */
  private closeTimers = false;
  private closeTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  private pagingAt: number | undefined;

  constructor(private readonly options: EngineOptions) {
    const { config } = options;
    this.config = config;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger();
    this.metrics = options.metrics ?? new Metrics({ defaultMetrics: false });
    this.store = createStore({
      windowMs: config.window,
      retentionMs: config.storage.retention,
      clock: this.clock,
      ...(config.storage.snapshot ? { snapshotPath: join(config.data_dir, "series.snapshot") } : {}),
      ...(config.storage.type === "influx" && config.storage.influx
        ? { influx: { settings: config.storage.influx, spillDir: join(config.data_dir, "influx-spill") } }
        : {}),
      onInfluxWriteFailed: (failure) => {
        this.metrics.influxWriteFailed(failure.action);
        // Retries of one outage are one story: the first attempt and each drop or spill are told.
        const level = failure.action === "retry" && failure.attempt > 1 ? "debug" : "warn";
        this.logger[level](
          { influx: failure },
          `InfluxDB write failed (${failure.action}): ${failure.message}`,
        );
      },
    });
    this.explaining = new Explaining(config.window);
    const responses = new ResponseTracker({
      overdueAfterMs: config.responsiveness.overdue_after,
      periodMs: config.responsiveness.period,
    });
    this.signals = new RuleSignals(this.explaining.evidence, responses);
    this.windower = new Windower({
      windowMs: config.window,
      latenessMs: config.lateness,
      maxCatchUpWindows: Math.ceil(config.storage.retention / config.window),
      evidence: this.explaining.evidence,
      responses,
      // Past the cap, a brand's further channels fold into `other`: memory follows the cap.
      channels: new ChannelLimiter({
        maxPerBrand: config.ingest.max_channels_per_brand,
        onFold: (fold) => {
          this.metrics.seriesFolded(fold.brand);
          if (fold.report) this.logger.warn({ brand: fold.brand, channel: fold.channel }, fold.report);
        },
      }),
    });
    this.duplicates = new DuplicateFilter(config.ingest.dedup_capacity);
    this.evaluator = new RuleEvaluator({
      windowMs: config.window,
      warmupMs: config.storage.retention,
      // config.calendar plus calendar_file's entries (loadConfig); not reloaded while running.
      calendar: new CampaignCalendar(config.calendar),
      history: (metric, labels, from, to, visit) => this.store.forEachPoint(metric, labels, from, to, visit),
      signals: (signal, labels, window) => this.signals.measure(signal, labels, window),
      keptOut: (rule, labels) => this.keptOut(rule, labels),
    });
    this.alerts = new AlertBook({ historySize: config.alerts.history });
    this.feeds = new FeedWatch({
      stalledAfterMs: config.feeds.stalled_after,
      minExpected: config.feeds.min_expected,
    });
    this.tracing = new PipelineTracing(config.window);
    this.notifiers = options.notifiers ?? defaultNotifiers(config);
    this.classify = createClassifier({
      negativeBelow: config.classify.negative_below,
      positiveAbove: config.classify.positive_above,
    });
  }

  /** Restores persisted state and starts the timers; the engine is ready after this. */
  async start(): Promise<void> {
    this.logger.info(await this.store.open());
    this.metrics.watchAlerts(() => this.alerts.list());
    this.metrics.watchWriteBacklog(() => this.store.backlog?.());
    this.metrics.watchFeeds(() => this.feeds.summary());
    this.feedback = await FeedbackBook.open(join(this.config.data_dir, "feedback.jsonl"));
    this.pager = await Pager.open({
      config: this.config,
      paging: this.options.paging !== false,
      alerts: () => this.alerts.list(),
      logger: this.logger,
      metrics: this.metrics,
    });
    await this.restoreAlerting();
    await this.restoreAcks();
    const reload = this.options.rules ? this.useRules(this.options.rules) : await this.reloadRules();
    if (!reload.ok) throw new Error(`invalid rules:\n${reload.errors.join("\n")}`);
    if (this.options.watchRules && this.config.rules.watch) {
      const paths = await existingPaths(this.config.rules.paths);
      this.ruleWatcher = watchRules(paths, () => void this.reloadRules());
    }
    const last = this.store.lastWindowStart();
    if (last !== undefined) this.windower.resumeAfter(last, this.store.keys());
    await this.recoverMentions();
    if (this.options.timers) {
      // The interval is the backstop; live, the next window is closed at its deadline (armCloseTimer).
      this.closeTimers = this.clock === systemClock;
      this.timers.push(setInterval(() => this.tick(), TICK_MS));
      this.timers.push(setInterval(() => void this.snapshot(), this.config.storage.snapshot_interval));
      for (const timer of this.timers) timer.unref();
    }
    this.ready = true;
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Readiness turns false: a shutdown has begun (stop follows once requests in flight are done). */
  beginShutdown(): void {
    this.ready = false;
  }

  /**
   * Loads the configured rule files and swaps them in; on any error the running rules stay and the
   * errors come back as file:line:col lines. Rules whose definition did not change keep their state.
   */
  async reloadRules(): Promise<RuleReload> {
    let loaded;
    try {
      loaded = await loadConfiguredRules(this.config.rules.paths, this.config.window);
    } catch (error) {
      const errors = error instanceof LocatedError ? error.message.split("\n") : [(error as Error).message];
      for (const line of errors) this.logger.error(line);
      this.logger.error(`rules not reloaded: ${errors.length} error(s); the previous rules keep running`);
      return { ok: false, errors };
    }
    return this.useRules(loaded);
  }

  /** Swaps the rules in; the alerts of rules gone are resolved. */
  private useRules(loaded: RuleSet): RuleReload {
    this.evaluator.setRules(loaded.rules);
    this.ruleFiles = loaded.files;
    const current = new Set(loaded.rules.map((rule) => rule.id));
    const keep = (id: string) => current.has(id) || id === FEED_STALLED_RULE;
    for (const event of this.alerts.retireRules(keep, this.clock.now())) this.publish(event);
    this.logger.info(`loaded ${loaded.rules.length} rule(s) from ${loaded.files.length} file(s)`);
    return { ok: true, rules: loaded.rules.length, files: loaded.files };
  }

  rules(): { rules: CompiledRule[]; files: string[] } {
    return { rules: this.evaluator.rules(), files: this.ruleFiles };
  }

  listAlerts(state?: Alert["state"]): Alert[] {
    return this.alerts.list(state);
  }

  alert(id: string): Alert | undefined {
    return this.alerts.get(id);
  }

  /**
   * A person takes a firing alert in hand: escalation stops and everyone paged about it is told who.
   * Acknowledging twice keeps the first acknowledgement.
   */
  acknowledge(id: string, by: string, comment?: string): AckResult {
    const alert = this.alerts.get(id);
    if (!alert) return { ok: false, status: 404, error: `no alert ${id}` };
    if (alert.state !== "firing")
      return {
        ok: false,
        status: 409,
        error: `alert ${id} is ${alert.state}; only a firing alert can be acknowledged`,
      };
    if (alert.acknowledged) return { ok: true, alert, already: true };
    const acknowledged = { by, at: this.clock.now(), ...(comment ? { comment } : {}) };
    alert.acknowledged = acknowledged;
    this.logger.info({ alert: id, by }, `${alert.name} acknowledged by ${by}`);
    this.tracing.transition("acknowledged", alert, () => {
      this.store.recordAlert?.({
        time: acknowledged.at,
        event: "acknowledged",
        alert: structuredClone(alert),
      });
      this.tellBuiltIn({ event: "acknowledged", alert });
      this.pager?.acknowledged(alert);
    });
    return { ok: true, alert, already: false };
  }

  /**
   * acknowledge, then resolves once the acknowledgement is journalled (live runs): what the API's
   * answer promises, so a crash before the next snapshot does not forget who holds the alert.
   */
  async acknowledgeDurably(id: string, by: string, comment?: string): Promise<AckResult> {
    const result = this.acknowledge(id, by, comment);
    const acknowledged = result.ok && !result.already ? result.alert.acknowledged : undefined;
    if (acknowledged) await this.acks?.append({ alert: id, ...acknowledged });
    return result;
  }

  /**
   * Records a person's verdict on an alert (false alarm, expected, real crisis); saved before this
   * resolves. Several verdicts per alert are kept; the latest counts.
   */
  async addFeedback(id: string, input: unknown): Promise<FeedbackResult> {
    const alert = this.alerts.get(id);
    if (!alert) return { ok: false, status: 404, error: `no alert ${id}` };
    if (!this.feedback) throw new Error("the engine is not started");
    const result = await this.feedback.add(alert, input, this.clock.now());
    if (!result.ok) return { ok: false, status: 400, error: result.error };
    this.logger.info(
      { alert: id, verdict: result.record.verdict },
      `${alert.name}: feedback ${result.record.verdict}`,
    );
    return result;
  }

  /** The feedback given on an alert, oldest first. */
  feedbackFor(id: string): FeedbackRecord[] {
    return this.feedback?.forAlert(id) ?? [];
  }

  /** Why the alert's pages are held now (silence, inhibition, mute window), if they are. */
  heldReason(id: string): MuteReason | undefined {
    return this.pager?.heldReason(id);
  }

  listSilences(): SilenceView[] {
    return this.started().listSilences(this.clock.now());
  }

  silence(id: string): SilenceView | undefined {
    return this.listSilences().find((silence) => silence.id === id);
  }

  /** Adds or replaces a silence (saved before this resolves), or says why it was refused. */
  addSilence(input: unknown): ReturnType<SilenceBook["add"]> {
    return this.started().addSilence(input, this.clock.now());
  }

  /** Ends a silence now; its held alerts are told at their groups' next ticks. */
  expireSilence(id: string): Promise<boolean> {
    return this.started().expireSilence(id, this.clock.now());
  }

  /** Waits up to `timeoutMs` for every page in the outbox to be delivered or given up on. */
  drainPages(timeoutMs: number): Promise<boolean> {
    return this.started().drain(timeoutMs);
  }

  private started(): Pager {
    if (!this.pager) throw new Error("the engine is not started");
    return this.pager;
  }

  /** Subscribes to alert events (backtests, tests). */
  onAlertEvent(listener: AlertListener): void {
    this.alertListeners.push(listener);
  }

  /** Subscribes to closed windows (detection, the demo's summary). */
  onWindowClosed(listener: WindowListener): void {
    this.listeners.push(listener);
  }

  /** Validates, deduplicates, classifies and counts one parsed batch; closes windows it completes. */
  ingest(batch: ParsedBatch): IngestResult {
    return this.tracing.ingest(batch.values.length + batch.errors.length, (fed) => this.take(batch, fed));
  }

  /**
   * ingest, then resolves once the mentions it counted are in the write-ahead log: what an
   * acknowledgement (202) promises. Without a log, as ingest. It takes the batch over: its values are
   * taken out slice by slice, and let go once counted, so that a batch waiting for its next slice or
   * for the log's fsync does not hold a thousand parsed mentions alive (the garbage collector copied
   * them, every batch in flight, at every minor collection).
   */
  async ingestDurably(batch: ParsedBatch): Promise<IngestResult> {
    const logged: WalEntry[] = [];
    const log = this.wal ? logged : undefined;
    const { values } = batch;
    const slices = Math.ceil(values.length / INGEST_SLICE);
    let result: IngestResult | undefined;
    // In slices, with the event loop free between them: a window's close timer (and the page it
    // sends) waits for one slice, not for every batch that arrived in the same turn.
    while (values.length > 0 || result === undefined) {
      if (result) await yieldToEventLoop();
      const slice = { values: values.splice(0, INGEST_SLICE), errors: result ? [] : batch.errors };
      const part = this.tracing.ingest(slice.values.length + slice.errors.length, (fed) =>
        this.take(slice, fed, log),
      );
      result = result ? mergeIngestResults(result, part) : part;
    }
    // Each slice sorted its own; the batch's parse errors came with the first.
    if (slices > 1) result.rejected.sort((a, b) => a.line - b.line);
    await this.wal?.append(logged);
    return result;
  }

  /**
   * The ingest itself; `fed` is told each counted mention's time when the batch is traced, and
   * `logged` receives the counted mentions as sent, for the write-ahead log.
   */
  private take(
    batch: ParsedBatch,
    fed: ((time: number) => void) | undefined,
    logged?: WalEntry[],
  ): IngestResult {
    const rejected: LineError[] = [...batch.errors];
    this.countParseErrors(batch.errors);
    let accepted = 0;
    let duplicates = 0;
    const lateIds: string[] = [];
    const horizon = this.options.guardFuture ? this.clock.now() + this.config.ingest.max_future : Infinity;
    const bySource = { provider: 0, lexicon: 0 };
    for (const { line, value, raw } of batch.values) {
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
      // Late or not, any mention shows its feed is alive.
      const channel = this.windower.seriesChannel(mention.brand, mention.channel);
      this.feeds.seen(mention.brand, channel, mention.time);
      if (this.windower.add(mention, verdict.label === "negative") === "late") lateIds.push(mention.id);
      else {
        fed?.(mention.time);
        // The line as sent when there is one: the parsed mention need not live until the fsync.
        logged?.push(
          raw === undefined ? { time: mention.time, mention: value } : { time: mention.time, raw },
        );
      }
    }
    rejected.sort((a, b) => a.line - b.line);
    this.record(accepted, duplicates, lateIds, bySource);
    this.emit(this.windower.advance(this.clock.now()));
    return { accepted, rejected, duplicates, late: lateIds.length };
  }

  /** Closes the windows the clock has passed and sends the pages that are due. */
  tick(): void {
    this.emit(this.windower.advance(this.clock.now()));
  }

  /**
   * Closes every open window: the end of a finite replay. Its clock stops with the last event, so
   * the groups waiting for a later tick are told now.
   */
  flush(): void {
    this.emit(this.windower.flush());
    this.dispatch({ final: true });
  }

  series(query: SeriesQuery): SeriesResult[] {
    return this.store.query(query);
  }

  /** Saves the series (when a snapshot is configured), then cuts the mention log to what it lacks. */
  async snapshot(): Promise<void> {
    // Windows closed from here on are not in this snapshot: their mentions stay in the log.
    const covered = this.coveredBySnapshot();
    try {
      // The alerting state is taken with the series (same tick) and written before them.
      await this.store.snapshot?.(this.alertingSaver());
      await this.wal?.checkpoint(covered);
    } catch (error) {
      this.logger.error({ err: error }, "series snapshot failed");
    }
  }

  /**
   * The end of the newest closed window: what a snapshot taken now holds, or, without snapshots (or
   * with InfluxDB, whose writer keeps its own spill), what the store has taken over. The log keeps
   * the mentions of the windows still open.
   */
  private coveredBySnapshot(): number {
    const last = this.store.lastWindowStart();
    return last === undefined ? Number.NEGATIVE_INFINITY : last + this.config.window;
  }

  /**
   * The alerting state as of now, serialized at once, and the write that saves it; none without a
   * series snapshot for it to match.
   */
  private alertingSaver(): (() => Promise<void>) | undefined {
    const through = this.store.lastWindowStart();
    if (!this.config.storage.snapshot || through === undefined) return undefined;
    const paging = this.pager?.save();
    const state: AlertingState = {
      alerts: this.alerts.save(),
      ...(paging ? { paging } : {}),
      ...(Number.isFinite(this.pagedAt) ? { pagedAt: this.pagedAt } : {}),
    };
    const text = encodeState(through, state, this.clock.now());
    return () => saveState(join(this.config.data_dir, ALERTING_STATE_FILE), text);
  }

  /** Takes back the alerts and paging decisions saved with the series snapshot the store restored. */
  private async restoreAlerting(): Promise<void> {
    const through = this.store.lastWindowStart();
    if (!this.config.storage.snapshot || through === undefined) return;
    const path = join(this.config.data_dir, ALERTING_STATE_FILE);
    const loaded = await loadState<AlertingState>(path, through);
    if (!loaded.ok) {
      if (loaded.reason !== "none")
        this.logger.warn(
          { reason: loaded.reason, detail: loaded.detail },
          `alert state ${path} not restored (${loaded.reason}): open alerts start afresh`,
        );
      return;
    }
    const { alerts, paging, pagedAt } = loaded.state;
    this.alerts.restore(alerts);
    if (paging) this.pager?.restore(paging);
    if (pagedAt !== undefined) this.pagedAt = pagedAt;
    const open = this.alerts.list().filter((alert) => alert.state !== "resolved").length;
    this.logger.info(`restored ${open} open alert(s) and the paging state from ${path}`);
  }

  /**
   * Applies again the acknowledgements journalled since the alert state was saved: the alert holds
   * them again and its escalation stays stopped. The pages they caused are re-decided too; the
   * outbox sends only those it had not journalled before the crash.
   */
  private async restoreAcks(): Promise<void> {
    if (!this.options.wal) return;
    this.acks = await AckLog.open(join(this.config.data_dir, "acks.jsonl"));
    let applied = 0;
    for (const { alert: id, ...acknowledged } of this.acks.recovered) {
      const alert = this.alerts.get(id);
      if (alert?.state !== "firing" || alert.acknowledged) continue;
      alert.acknowledged = acknowledged;
      this.pager?.acknowledged(alert);
      applied++;
    }
    if (applied > 0) this.logger.info(`applied ${applied} acknowledgement(s) made since the last snapshot`);
    await this.acks.keepOnly(({ alert }) => this.alerts.get(alert)?.state === "firing");
  }

  /**
   * Which windows a new detector of the rule on the series is warmed without: those its alert was
   * pending or firing in, as it learned live.
   */
  private keptOut(rule: CompiledRule, labels: Labels): ((start: number) => boolean) | undefined {
    if (!this.alerts.mayHaveEpisodes(rule.id)) return undefined;
    const spans = this.alerts.activeSpans(fingerprint(rule.id, { ...labels, ...rule.labels }));
    if (spans.length === 0) return undefined;
    const windowMs = this.config.window;
    return (start) => spans.some(([from, to]) => start + windowMs >= from && start + windowMs < to);
  }

  /** Counts the mentions of the write-ahead log again: those acknowledged before a crash or stop. */
  private async recoverMentions(): Promise<void> {
    if (!this.options.wal || !this.config.ingest.wal.enabled) return;
    this.wal = new MentionWal({
      dir: join(this.config.data_dir, "wal"),
      fsync: this.config.ingest.wal.fsync,
    });
    const mentions = await this.wal.open();
    if (mentions.length === 0) return;
    // Mentions of windows the series snapshot holds come back late and are not counted twice.
    const result = this.ingest({ values: mentions.map((value, i) => ({ line: i + 1, value })), errors: [] });
    this.logger.info(
      { recovered: result.accepted, late: result.late, duplicates: result.duplicates },
      `counted ${result.accepted - result.late} mention(s) again from the write-ahead log`,
    );
  }

  /** Stops timers and persists state; readiness turns false first so load balancers move away. */
  async stop(): Promise<void> {
    this.ready = false;
    this.ruleWatcher?.close();
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    this.closeTimers = false;
    if (this.closeTimer) clearTimeout(this.closeTimer.timer);
    // Nothing is judged any more: the state saved now matches the series the store saves on close.
    await this.alertingSaver()?.();
    await this.store.close();
    // The store's last snapshot is saved: the log keeps only what it lacks.
    await this.wal?.checkpoint(this.coveredBySnapshot());
    await this.wal?.close();
    await this.pager?.close();
    await this.acks?.close();
    await this.feedback?.close();
    await Promise.all(this.notifiers.map((notifier) => notifier.close?.()));
  }

  /**
   * Feeds closed windows downstream: store, then every rule. Also the entry point of series that
   * arrive already aggregated (CSV backtests), so they take exactly the path of live windows.
   */
  emit(windows: readonly ClosedWindow[]): void {
    for (const window of windows) {
      // A batch may close many windows (a replay, a catch-up): each is paged as of its own close, so
      // a crisis that fires and escalates within one batch is told in two pages, as it is live.
      this.pagingAt = this.pagingTime(window.end + this.config.lateness);
      this.tracing.window(window.start, window.rows.length, () => {
        this.store.writeWindow(window);
        this.metrics.windowClosed(window.rows.length);
        // Guarded: a backtest closes one window per point, and the line's fields cost more than the rest.
        if (this.logger.isLevelEnabled("debug"))
          this.logger.debug(
            { window: new Date(window.start).toISOString(), keys: window.rows.length },
            "window closed",
          );
        for (const listener of this.listeners) listener(window);
        this.evaluate(window);
      });
      this.dispatch({ at: this.pagingAt });
    }
    this.pagingAt = undefined;
    // After the windows: those closed now are judged with the stalls known before this batch's data.
    this.watchFeeds();
    this.dispatch();
    if (this.closeTimers) this.armCloseTimer();
  }

  /**
   * Sets a timer for the next window's deadline (its end plus the lateness), so a quiet feed's window
   * is judged when it is due rather than at the next one-second tick; re-armed only when the deadline
   * moves, not on every batch.
   */
  private armCloseTimer(): void {
    const at = this.windower.nextCloseAt();
    if (at === this.closeTimer?.at) return;
    if (this.closeTimer) clearTimeout(this.closeTimer.timer);
    this.closeTimer = undefined;
    if (at === undefined) return;
    const timer = setTimeout(
      () => {
        this.closeTimer = undefined;
        this.tick();
      },
      Math.max(0, at - this.clock.now()) + 1,
    );
    timer.unref();
    this.closeTimer = { at, timer };
  }

  /** Every rule on the window, timed (metrics) and traced. */
  private evaluate(window: ClosedWindow): void {
    const done = this.metrics.ruleEvaluationStarted();
    this.tracing.evaluation(this.evaluator.ruleCount, () => {
      const silence = this.feeds.silences(window);
      return this.evaluator.evaluateEach(window, (one) => this.judge(one, silence));
    });
    done();
  }

  /** Drives the judged series' alert and lets its detector learn, unless the alert is active. */
  private judge(judged: Judged, silence: WindowSilences): void {
    // Most series are quiet: no breach and no alert, nothing to judge, explain or record (scores are
    // recorded only by stores that chart them). The detector learns the window, as below.
    if (!judged.breach && !this.store.recordScore) {
      if (
        !this.alerts.tracksRule(judged.rule.id) ||
        !this.alerts.isTracked(this.identityOf(judged).fingerprint)
      ) {
        this.evaluator.learn(judged, silence(judged.row) === "stalled");
        return;
      }
    }
    const { rule, estimate } = judged;
    // The series' last windows, read only when an explanation or the crisis stage asks (firing
    // alerts), and then once for both.
    const recent = once(() => {
      const from = judged.end - GROWTH_WINDOWS * this.config.window;
      const points = this.store.points(rule.metric, judged.labels, from, judged.end);
      return points.length === 0 ? undefined : { counts: points.map((p) => p.value), end: judged.end };
    });
    // What an explanation and the crisis stage read, each only when asked.
    const { signal } = rule;
    const inputs = {
      recent,
      // The rule's critical level now: the detector's breach condition inverted at its latest estimate.
      critical: () =>
        rule.criticalConfig === undefined
          ? undefined
          : judged.detector.levelFor?.(estimate, rule.criticalConfig),
      ...(signal ? { signal: () => this.signals.detail(signal, judged.labels) } : {}),
    };
    const trend = () => {
      const counts = recent();
      return counts && trendOf({ ...counts, windowMs: this.config.window });
    };
    const identity = this.identityOf(judged);
    const active = this.alerts.isActive(identity.fingerprint);
    if (active && isVolumeMetric(rule.metric) && (silence(judged.row) ?? "usual") !== "usual") {
      // Silence is not recovery: a volume falls to zero when the data stops as surely as when the
      // complaints do. The stall itself is only known stalled_after (or more) into the silence, when the
      // first silent windows would already have run down keep_firing_for and resolved the alert, so
      // each window is read on its own: empty (no mention at all, replies included) on a feed that
      // usually has at least one in such a window, or on a feed known stalled. Such a window is neither
      // breach nor recovery: the alert stays as it is, its detector learns nothing, and the feed pages
      // as FeedStalled. A live feed leaves such a window empty now and then (at most e^-1 of the time,
      // less during a crisis, when it is busier than usual), which costs little: the alert is judged
      // again on the next window with data, so a real recovery is only put off to that window.
      this.evaluator.learn(judged, true);
      return;
    }
    const events = this.alerts.judge(
      identity,
      {
        time: judged.end,
        measure: {
          time: judged.start,
          value: judged.value,
          expected: estimate.expected,
          factor: estimate.factor,
          score: estimate.score,
          ...(estimate.pValue === undefined ? {} : { pValue: estimate.pValue }),
        },
        breach: judged.breach,
        critical: judged.critical,
        holds: judged.holds,
        trend,
      },
      rule,
      (alert) => {
        // Before the event's snapshot is taken: every page of the event carries the explanation.
        this.explaining.explain(alert, rule.metric, inputs);
        const annotations = renderAnnotations(rule.annotations, alert);
        // "expected raised ×3 for <note>": why the expected level on this page is not the usual one.
        return judged.campaign ? { ...annotations, campaign: campaignText(judged.campaign) } : annotations;
      },
    );
    if (events.length === 0) this.explaining.refresh(identity.fingerprint, rule.metric, inputs);
    this.store.recordScore?.({
      time: judged.start,
      rule: rule.id,
      alertname: rule.name,
      labels: judged.labels,
      value: judged.value,
      expected: estimate.expected,
      factor: estimate.factor,
      score: estimate.score,
      ...(estimate.pValue === undefined ? {} : { pValue: estimate.pValue }),
      breach: judged.breach,
    });
    for (const event of events) this.publish(event);
    // The empty windows of a stalled feed are missing data, not the brand's usual: kept out of every
    // baseline, or the feed's return would look like a spike.
    const stalled = silence(judged.row) === "stalled";
    this.evaluator.learn(judged, this.alerts.isActive(identity.fingerprint) || stalled);
  }

  /** Raises FeedStalled for the feeds found stalled, and resolves it for those that speak again. */
  private watchFeeds(): void {
    const now = this.clock.now();
    // Every feed is visited: at most once a second of the clock, not on every ingested batch.
    if (now - this.feedsCheckedAt < TICK_MS) return;
    this.feedsCheckedAt = now;
    for (const change of this.feeds.check(now)) {
      const events = this.alerts.judge(
        feedStalledIdentity(change.brand, change.channel),
        feedStalledJudgement(change, now),
        feedStalledPolicy,
        (alert) => feedStalledAnnotations(change, now, alert.annotations),
      );
      for (const event of events) this.publish(event);
    }
  }

  /**
   * The alert identity of a rule on a series, computed once: one detector exists per (rule, series),
   * so it keys the cache, and a reload that replaces the detector lets the entry go.
   */
  private identityOf(judged: Judged): AlertIdentity {
    let identity = this.identities.get(judged.detector);
    if (!identity) {
      const { rule } = judged;
      const labels = { ...judged.labels, ...rule.labels };
      identity = { fingerprint: fingerprint(rule.id, labels), rule: rule.id, name: rule.name, labels };
      this.identities.set(judged.detector, identity);
    }
    return identity;
  }

  private publish(event: AlertEvent): void {
    this.tracing.transition(event.type, event.alert, () => {
      for (const listener of this.alertListeners) listener(event);
      if (event.type === "pending") return;
      this.store.recordAlert?.({
        time: event.alert.history.at(-1)?.at ?? this.clock.now(),
        event: event.type,
        alert: event.alert,
      });
      this.tellBuiltIn({ event: event.type, alert: event.alert });
      // Paged at the end of the batch of windows (emit), once every rule has had its say; the pager
      // keeps this span's context for those pages.
      this.pager?.observe(event, this.pagingAt ?? this.pagingTime(this.clock.now()));
    });
  }

  /** Pages whatever is due now (groups, escalations, silence-end notices). */
  private dispatch({ at, final }: { at?: number; final?: boolean } = {}): void {
    this.pager?.dispatch(at ?? this.pagingTime(this.clock.now()), final ? { final } : {});
  }

  /** The paging clock: `at`, never ahead of the engine's clock, never back in time. */
  private pagingTime(at: number): number {
    this.pagedAt = Math.max(this.pagedAt, Math.min(at, this.clock.now()));
    return this.pagedAt;
  }

  /** The console and the alert log: every event as it happens, ungrouped and unmuted. */
  private tellBuiltIn(notification: Notification): void {
    for (const notifier of this.notifiers) {
      notifier.send(notification).then(
        (result) => {
          if (!result.ok)
            this.logger.error({ notifier: notifier.name, error: result.error }, "notification failed");
        },
        (error: unknown) => this.logger.error({ notifier: notifier.name, err: error }, "notifier crashed"),
      );
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

function defaultNotifiers(config: Config): Notifier[] {
  const notifiers: Notifier[] = [];
  if (config.alerts.console) notifiers.push(new ConsoleNotifier());
  if (config.alerts.log) notifiers.push(new AlertLogNotifier(join(config.data_dir, config.alerts.log)));
  return notifiers;
}

function futureError(mention: Mention, aheadMs: number): string {
  return `created_at ${mention.created_at} is ${formatDuration(Math.round(aheadMs / 1000) * 1000)} in the future; check the sender's clock`;
}
