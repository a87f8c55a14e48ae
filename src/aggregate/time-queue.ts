// Items kept in time order, oldest first, for range counts by binary search: appends (the usual case
// for a stream in event time) and drops of the oldest are cheap, an insert or removal in the middle
// moves only the shorter side.
export class TimeQueue<T> {
  private items: (T | undefined)[] = [];
  /** Index of the oldest item; the slots before it are free. */
  private head = 0;
  /** Bumped by every change: lets a reader cache what it computed from the same items. */
  private changes = 0;

  constructor(private readonly timeOf: (item: T) => number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** Changes so far: equal versions (with equal positions) mean the same items in the same slots. */
  get version(): number {
    return this.changes;
  }

  /** The item at position `i` (0 = oldest). */
  at(i: number): T {
    return this.items[this.head + i] as T;
  }

  /** Position of the first item with a time after `time`: the number of items at or before it. */
  after(time: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeOf(this.items[mid] as T) <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  /** Items with a time in (from, to]. */
  countIn(from: number, to: number): number {
    return to <= from ? 0 : this.after(to) - this.after(from);
  }

  /** Inserts after the items of the same or an earlier time. */
  insert(item: T): void {
    this.changes++;
    const time = this.timeOf(item);
    const last = this.items[this.items.length - 1];
    if (this.size === 0 || this.timeOf(last as T) <= time) this.items.push(item);
    else this.items.splice(this.head + this.after(time), 0, item);
  }

  /**
   * Removes this very item; false when it is not here. Searched from the oldest item of its time:
   * the oldest are the ones removed (forgotten past a cap), and a second of a busy feed may hold
   * thousands of items with the same time.
   */
  remove(item: T): boolean {
    const time = this.timeOf(item);
    for (let i = this.head + this.before(time); i < this.items.length; i++) {
      const here = this.items[i] as T;
      if (this.timeOf(here) !== time) break;
      if (here === item) {
        this.removeAt(i);
        return true;
      }
    }
    return false;
  }

  /** Position of the first item with a time at or after `time`. */
  private before(time: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeOf(this.items[mid] as T) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  /** Removes every item with a time at or before `time`, oldest first, handing each to `each`. */
  dropThrough(time: number, each?: (item: T) => void): void {
    const end = this.head + this.after(time);
    if (end === this.head) return;
    this.changes++;
    for (let i = this.head; i < end; i++) {
      each?.(this.items[i] as T);
      this.items[i] = undefined;
    }
    this.head = end;
    this.compact();
  }

  /** Removes the oldest item (nothing when empty). */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    this.changes++;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    this.compact();
    return item;
  }

  private removeAt(index: number): void {
    this.changes++;
    if (index - this.head < this.items.length - index) {
      // Nearer the oldest end: slide the older items one slot up and free the head slot.
      this.items.copyWithin(this.head + 1, this.head, index);
      this.items[this.head++] = undefined;
      this.compact();
    } else {
      this.items.splice(index, 1);
    }
  }

  /** Gives the freed head slots back once they are the larger part of the array. */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
