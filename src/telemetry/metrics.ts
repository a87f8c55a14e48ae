// Every Prometheus metric Tocsin exposes, declared in one place and updated through small named
// functions, so stages never touch prom-client and no label takes unbounded values.
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

export type RejectReason = "invalid_json" | "invalid_mention" | "too_far_in_future" | "line_too_long";

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
  private outboxDepthOf: () => number = () => 0;
  private firingAlertsOf: () => number = () => 0;
  private readonly outboxDepth: Gauge = new Gauge({
    name: "tocsin_outbox_depth",
    help: "Notifications written to the outbox and not yet delivered nor given up on.",
    registers: [this.registry],
    collect: (): void => this.outboxDepth.set(this.outboxDepthOf()),
  });
  private readonly alertsFiring: Gauge = new Gauge({
    name: "tocsin_alerts_firing",
    help: "Alerts firing now.",
    registers: [this.registry],
    collect: (): void => this.alertsFiring.set(this.firingAlertsOf()),
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
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
    this.windowsClosed.inc();
    this.seriesKeys.set(seriesKeys);
  }
  /** Receiver names come from tocsin.yaml: a bounded set. */
  notification(receiver: string, outcome: "sent" | "retried" | "failed"): void {
    this.notifications.inc({ receiver, outcome });
  }
  pageHeld(reason: "silence" | "inhibition" | "mute_window"): void {
    this.pagesHeld.inc({ reason });
  }
  /** Read at scrape time. */
  watchOutboxDepth(depth: () => number): void {
    this.outboxDepthOf = depth;
  }
  watchFiringAlerts(count: () => number): void {
    this.firingAlertsOf = count;
  }
}
