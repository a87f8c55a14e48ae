// The only place that reads the wall clock: every stage takes `now` from a Clock, so replay,
// backtest and live runs share one code path.
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock moved by hand: tests, backtests and "as fast as possible" replays. */
export class ManualClock implements Clock {
  constructor(private time = 0) {}
  now(): number {
    return this.time;
  }
  set(time: number): void {
    this.time = time;
  }
  /** Moves forward only; event time never runs backwards. */
  advanceTo(time: number): void {
    if (time > this.time) this.time = time;
  }
}

/**
 * The clock of a replay: anchored at the first replayed event, then either following the events
 * themselves (speed 0, as fast as possible) or running `speed` times faster than the wall clock.
 * Before the first event it reads 0, so nothing closes early.
 */
export class ReplayClock implements Clock {
  private origin: number | undefined;
  private wallStart = 0;
  private high = 0;

  constructor(
    readonly speed: number,
    private readonly base: Clock = systemClock,
  ) {}

  /** Tells the clock the replay reached an event at `time`. */
  observe(time: number): void {
    if (this.origin === undefined) {
      this.origin = time;
      this.wallStart = this.base.now();
    }
    if (time > this.high) this.high = time;
  }

  /** Wall time at which an event at `time` is due (speed > 0). */
  dueAt(time: number): number {
    if (this.origin === undefined || this.speed === 0) return this.base.now();
    return this.wallStart + (time - this.origin) / this.speed;
  }

  now(): number {
    if (this.origin === undefined) return 0;
    if (this.speed === 0) return this.high;
    return this.origin + (this.base.now() - this.wallStart) * this.speed;
  }

  wallNow(): number {
    return this.base.now();
  }
}
