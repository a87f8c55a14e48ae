// The sending side of paging: the receivers of tocsin.yaml, built through the notifier registry, and
// the durable outbox every page goes through. The alert is copied when the page is journalled: the
// page says what was true when it was decided, whatever the live alert becomes before it is sent.
import type { Clock } from "../util/clock.js";
import { systemClock } from "../util/clock.js";
import type { Notification, Notifier } from "./notifier.js";
import { Outbox } from "./outbox.js";
import type { OutboxCounters, OutboxLog } from "./outbox.js";
import { notifierByType } from "./registry.js";
import type { RetryPolicy } from "./retry-policy.js";

/** A receiver of tocsin.yaml: `type` picks the channel, the rest is its validated config. */
export type ReceiverConfig = Readonly<Record<string, unknown>>;

export interface DeliveryOptions {
  receivers: Readonly<Record<string, ReceiverConfig>>;
  /** Directory of the outbox journal. */
  dir: string;
  /** Wall time for retry ages: a replay's event-time clock would age pages by days in seconds. */
  clock?: Clock;
  log?: OutboxLog;
  policy?: RetryPolicy;
  onOutcome?: (receiver: string, outcome: keyof OutboxCounters) => void;
}

export class Delivery {
  readonly notifiers: ReadonlyMap<string, Notifier>;
  private readonly outbox: Outbox;

  constructor(options: DeliveryOptions) {
    this.notifiers = createReceivers(options.receivers);
    this.outbox = new Outbox({
      dir: options.dir,
      notifiers: this.notifiers,
      clock: options.clock ?? systemClock,
      ...(options.log ? { log: options.log } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    });
  }

  /** Replays the journal: pages left pending by the last run go out now. */
  open(): Promise<void> {
    return this.outbox.open();
  }

  /** Resolves once the page is on disk; sending, retries and threading follow in the outbox. */
  send(receiver: string, notification: Notification): Promise<number | undefined> {
    return this.outbox.enqueue(receiver, { ...notification, alert: structuredClone(notification.alert) });
  }

  depth(): number {
    return this.outbox.depth();
  }

  /** Waits up to `timeoutMs` for every page to be delivered or given up on. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.outbox.drain(timeoutMs);
  }

  async close(): Promise<void> {
    await this.outbox.close();
    await Promise.all([...this.notifiers.values()].map((notifier) => notifier.close?.()));
  }
}

export function createReceivers(receivers: Readonly<Record<string, ReceiverConfig>>): Map<string, Notifier> {
  return new Map(Object.entries(receivers).map(([name, config]) => [name, createReceiver(name, config)]));
}

/** One receiver of tocsin.yaml, built through the notifier registry (the engine and the CLI alike). */
export function createReceiver(name: string, config: ReceiverConfig): Notifier {
  const type = String(config.type);
  const definition = notifierByType(type);
  // The config schema is assembled from the same registry: a parsed config has no other type.
  if (!definition) throw new Error(`receiver "${name}" has unknown type "${type}"`);
  return definition.create(config, { name });
}
