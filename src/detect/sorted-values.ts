// A multiset of numbers kept sorted in one array (Float32 until a value needs Float64), with median
// and MAD in logarithmic time.
// Insert and remove find their place by binary search (O(log n) comparisons) and shift the tail with
// one copyWithin (a memmove of at most n doubles, far cheaper than any per-element work).
//
// MAD without a scan: the deviations from the median m are two sorted runs, m - x for the values below
// m (read leftwards from m) and x - m for the others (read rightwards). The j-th smallest deviation is
// the j-th smallest of two sorted runs, found by binary search on how many come from the left run —
// equivalently, the smallest d whose interval [m - d, m + d] holds j values. O(log n), exact.
//
// Several multisets can share one array (SortedValues.runs): a seasonal detector keeps one per slot, and
// one array instead of 24 saves the typed array objects, which weigh more than the values themselves.
import { columnFor, type FloatColumn, floatColumn } from "../util/float-column.js";

/** The array behind one or more SortedValues, widened for all of them at once. */
interface Block {
  data: FloatColumn;
}

export class SortedValues {
  size = 0;

  constructor(
    capacity: number,
    private readonly block: Block = { data: floatColumn(capacity) },
    /** Where this multiset's values start in the block. */
    private readonly base = 0,
  ) {}

  /** `count` multisets of `capacity` values each, in one array. */
  static runs(count: number, capacity: number): SortedValues[] {
    const block = { data: floatColumn(count * capacity) };
    return Array.from({ length: count }, (_, run) => new SortedValues(capacity, block, run * capacity));
  }

  insert(value: number): void {
    const data = (this.block.data = columnFor(this.block.data, value));
    const at = this.base + this.lowerBound(value);
    data.copyWithin(at + 1, at, this.base + this.size);
    data[at] = value;
    this.size++;
  }

  /** Removes one occurrence of `value`; false when it is not there. */
  remove(value: number): boolean {
    const found = this.lowerBound(value);
    if (found >= this.size || this.at(found) !== value) return false;
    const at = this.base + found;
    this.block.data.copyWithin(at, at + 1, this.base + this.size);
    this.size--;
    return true;
  }

  /** Median (mean of the two middle values when the size is even); NaN when empty. */
  median(): number {
    const n = this.size;
    if (n === 0) return Number.NaN;
    const half = n >> 1;
    return n % 2 === 1 ? this.at(half) : (this.at(half - 1) + this.at(half)) / 2;
  }

  /** Median absolute deviation from `median` (unscaled); NaN when empty. */
  mad(median = this.median()): number {
    const n = this.size;
    if (n === 0) return Number.NaN;
    const half = n >> 1;
    const split = this.lowerBound(median);
    return n % 2 === 1
      ? this.kthDeviation(half + 1, median, split)
      : (this.kthDeviation(half, median, split) + this.kthDeviation(half + 1, median, split)) / 2;
  }

  /** The values in order (tests and debugging). */
  toArray(): number[] {
    return Array.from(this.block.data.subarray(this.base, this.base + this.size));
  }

  private at(index: number): number {
    return this.block.data[this.base + index] as number;
  }

  /** First index whose value is >= `value` (size when none). */
  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** j-th smallest (1-based) |x - m|; values [0, split) lie below m, [split, size) at or above it. */
  private kthDeviation(j: number, m: number, split: number): number {
    const left = (t: number) => m - this.at(split - 1 - t);
    const right = (t: number) => this.at(split + t) - m;
    const leftCount = split;
    const rightCount = this.size - split;
    let lo = Math.max(0, j - rightCount);
    let hi = Math.min(j, leftCount);
    for (;;) {
      const t = (lo + hi) >> 1; // deviations taken from the left run
      const u = j - t; // … and from the right run
      if (t > 0 && u < rightCount && left(t - 1) > right(u)) hi = t - 1;
      else if (u > 0 && t < leftCount && right(u - 1) > left(t)) lo = t + 1;
      else return Math.max(t > 0 ? left(t - 1) : -Infinity, u > 0 ? right(u - 1) : -Infinity);
    }
  }
}
