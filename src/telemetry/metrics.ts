// Every Prometheus metric Tocsin exposes, declared in one place and updated through small named
// functions, so stages never touch prom-client and no label takes unbounded values.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export type RejectReason = "invalid_json" | "invalid_mention" | "too_far_in_future" | "line_too_long";

const ALERT_STATES = ["pending", "firing", "resolved"] as const;
export type AlertStateName = (typeof ALERT_STATES)[number];

/** What became of the points of a failed InfluxDB write (store/influx-writer.ts). */
export type InfluxFailureAction = "retry" | "split" | "drop" | "spill";
const INFLUX_FAILURE_ACTIONS: readonly InfluxFailureAction[] = ["retry", "split", "drop", "spill"];

/** The per-source deadman's feeds (aggregate/feed-watch.ts). */
export interface FeedCounts {
  watched: number;
  stalled: number;
}

/** What a store holds back from an external database (the InfluxDB store's write buffer). */
export interface WriteBacklog {
  buffered: number;
  spilled: number;
}

const untimed = (): void => {};

export class Metrics {
  readonly registry = new Registry();

  private readonly ingested = new Counter({
    name: "tocsin_mentions_ingested_total",
    help: "Mentions accepted and counted into a window.",
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: "tocsin_mentions_rejected_total",
    help: "Mentions refused at the edge, by reason.",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  private readonly late = new Counter({
    name: "tocsin_mentions_late_total",
    help: "Mentions that arrived after their window had closed (beyond the allowed lateness).",
    registers: [this.registry],
  });
  private readonly duplicates = new Counter({
    name: "tocsin_mentions_duplicate_total",
    help: "Mentions dropped because their id was seen recently.",
    registers: [this.registry],
  });
  private readonly classified = new Counter({
    name: "tocsin_mentions_classified_total",
    help: "Mentions classified, by the path that gave their sentiment.",
    labelNames: ["source"] as const,
    registers: [this.registry],
  });
  private readonly windowsClosed = new Counter({
    name: "tocsin_windows_closed_total",
    help: "Event-time windows closed.",
    registers: [this.registry],
  });
  private readonly seriesKeys = new Gauge({
    name: "tocsin_series_keys",
    help: "Series keys (brand x channel, and brand x all) being aggregated.",
    registers: [this.registry],
  });
  private readonly seriesFoldedCount = new Counter({
    name: "tocsin_series_folded_total",
    help: "Mentions counted under channel `other` because their brand already had ingest.max_channels_per_brand channels.",
    // Brands are the tracked ones; the folding is what keeps the channel label bounded.
    labelNames: ["brand"] as const,
    registers: [this.registry],
  });

  private readonly notifications = new Counter({
    name: "tocsin_notifications_total",
    help: "Notification send attempts by receiver and outcome: sent, retried (will be tried again), failed (given up).",
    labelNames: ["receiver", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly pagesHeld = new Counter({
    name: "tocsin_pages_held_total",
    help: "Alerts whose pages started being held, by reason: silence, inhibition, mute_window.",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  private readonly ruleEvaluation = new Histogram({
    name: "tocsin_rule_evaluation_duration_seconds",
    help: "Time to run every rule on one closed window: detectors, alert lifecycle and learning.",
    // Per window, not per rule: one evaluation judges every rule on every series of the window, and
    // that is what must keep up with the windows. Rule names are a bounded set, but a per-rule label
    // would cost a timer per (rule, series) and leave stale series behind each reload's renames; the
    // rule-level detail is in the traces (tocsin.rules.evaluate). Buckets span a few series (tens of
    // µs) to thousands of series x rules (seconds).
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly influxWriteFailures = new Counter({
    name: "tocsin_influx_write_failures_total",
    help: "Failures on the way to InfluxDB, by what became of the points: retry (sent again after a backoff), split (sent again in halves), drop (refused by InfluxDB, given up), spill (the spill file failed; retried).",
    labelNames: ["action"] as const,
    registers: [this.registry],
  });

  private outboxDepthOf: () => number = () => 0;
  private alertsOf: () => readonly { state: AlertStateName }[] = () => [];
  private backlogOf: () => WriteBacklog | undefined = () => undefined;
  private readonly outboxDepth: Gauge = new Gauge({
    name: "tocsin_outbox_depth",
    help: "Notifications written to the outbox and not yet delivered nor given up on.",
    registers: [this.registry],
    collect: (): void => this.outboxDepth.set(this.outboxDepthOf()),
  });
  private readonly alertsByState: Gauge<"state"> = new Gauge({
    name: "tocsin_alerts",
    help: "Alerts known to the engine by state: pending and firing episodes, and the resolved ones kept in history (alerts.history).",
    labelNames: ["state"] as const,
    registers: [this.registry],
    collect: (): void => {
      const counts = { pending: 0, firing: 0, resolved: 0 };
      for (const alert of this.alertsOf()) counts[alert.state] += 1;
      for (const state of ALERT_STATES) this.alertsByState.set({ state }, counts[state]);
    },
  });
  /** Kept beside tocsin_alerts{state="firing"}: the one-line page-me expression `tocsin_alerts_firing > 0`. */
  private readonly alertsFiring: Gauge = new Gauge({
    name: "tocsin_alerts_firing",
    help: 'Alerts firing now (the same as tocsin_alerts{state="firing"}).',
    registers: [this.registry],
    collect: (): void => {
      this.alertsFiring.set(this.alertsOf().filter((alert) => alert.state === "firing").length);
    },
  });
  private readonly influxBuffered: Gauge = new Gauge({
    name: "tocsin_influx_buffered_points",
    help: "Points held in memory waiting to be written to InfluxDB (0 with the memory store).",
    registers: [this.registry],
    collect: (): void => this.influxBuffered.set(this.backlogOf()?.buffered ?? 0),
  });
  private readonly influxSpilled: Gauge = new Gauge({
    name: "tocsin_influx_spilled_points",
    help: "Points spilled to disk waiting to be written to InfluxDB, when the memory buffer is full (0 with the memory store).",
    registers: [this.registry],
    collect: (): void => this.influxSpilled.set(this.backlogOf()?.spilled ?? 0),
  });

  private feedsOf: () => FeedCounts = () => ({ watched: 0, stalled: 0 });
  private readonly feedsWatched: Gauge = new Gauge({
    name: "tocsin_feeds_watched",
    help: "(brand, channel) feeds whose learned profile lets the deadman tell their silence from a quiet hour.",
    registers: [this.registry],
    collect: (): void => this.feedsWatched.set(this.feedsOf().watched),
  });
  private readonly feedsStalled: Gauge = new Gauge({
    name: "tocsin_feeds_stalled",
    help: "Watched feeds stalled now (a FeedStalled alert fires for each).",
    registers: [this.registry],
    collect: (): void => this.feedsStalled.set(this.feedsOf().stalled),
  });

  /** False for registries nobody scrapes (backtests): see the constructor's `scraped`. */
  private readonly perWindow: boolean;

  /**
   * `scraped: false` drops the updates made on every closed window (the windows counter, the series
   * gauge, the rule-evaluation timer): a backtest closes one window per point and never serves the
   * registry, and the timer's clock reads and histogram were a twentieth of its time.
   */
  constructor(options: { defaultMetrics?: boolean; scraped?: boolean } = {}) {
    this.perWindow = options.scraped !== false;
    // Process, heap, GC and event-loop metrics; the event-loop lag comes both as a probe
    // (nodejs_eventloop_lag_seconds) and as percentiles of perf_hooks' delay histogram since the last
    // scrape (nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds).
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    // Zeros from the start: `increase()` and "> 0" alerts then see the first failure.
    for (const action of INFLUX_FAILURE_ACTIONS) this.influxWriteFailures.inc({ action }, 0);
  }

  mentionsIngested(count: number): void {
    if (count > 0) this.ingested.inc(count);
  }
  mentionRejected(reason: RejectReason, count = 1): void {
    if (count > 0) this.rejected.inc({ reason }, count);
  }
  mentionsLate(count: number): void {
    if (count > 0) this.late.inc(count);
  }
  mentionsDuplicate(count: number): void {
    if (count > 0) this.duplicates.inc(count);
  }
  mentionsClassified(source: "provider" | "lexicon", count: number): void {
    if (count > 0) this.classified.inc({ source }, count);
  }
  windowClosed(seriesKeys: number): void {
    if (!this.perWindow) return;
    this.windowsClosed.inc();
    this.seriesKeys.set(seriesKeys);
  }
  seriesFolded(brand: string, count = 1): void {
    if (count > 0) this.seriesFoldedCount.inc({ brand }, count);
  }
  /** Receiver names come from tocsin.yaml: a bounded set. */
  notification(receiver: string, outcome: "sent" | "retried" | "failed"): void {
    this.notifications.inc({ receiver, outcome });
  }
  /** Starts timing one window's rule evaluation; call the result when it is done. */
  ruleEvaluationStarted(): () => void {
    if (!this.perWindow) return untimed;
    const end = this.ruleEvaluation.startTimer();
    return () => void end();
  }
  influxWriteFailed(action: InfluxFailureAction): void {
    this.influxWriteFailures.inc({ action });
  }
  pageHeld(reason: "silence" | "inhibition" | "mute_window"): void {
    this.pagesHeld.inc({ reason });
  }
  /** Read at scrape time. */
  watchOutboxDepth(depth: () => number): void {
    this.outboxDepthOf = depth;
  }
  /** Every alert known, open and recently ended; counted by state at scrape time. */
  watchAlerts(list: () => readonly { state: AlertStateName }[]): void {
    this.alertsOf = list;
  }
  /** The store's write backlog, read at scrape time; undefined for stores without one. */
  watchWriteBacklog(backlog: () => WriteBacklog | undefined): void {
    this.backlogOf = backlog;
  }
  /** The feeds watched and stalled, read at scrape time. */
  watchFeeds(counts: () => FeedCounts): void {
    this.feedsOf = counts;
  }
}
