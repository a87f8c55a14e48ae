// Gets every point to InfluxDB, in order, exactly once, whatever the server does: points wait in a
// bounded memory queue, go out in batches, are retried with backoff, spill to disk when memory is full
// and are sent from disk first when the server is back. A batch leaves the queue (or the spill file)
// only after a 2xx. One loop makes every move, so sending, spilling and committing never interleave;
// add() only appends and wakes it, so detection never waits on InfluxDB.
import type { LineTransport } from "./influx-http.js";
import type { BackoffOptions } from "../util/backoff.js";
import { backoffDelay } from "../util/backoff.js";
import type { Step, WriterLimits } from "./influx-schedule.js";
import { failureAction, nextStep } from "./influx-schedule.js";
import type { SpillFile } from "./influx-spill.js";
import type { StoreBacklog } from "./series-store.js";

export interface InfluxWriterOptions extends WriterLimits {
  transport: LineTransport;
  spill: SpillFile;
  backoff: BackoffOptions;
  /** How long close() keeps sending before it spills the rest. */
  closeTimeoutMs: number;
  /** Told of every failed write or spill (metrics, logs). */
  onWriteFailed?: (failure: InfluxWriteFailure) => void;
  /** In [0, 1), for jitter; Math.random by default. */
  random?: () => number;
}

export interface InfluxWriteFailure {
  /** retry: sent again after `retryInMs`; split: sent again in halves; drop: rejected by the server,
   * given up; spill: the spill file could not be written (retried). */
  action: "retry" | "split" | "drop" | "spill";
  /** Points in the batch (or being spilled). */
  points: number;
  /** HTTP status, when the server answered. */
  status?: number;
  message: string;
  /** Consecutive failures of this batch. */
  attempt: number;
  retryInMs?: number;
}

/** Counters since start, for metrics. */
export interface InfluxWriteStats {
  /** Points InfluxDB acknowledged (2xx). */
  written: number;
  /** Write requests that failed (each retry counts). */
  failedWrites: number;
  /** Points given up: rejected by InfluxDB (400/422), or no room left while the spill file failed. */
  dropped: number;
  /** Points moved from memory to the spill file. */
  spilled: number;
  /** Spill file reads, appends or commits that failed. */
  spillErrors: number;
}

export class InfluxWriter {
  private queue: string[] = [];
  private head = 0;
  private pendingSince: number | undefined;
  private retryAt: number | undefined;
  private spillRetryAt: number | undefined;
  private deadline: number | undefined;
  private attempts = 0;
  private spillAttempts = 0;
  private batchLimit: number;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** persist() calls waiting for the loop to spill what memory holds. */
  private persistWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private readonly random: () => number;
  private readonly counters: InfluxWriteStats = {
    written: 0,
    failedWrites: 0,
    dropped: 0,
    spilled: 0,
    spillErrors: 0,
  };

  constructor(private readonly options: InfluxWriterOptions) {
    this.batchLimit = options.batchSize;
    this.random = options.random ?? Math.random;
  }

  /** Points in memory, not yet acknowledged. */
  get memory(): number {
    return this.queue.length - this.head;
  }

  backlog(): StoreBacklog {
    return { buffered: this.memory, spilled: this.options.spill.pending };
  }

  stats(): InfluxWriteStats {
    return { ...this.counters };
  }

  /** Starts sending (the spill file must be open). */
  start(): void {
    this.loop ??= this.run();
  }

  /** Queues points; returns at once. */
  add(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const wasEmpty = this.memory === 0;
    if (wasEmpty) this.pendingSince = Date.now();
    for (const line of lines) this.queue.push(line);
    // Wake the loop to start the flush interval, send a full batch, or spill.
    if (wasEmpty || this.memory >= this.batchLimit || this.memory > this.options.bufferPoints) this.poke();
  }

  /**
   * Resolves once every point queued so far is written or in the spill file: the engine cuts its
   * write-ahead log at each snapshot, after which a point still in memory would die with the process.
   * Rejects when the spill file cannot take them (the log is then kept).
   */
  persist(): Promise<void> {
    if (!this.loop || this.deadline !== undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.persistWaiters.push({ resolve, reject });
      this.poke();
    });
  }

  /** Resolves once nothing is left on disk, after `ms`, or as soon as a write fails. */
  async settle(ms: number): Promise<void> {
    const until = Date.now() + ms;
    const failed = this.counters.failedWrites;
    while (this.options.spill.pending > 0 && this.counters.failedWrites === failed && Date.now() < until) {
      await sleep(Math.min(20, until - Date.now()));
    }
  }

  /** Sends what it can for up to closeTimeoutMs, spills the rest and stops. */
  async close(): Promise<void> {
    this.deadline = Date.now() + this.options.closeTimeoutMs;
    if (!this.loop) {
      this.loop = this.finish();
    } else this.poke();
    await this.loop;
    this.options.transport.close();
  }

  private poke(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.persistWaiters.length > 0) {
        // Between steps, so no send of these points is in flight.
        const waiters = this.persistWaiters.splice(0);
        const kept = this.memory === 0 || (await this.spill(this.memory));
        const error = new Error("the InfluxDB spill file could not take the points in memory");
        for (const waiter of waiters) {
          if (kept) waiter.resolve();
          else waiter.reject(error);
        }
        continue;
      }
      const step: Step = nextStep(
        {
          now: Date.now(),
          memory: this.memory,
          spilled: this.options.spill.pending,
          ...(this.pendingSince === undefined ? {} : { pendingSince: this.pendingSince }),
          ...(this.retryAt === undefined ? {} : { retryAt: this.retryAt }),
          ...(this.spillRetryAt === undefined ? {} : { spillRetryAt: this.spillRetryAt }),
          ...(this.deadline === undefined ? {} : { deadline: this.deadline }),
        },
        { ...this.options, batchSize: this.batchLimit },
      );
      if (step.kind === "done") return this.finish();
      try {
        if (step.kind === "wait") await this.idle(step.ms);
        else if (step.kind === "spill") await this.spill(step.count);
        else await this.send(step.from, step.count);
      } catch (error) {
        // Reading or committing the spill file failed: report it and try again after a pause.
        await sleep(this.diskFailed(0, error));
      }
    }
  }

  private async send(from: "spill" | "memory", count: number): Promise<void> {
    const spill = this.options.spill;
    const batch = from === "spill" ? await spill.read(count) : undefined;
    const lines = batch ? batch.lines : this.queue.slice(this.head, this.head + count);
    const result = lines.length > 0 ? await this.options.transport.write(lines) : { ok: true as const };
    if (result.ok) {
      this.counters.written += lines.length;
      this.attempts = 0;
      this.retryAt = undefined;
      if (batch) await spill.commit(batch);
      else this.take(count);
      return;
    }
    this.counters.failedWrites += 1;
    this.attempts += 1;
    const action = failureAction(result.status, lines.length);
    const failure = {
      action,
      points: lines.length,
      message: result.message,
      attempt: this.attempts,
      ...(result.status === undefined ? {} : { status: result.status }),
    };
    if (action === "drop") {
      this.counters.dropped += lines.length;
      this.attempts = 0;
      if (batch) await spill.commit(batch);
      else this.take(count);
      this.options.onWriteFailed?.(failure);
    } else if (action === "split") {
      this.batchLimit = Math.max(1, Math.floor(lines.length / 2));
      this.options.onWriteFailed?.(failure);
    } else {
      const delay = backoffDelay(this.attempts, this.options.backoff, this.random, result.retryAfterMs);
      this.retryAt = Date.now() + delay;
      this.options.onWriteFailed?.({ ...failure, retryInMs: delay });
    }
  }

  /** Moves the oldest `count` points of memory to disk; they leave memory once they are on it. */
  private async spill(count: number): Promise<boolean> {
    const lines = this.queue.slice(this.head, this.head + count);
    try {
      await this.options.spill.append(lines);
    } catch (error) {
      const delay = this.diskFailed(lines.length, error);
      this.spillRetryAt = Date.now() + delay;
      // Memory stays bounded even when the disk fails: past twice the buffer, the oldest go.
      const excess = this.memory - 2 * this.options.bufferPoints;
      if (excess > 0) {
        this.counters.dropped += excess;
        this.take(excess);
      }
      return false;
    }
    this.spillAttempts = 0;
    this.spillRetryAt = undefined;
    this.counters.spilled += lines.length;
    this.take(count);
    return true;
  }

  /** Counts and reports a spill file failure; returns how long to wait before the next try. */
  private diskFailed(points: number, error: unknown): number {
    this.counters.spillErrors += 1;
    this.spillAttempts += 1;
    const delay = backoffDelay(this.spillAttempts, this.options.backoff, this.random);
    this.options.onWriteFailed?.({
      action: "spill",
      points,
      message: error instanceof Error ? error.message : String(error),
      attempt: this.spillAttempts,
      retryInMs: delay,
    });
    return delay;
  }

  /** Closing: whatever is still in memory goes to disk for the next start. */
  private async finish(): Promise<void> {
    if (this.memory > 0 && !(await this.spill(this.memory))) this.counters.dropped += this.memory;
    for (const waiter of this.persistWaiters.splice(0)) waiter.resolve();
    await this.options.spill.close();
  }

  private take(count: number): void {
    this.head += count;
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
      this.pendingSince = undefined;
    } else if (this.head > 4_096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Sleeps `ms` (forever when undefined) or until add() or close() pokes. */
  private idle(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      // Unref'd: a writer waiting to flush does not keep the process alive; close() flushes.
      const timer = ms === undefined ? undefined : setTimeout(done, Math.max(0, ms)).unref();
      function done(): void {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
