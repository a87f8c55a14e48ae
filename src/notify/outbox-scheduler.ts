// Timers the outbox waits on between retries, injectable so tests and replays drive time by hand.
import type { ManualClock } from "../util/clock.js";

export interface Scheduler {
  /** Calls `run` after `delayMs`; the returned function cancels it. */
  schedule(delayMs: number, run: () => void): () => void;
}

export const timerScheduler: Scheduler = {
  schedule(delayMs, run) {
    const timer = setTimeout(run, delayMs);
    return () => clearTimeout(timer);
  },
};

/** Timers that fire only when `advance` moves its ManualClock past them. */
export class ManualScheduler implements Scheduler {
  private timers: { at: number; id: number; run: () => void }[] = [];
  private nextId = 0;

  constructor(readonly clock: ManualClock) {}

  schedule(delayMs: number, run: () => void): () => void {
    const timer = { at: this.clock.now() + Math.max(0, delayMs), id: this.nextId++, run };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((other) => other !== timer);
    };
  }

  /** When the next timer is due, if any. */
  nextAt(): number | undefined {
    return this.timers.reduce<number | undefined>(
      (min, t) => (min === undefined || t.at < min ? t.at : min),
      undefined,
    );
  }

  /**
   * Moves the clock to `time`, firing due timers in order; `settle` runs after each one, so work a
   * timer starts can finish (and schedule more timers) before the clock moves on.
   */
  async advance(time: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    for (;;) {
      const due = this.timers
        .filter((timer) => timer.at <= time)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.clock.advanceTo(due.at);
      due.run();
      await settle();
    }
    this.clock.advanceTo(time);
  }
}
