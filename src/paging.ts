// Paging, wired: silences (always, so the API can hold pages before any route exists), and with a
// `route` in tocsin.yaml the dispatcher (routing, grouping, muting, escalation) feeding the durable
// outbox of the configured receivers. The engine hands it alert events and `now`; nothing here reads
// a clock or knows a channel.
import { join } from "node:path";
import { Dispatcher } from "./alerting/dispatcher.js";
import type { DispatcherState, Page } from "./alerting/dispatcher.js";
import type { MuteReason } from "./alerting/muter.js";
import { Muter } from "./alerting/muter.js";
import { SilenceBook } from "./alerting/silence-book.js";
import type { Silence, SilenceState } from "./alerting/silences.js";
import type { Config } from "./config/schema.js";
import type { Alert, AlertEvent } from "./model/index.js";
import { Delivery } from "./notify/delivery.js";
import { RetryPolicy } from "./notify/retry-policy.js";
import type { Logger } from "./telemetry/logger.js";
import type { Metrics } from "./telemetry/metrics.js";
import { AlertTraces } from "./telemetry/tracing.js";

export interface PagerOptions {
  config: Config;
  /** Leave the receivers and the route unused (backtests: nobody is paged about history). */
  paging: boolean;
  /** Every alert known, open and recently ended. */
  alerts: () => readonly Alert[];
  logger: Logger;
  metrics: Metrics;
}

export type SilenceView = Silence & { state: SilenceState };

export class Pager {
  /** Each alert's latest transition span, the parent of the pages it causes (sent later, by the outbox). */
  private readonly traces = new AlertTraces();

  private constructor(
    private readonly silenceBook: SilenceBook,
    private readonly routing: { dispatcher: Dispatcher; delivery: Delivery } | undefined,
    private readonly logger: Logger,
  ) {}

  /** Loads the silences; with a route, opens the outbox, whose pending pages go out now. */
  static async open(options: PagerOptions): Promise<Pager> {
    const { config, logger, metrics } = options;
    const file = config.alerts.silences;
    const silenceBook = await SilenceBook.open(file ? join(config.data_dir, file) : undefined);
    if (!config.route || !options.paging) return new Pager(silenceBook, undefined, logger);
    const dispatcher = new Dispatcher({
      route: config.route,
      muter: new Muter({
        silences: silenceBook.silences,
        inhibitRules: config.inhibit_rules,
        muteWindows: config.time_intervals,
      }),
      silences: silenceBook.silences,
      alerts: options.alerts,
      onHeld: (alert, reason) => {
        metrics.pageHeld(reason.kind);
        logger.info({ alert: alert.id, reason }, `pages of ${alert.name} held: ${describeHold(reason)}`);
      },
    });
    const delivery = new Delivery({
      receivers: config.receivers,
      dir: join(config.data_dir, "outbox"),
      log: (level, message, fields) => logger[level](fields, message),
      policy: new RetryPolicy({
        baseMs: config.outbox.retry_initial,
        maxMs: config.outbox.retry_max,
        maxAgeMs: config.outbox.give_up_after,
      }),
      onOutcome: (receiver, outcome) => metrics.notification(receiver, outcome),
    });
    await delivery.open();
    metrics.watchOutboxDepth(() => delivery.depth());
    return new Pager(silenceBook, { dispatcher, delivery }, logger);
  }

  /** Takes in a lifecycle event; its pages go out at the next `dispatch`. */
  observe(event: AlertEvent, now: number): void {
    if (!this.routing) return;
    this.traces.remember(event.alert.id);
    this.routing.dispatcher.observe(event, now);
  }

  /** Journals the pages due now; `final` at the end of a finite replay tells every group at once. */
  dispatch(now: number, options: { final?: boolean } = {}): void {
    if (this.routing) this.deliver(this.routing.dispatcher.tick(now, options));
  }

  /** Tells everyone paged about the alert (already marked acknowledged) and stops its escalation. */
  acknowledged(alert: Alert): void {
    if (!this.routing) return;
    this.traces.remember(alert.id);
    this.deliver(this.routing.dispatcher.acknowledge(alert));
  }

  /** The routing decisions so far (groups, incidents, escalations), for the engine's snapshot. */
  save(): DispatcherState | undefined {
    return this.routing?.dispatcher.save();
  }

  restore(state: DispatcherState): void {
    this.routing?.dispatcher.restore(state);
  }

  heldReason(alertId: string): MuteReason | undefined {
    return this.routing?.dispatcher.heldReason(alertId);
  }

  listSilences(now: number): SilenceView[] {
    return this.silenceBook.silences.list(now);
  }

  addSilence(input: unknown, now: number): ReturnType<SilenceBook["add"]> {
    return this.silenceBook.add(input, now);
  }

  expireSilence(id: string, now: number): Promise<boolean> {
    return this.silenceBook.expire(id, now);
  }

  /** Waits up to `timeoutMs` for every journalled page to be delivered or given up on. */
  async drain(timeoutMs: number): Promise<boolean> {
    return (await this.routing?.delivery.drain(timeoutMs)) ?? true;
  }

  /** Stops sending; pages not yet delivered stay in the journal for the next start. */
  async close(): Promise<void> {
    await this.routing?.delivery.close();
  }

  /** Journals each page in order; the outbox sends them in order per incident and receiver. */
  private deliver(pages: readonly Page[]): void {
    const delivery = this.routing?.delivery;
    if (!delivery) return;
    for (const { receiver, event, alert, note, key } of pages) {
      const trace = this.traces.of(alert.id);
      delivery
        .send(receiver, {
          event,
          alert,
          key,
          ...(note === undefined ? {} : { note }),
          ...(trace === undefined ? {} : { trace }),
        })
        .catch((error: unknown) =>
          this.logger.error(
            { err: error, receiver, alert: alert.id, event },
            "page could not be written to the outbox",
          ),
        );
    }
  }
}

function describeHold(reason: MuteReason): string {
  if (reason.kind === "silence")
    return `silence ${reason.id} by ${reason.createdBy} until ${new Date(reason.until).toISOString()}`;
  if (reason.kind === "inhibition") return `inhibited by ${reason.by} (${reason.name})`;
  return reason.outsideActive ? `outside active time ${reason.name}` : `mute window ${reason.name}`;
}
