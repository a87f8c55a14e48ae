// The durable outbox: every notification is journalled before it is sent, sent in order per incident
// and receiver (one in flight each, incidents in parallel), retried by a RetryPolicy, and its first
// receipt threads the incident's later messages. After a restart, `open()` sends what was pending.
//
// Delivery is at least once. A message whose send succeeded is re-sent once after a restart only if
// the process died between the channel's answer and the fsync of its "done" record: the window is one
// send's answer plus one group commit (a write and an fsync, shared with the tick's other records). The
// channels narrow it further: Slack updates the thread, PagerDuty dedups on its key, webhooks carry an
// Idempotency-Key.
import { join } from "node:path";
import type { Clock } from "../util/clock.js";
import { Journal } from "../util/journal.js";
import type { Notification, Notifier, SendResult } from "./notifier.js";
import { timerScheduler } from "./outbox-scheduler.js";
import type { Scheduler } from "./outbox-scheduler.js";
import { OutboxState, incidentKey } from "./outbox-state.js";
import type { OutboxEntry, OutboxRecord } from "./outbox-state.js";
import { RetryPolicy } from "./retry-policy.js";
import { tracedSend } from "./send-span.js";

export type OutboxLog = (
  level: "info" | "warn" | "error",
  message: string,
  fields: Record<string, unknown>,
) => void;

export interface OutboxOptions {
  /** Directory of the journal (outbox.jsonl). */
  dir: string;
  notifiers: ReadonlyMap<string, Notifier>;
  clock: Clock;
  /** In [0, 1); the retry jitter. Default Math.random. */
  random?: () => number;
  policy?: RetryPolicy;
  scheduler?: Scheduler;
  log?: OutboxLog;
  /** Told of each attempt's outcome (metrics). */
  onOutcome?: (receiver: string, outcome: keyof OutboxCounters) => void;
  /** Rewrite the journal once it holds this many records, at least `doneFraction` of them spent. */
  compaction?: { minRecords: number; doneFraction: number };
}

export interface OutboxCounters {
  sent: number;
  /** Given up on: not retryable, too many attempts, or too old. */
  failed: number;
  /** Failed attempts that will be tried again. */
  retried: number;
}

interface IncidentQueue {
  key: string;
  seqs: number[];
  busy: boolean;
  cancelTimer?: () => void;
}

export class Outbox {
  readonly counters: OutboxCounters = { sent: 0, failed: 0, retried: 0 };
  private readonly journal: Journal<OutboxRecord>;
  private readonly state = new OutboxState();
  private readonly queues = new Map<string, IncidentQueue>();
  private readonly random: () => number;
  private readonly policy: RetryPolicy;
  private readonly scheduler: Scheduler;
  private readonly log: OutboxLog;
  private readonly compaction: { minRecords: number; doneFraction: number };
  private status: "new" | "open" | "closed" = "new";
  /** Sends and enqueues under way; the outbox is quiet when none are. */
  private active = 0;
  private quietWaiters: (() => void)[] = [];
  private compacting = false;

  constructor(private readonly options: OutboxOptions) {
    this.journal = new Journal(join(options.dir, "outbox.jsonl"));
    this.random = options.random ?? Math.random;
    this.policy = options.policy ?? new RetryPolicy();
    this.scheduler = options.scheduler ?? timerScheduler;
    this.log = options.log ?? (() => {});
    this.compaction = options.compaction ?? { minRecords: 1_000, doneFraction: 0.5 };
  }

  /** Replays the journal and starts sending what it left pending. */
  async open(): Promise<void> {
    if (this.status !== "new") throw new Error("outbox already opened");
    const { records, tornBytes } = await this.journal.open();
    if (tornBytes > 0) {
      this.log("warn", "dropped the torn last line of the outbox journal", { tornBytes });
    }
    for (const record of records) this.state.apply(record);
    this.status = "open";
    const pending = this.state.pending();
    if (pending.length > 0) this.log("info", "resuming pending notifications", { count: pending.length });
    for (const entry of pending) this.queue(entry);
    for (const queue of [...this.queues.values()]) this.run(queue);
  }

  /**
   * Resolves with the entry's sequence number once it is on disk; sending follows. A page whose key
   * this receiver's journal already holds is not journalled again: resolves with undefined.
   */
  async enqueue(receiver: string, notification: Notification): Promise<number | undefined> {
    if (this.status !== "open") throw new Error("outbox is not open");
    if (!this.options.notifiers.has(receiver)) throw new Error(`no receiver named "${receiver}"`);
    if (notification.key !== undefined && this.state.hasKey(receiver, notification.key)) {
      this.log("info", "page already journalled; not sent again", { receiver, key: notification.key });
      return undefined;
    }
    const record: OutboxRecord = {
      t: "enqueue",
      seq: this.state.nextSeq,
      at: this.options.clock.now(),
      receiver,
      incident: notification.alert.id,
      notification,
    };
    this.active += 1;
    try {
      await this.record(record);
      const entry = this.state.entries.get(record.seq);
      if (entry !== undefined && this.status === "open") {
        const queue = this.queue(entry);
        this.run(queue);
      }
      return record.seq;
    } finally {
      this.active -= 1;
      this.checkQuiet();
    }
  }

  /** Messages not yet delivered nor given up on. */
  depth(): number {
    return this.state.entries.size;
  }

  /** Resolves when every record so far is on disk. */
  flush(): Promise<void> {
    return this.journal.flush();
  }

  /** Resolves when nothing is being sent or enqueued; what remains waits on a retry timer. */
  async quiet(): Promise<void> {
    while (this.active > 0) await new Promise<void>((resolve) => this.quietWaiters.push(resolve));
    await this.journal.flush();
  }

  /** Waits up to `timeoutMs` (on the scheduler) for every message to be delivered or given up on. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timedOut = false;
    let wake: () => void = () => {};
    const cancel = this.scheduler.schedule(timeoutMs, () => {
      timedOut = true;
      wake();
    });
    try {
      while (!timedOut && (this.depth() > 0 || this.active > 0)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          this.quietWaiters.push(resolve);
        });
      }
    } finally {
      cancel();
    }
    await this.journal.flush();
    return this.depth() === 0;
  }

  /** Stops sending, waits for sends under way to be recorded, and closes the journal. */
  async close(): Promise<void> {
    if (this.status === "closed") return;
    this.status = "closed";
    for (const queue of this.queues.values()) queue.cancelTimer?.();
    await this.quiet();
    await this.journal.close();
  }

  private queue(entry: OutboxEntry): IncidentQueue {
    const key = incidentKey(entry.receiver, entry.incident);
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = { key, seqs: [], busy: false };
      this.queues.set(key, queue);
    }
    let index = queue.seqs.length;
    while (index > 0 && (queue.seqs[index - 1] ?? 0) > entry.seq) index -= 1;
    queue.seqs.splice(index, 0, entry.seq);
    return queue;
  }

  /** Sends the queue's head unless one is in flight or waiting to be retried. */
  private run(queue: IncidentQueue): void {
    if (this.status !== "open" || this.journal.failure !== undefined) return;
    if (queue.busy || queue.cancelTimer !== undefined) return;
    const seq = queue.seqs[0];
    if (seq === undefined) {
      this.queues.delete(queue.key);
      return;
    }
    queue.busy = true;
    this.active += 1;
    this.attempt(queue, seq)
      .catch((error: unknown) => this.log("error", "outbox send path failed", { seq, error: String(error) }))
      .finally(() => {
        queue.busy = false;
        this.active -= 1;
        this.run(queue);
        this.checkQuiet();
      });
  }

  private async attempt(queue: IncidentQueue, seq: number): Promise<void> {
    const entry = this.state.entries.get(seq);
    if (entry === undefined) {
      queue.seqs.shift();
      return;
    }
    const result = await this.send(entry, queue.key);
    const fields = { seq, receiver: entry.receiver, incident: entry.incident };
    if (result.ok) {
      await this.record({ t: "done", seq, ...(result.receipt && { receipt: result.receipt }) });
      this.count(entry.receiver, "sent");
      queue.seqs.shift();
      this.maybeCompact();
      return;
    }
    const attempts = entry.attempts + 1;
    const decision = this.policy.decide(
      { ...result, attempts, ageMs: this.options.clock.now() - entry.at },
      this.random,
    );
    await this.record({ t: "failed", seq, error: result.error, attempts, fatal: !decision.retry });
    if (decision.retry) {
      this.count(entry.receiver, "retried");
      // Closed meanwhile: the entry stays pending in the journal for the next open.
      if (this.status !== "open") return;
      this.log("warn", "notification failed, will retry", {
        ...fields,
        attempts,
        delayMs: decision.delayMs,
        error: result.error,
      });
      queue.cancelTimer = this.scheduler.schedule(decision.delayMs, () => {
        queue.cancelTimer = undefined;
        this.run(queue);
      });
      return;
    }
    this.count(entry.receiver, "failed");
    queue.seqs.shift();
    this.log("error", "notification given up", {
      ...fields,
      attempts,
      reason: decision.reason,
      error: result.error,
    });
    this.maybeCompact();
  }

  private async send(entry: OutboxEntry, key: string): Promise<SendResult> {
    const notifier = this.options.notifiers.get(entry.receiver);
    if (notifier === undefined) {
      return { ok: false, retryable: false, error: `no receiver named "${entry.receiver}"` };
    }
    const thread = this.state.threads.get(key) ?? entry.notification.thread;
    const notification = thread === undefined ? entry.notification : { ...entry.notification, thread };
    return tracedSend(entry.receiver, notification, entry.attempts + 1, async () => {
      try {
        return await notifier.send(notification);
      } catch (error) {
        // A notifier should report, not throw; treat a throw as a transient failure.
        return { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
      }
    });
  }

  /** The in-memory state moves with the append, so a compaction snapshot always includes it. */
  private record(record: OutboxRecord): Promise<void> {
    this.state.apply(record);
    return this.journal.append(record);
  }

  private maybeCompact(): void {
    const total = this.journal.records;
    const { minRecords, doneFraction } = this.compaction;
    if (this.compacting || total < minRecords) return;
    if (1 - this.state.snapshotSize() / total < doneFraction) return;
    this.compacting = true;
    this.journal
      .compact(() => this.state.snapshot())
      .then(() =>
        this.log("info", "compacted the outbox journal", { before: total, after: this.journal.records }),
      )
      .catch((error: unknown) => this.log("error", "outbox compaction failed", { error: String(error) }))
      .finally(() => {
        this.compacting = false;
      });
  }

  private count(receiver: string, outcome: keyof OutboxCounters): void {
    this.counters[outcome] += 1;
    this.options.onOutcome?.(receiver, outcome);
  }

  private checkQuiet(): void {
    if (this.active > 0) return;
    const waiters = this.quietWaiters;
    this.quietWaiters = [];
    for (const wake of waiters) wake();
  }
}
