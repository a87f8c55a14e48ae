// A bounded ring of windows for one series key: one row per window, one Float64 column per metric,
// in a single typed array so a window write is one contiguous store and memory is predictable.
export class WindowRing {
  /** Window index (start / width) of the oldest retained row. */
  first = 0;
  /** Rows retained. */
  count = 0;
  private data: Float64Array;

  constructor(
    readonly columns: number,
    readonly maxRows: number,
    initialRows = 64,
  ) {
    this.data = new Float64Array(Math.min(initialRows, maxRows) * columns);
  }

  get capacity(): number {
    return this.data.length / this.columns;
  }

  /** Index of the newest retained window (first - 1 when empty). */
  get last(): number {
    return this.first + this.count - 1;
  }

  /** Writes the row of window `index`; gaps before it become zero rows. Returns false if too old. */
  write(index: number, values: ArrayLike<number>): boolean {
    if (this.count === 0) {
      this.first = index;
    } else if (index < this.first) {
      return false;
    } else if (index - this.first >= this.maxRows) {
      // Slide forward: rows falling out of retention are dropped; the gap is zero-filled below.
      const newFirst = index - this.maxRows + 1;
      const keep = Math.max(0, this.first + this.count - newFirst);
      if (keep > 0) this.ensureCapacity(this.maxRows);
      this.first = newFirst;
      this.count = keep;
    }
    const needed = index - this.first + 1;
    if (needed > this.count) {
      this.ensureCapacity(needed);
      for (let row = this.first + this.count; row < index; row++) this.zeroRow(row);
      this.count = needed;
    }
    const offset = this.offset(index);
    for (let column = 0; column < this.columns; column++) this.data[offset + column] = values[column] ?? 0;
    return true;
  }

  /** Value of `column` at window `index`; undefined outside the retained range. */
  get(index: number, column: number): number | undefined {
    if (index < this.first || index > this.last) return undefined;
    return this.data[this.offset(index) + column];
  }

  /** Copies the retained rows, oldest first, into one array (snapshots). */
  rows(): Float64Array {
    const out = new Float64Array(this.count * this.columns);
    for (let row = 0; row < this.count; row++) {
      const offset = this.offset(this.first + row);
      out.set(this.data.subarray(offset, offset + this.columns), row * this.columns);
    }
    return out;
  }

  private offset(index: number): number {
    return (index % this.capacity) * this.columns;
  }

  private zeroRow(index: number): void {
    const offset = this.offset(index);
    this.data.fill(0, offset, offset + this.columns);
  }

  /** Grows by doubling up to maxRows, re-laying rows out for the new modulus. */
  private ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    const capacity = Math.min(this.maxRows, Math.max(rows, this.capacity * 2));
    const old = this.count > 0 ? this.rows() : undefined;
    this.data = new Float64Array(capacity * this.columns);
    if (old) {
      for (let row = 0; row < this.count; row++) {
        this.data.set(
          old.subarray(row * this.columns, (row + 1) * this.columns),
          this.offset(this.first + row),
        );
      }
    }
  }
}
