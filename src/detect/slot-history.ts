// Per-slot count, mean and variance of a series' learned history, kept in step with a HistoryRing in
// O(1) per window: each value entering or leaving updates its slot's n, Σx, Σx² and the pooled
// dispersion sums. Running sums drift under floating point, so every `capacity` changes they are
// recomputed from the ring (O(capacity), amortised O(1)).
import { HistoryRing, type RingListener } from "./history-ring.js";
import { type SlotLayout, windowIndex } from "./slots.js";

export class SlotHistory implements RingListener {
  readonly ring: HistoryRing;
  private readonly count: Float64Array;
  private readonly sum: Float64Array;
  private readonly sumSquares: Float64Array;
  /** Σ over slots with n ≥ 2 of (n-1)(s² - m): the variance in excess of Poisson. */
  private excess = 0;
  /** Σ over slots with n ≥ 2 of (n-1)m². */
  private spread = 0;
  private changes = 0;

  constructor(readonly layout: SlotLayout) {
    this.count = new Float64Array(layout.slots);
    this.sum = new Float64Array(layout.slots);
    this.sumSquares = new Float64Array(layout.slots);
    this.ring = new HistoryRing(layout.capacity, this);
  }

  /** Learns the window at `time`; undefined (excluded) keeps the slot's statistics as they are. */
  learn(time: number, value: number | undefined): void {
    this.ring.push(windowIndex(time, this.layout.windowMs), value);
    if (this.changes >= this.layout.capacity) this.recompute();
  }

  slotAt(time: number): number {
    return this.layout.slotOf(windowIndex(time, this.layout.windowMs));
  }

  samples(slot: number): number {
    return this.count[slot] ?? 0;
  }

  /** Mean of the slot's learned values (0 when it has none). */
  mean(slot: number): number {
    const n = this.samples(slot);
    return n > 0 ? (this.sum[slot] as number) / n : 0;
  }

  /** Ready when the slot holds at least half the values it can hold. */
  ready(slot: number): boolean {
    return this.samples(slot) >= Math.ceil(this.layout.perSlot / 2);
  }

  /**
   * Pooled negative-binomial dispersion α (variance = m + α·m²), method of moments over every slot:
   * α = Σ(n-1)(s² - m) / Σ(n-1)m², s² the slot's sample variance. 0 when not over-dispersed.
   */
  dispersion(): number {
    return this.spread > 0 && this.excess > 0 ? this.excess / this.spread : 0;
  }

  add(value: number, position: number): void {
    this.update(this.layout.slotOf(position), value, 1);
  }

  remove(value: number, position: number): void {
    this.update(this.layout.slotOf(position), value, -1);
  }

  private update(slot: number, value: number, sign: 1 | -1): void {
    this.pool(slot, -1);
    this.count[slot] = (this.count[slot] as number) + sign;
    this.sum[slot] = (this.sum[slot] as number) + sign * value;
    this.sumSquares[slot] = (this.sumSquares[slot] as number) + sign * value * value;
    this.pool(slot, 1);
    this.changes++;
  }

  /** Adds (sign 1) or takes out (sign -1) one slot's share of the pooled dispersion sums. */
  private pool(slot: number, sign: 1 | -1): void {
    const n = this.count[slot] as number;
    if (n < 2) return;
    const sum = this.sum[slot] as number;
    const m = sum / n;
    const squares = Math.max(0, (this.sumSquares[slot] as number) - sum * m); // Σ(x - m)² = (n-1)s²
    this.excess += sign * (squares - (n - 1) * m);
    this.spread += sign * (n - 1) * m * m;
  }

  private recompute(): void {
    this.count.fill(0);
    this.sum.fill(0);
    this.sumSquares.fill(0);
    this.ring.values.forEach((value, position) => {
      if (Number.isNaN(value)) return;
      const slot = this.layout.slotOf(position);
      this.count[slot] = (this.count[slot] as number) + 1;
      this.sum[slot] = (this.sum[slot] as number) + value;
      this.sumSquares[slot] = (this.sumSquares[slot] as number) + value * value;
    });
    this.excess = 0;
    this.spread = 0;
    for (let slot = 0; slot < this.layout.slots; slot++) this.pool(slot, 1);
    this.changes = 0;
  }
}
