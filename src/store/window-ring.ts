// A bounded ring of windows for one series key: one row per window, one column per metric. Each column
// is its own array, Float32 until a value needs Float64 (src/util/float-column.ts): counts, most of
// the columns, take half the memory and every value still reads back as written.
import { columnFor, type FloatColumn, floatColumn, sameWidth } from "../util/float-column.js";

export class WindowRing {
  /** Window index (start / width) of the oldest retained row. */
  first = 0;
  /** Rows retained. */
  count = 0;
  private data: FloatColumn[];

  constructor(
    readonly columns: number,
    readonly maxRows: number,
    initialRows = 64,
  ) {
    const rows = Math.min(initialRows, maxRows);
    this.data = Array.from({ length: columns }, () => floatColumn(rows));
  }

  get capacity(): number {
    return (this.data[0] as FloatColumn).length;
  }

  /** Bytes of the columns' arrays (4 per value of a narrow column, 8 of a wide one). */
  get bytes(): number {
    return this.data.reduce((sum, data) => sum + data.byteLength, 0);
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
    const position = this.position(index);
    for (let column = 0; column < this.columns; column++) {
      const value = values[column] ?? 0;
      const data = columnFor(this.data[column] as FloatColumn, value);
      this.data[column] = data;
      data[position] = value;
    }
    return true;
  }

  /** Value of `column` at window `index`; undefined outside the retained range. */
  get(index: number, column: number): number | undefined {
    if (index < this.first || index > this.last) return undefined;
    return (this.data[column] as FloatColumn)[this.position(index)];
  }

  /** Copies the retained rows, oldest first and row by row, into one array (snapshots). */
  rows(): Float64Array {
    const out = new Float64Array(this.count * this.columns);
    for (let row = 0; row < this.count; row++) {
      const position = this.position(this.first + row);
      for (let column = 0; column < this.columns; column++) {
        out[row * this.columns + column] = (this.data[column] as FloatColumn)[position] as number;
      }
    }
    return out;
  }

  private position(index: number): number {
    return index % this.capacity;
  }

  private zeroRow(index: number): void {
    const position = this.position(index);
    for (const data of this.data) data[position] = 0;
  }

  /** Grows by doubling up to maxRows, re-laying rows out for the new modulus. */
  private ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    const capacity = Math.min(this.maxRows, Math.max(rows, this.capacity * 2));
    const oldCapacity = this.capacity;
    this.data = this.data.map((old) => {
      const grown = sameWidth(old, capacity);
      for (let row = 0; row < this.count; row++) {
        const index = this.first + row;
        grown[index % capacity] = old[index % oldCapacity] as number;
      }
      return grown;
    });
  }
}
