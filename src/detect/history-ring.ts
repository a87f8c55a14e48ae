// The learned history of one series: a fixed ring of the last `capacity` windows, addressed by window
// index (time / windowMs), in one array (NaN = nothing learned there), Float32 until a value needs
// Float64 (src/util/float-column.ts): count histories take half the memory, and every value reads back
// exactly as learned. Detectors attach a listener to keep their own summaries (sums, sorted copies) in
// step with what enters and leaves.
//
// Excluded windows: `push(index, undefined)` advances time but leaves the position alone, so the ring
// keeps the value that window would have evicted (the same slot one ring length earlier). Whatever a
// detector summarises stays exactly as it was before the alert, and seasonal slots stay filled even
// through a crisis longer than the ring.

import { columnFor, type FloatColumn, floatColumn } from "../util/float-column.js";

export interface RingListener {
  /** A value entered the ring at `position` (0 ≤ position < capacity). */
  add(value: number, position: number): void;
  /** A value left the ring from `position`. */
  remove(value: number, position: number): void;
}

export class HistoryRing {
  /** Window index of the newest learned window (-Infinity before the first). */
  last = -Infinity;
  /** Positions holding a value. */
  filled = 0;
  values: FloatColumn;

  constructor(
    readonly capacity: number,
    private readonly listener: RingListener,
  ) {
    this.values = floatColumn(capacity, Number.NaN);
  }

  position(index: number): number {
    return ((index % this.capacity) + this.capacity) % this.capacity;
  }

  /**
   * Learns window `index` (undefined: excluded, keep what is there). Windows skipped since the last
   * push are cleared, at most `capacity` of them, so the work is amortised O(1) per elapsed window.
   * Returns false, changing nothing, for a window not newer than the last one.
   */
  push(index: number, value: number | undefined): boolean {
    if (index <= this.last) return false;
    if (this.filled > 0) {
      const skipped = Math.min(index - this.last - 1, this.capacity);
      for (let gap = index - skipped; gap < index; gap++) this.clear(this.position(gap));
    }
    this.last = index;
    if (value !== undefined) {
      const position = this.position(index);
      this.clear(position);
      this.values = columnFor(this.values, value);
      this.values[position] = value;
      this.filled++;
      this.listener.add(value, position);
    }
    return true;
  }

  /** The value learned for window `index`, or undefined (never learned, cleared, or out of the ring). */
  get(index: number): number | undefined {
    if (index > this.last || index <= this.last - this.capacity) return undefined;
    const value = this.values[this.position(index)] as number;
    return Number.isNaN(value) ? undefined : value;
  }

  private clear(position: number): void {
    const old = this.values[position] as number;
    if (Number.isNaN(old)) return;
    this.values[position] = Number.NaN;
    this.filled--;
    this.listener.remove(old, position);
  }
}
