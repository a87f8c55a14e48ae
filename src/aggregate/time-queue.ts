// Items kept in time order, oldest first, for range counts by binary search: appends (the usual case
// for a stream in event time) and drops of the oldest are cheap, an insert or removal in the middle
// moves only the shorter side. Each item's time is kept beside it when it comes in, in an array of
// numbers: the searches (several per key at every window close) then read one contiguous array
// instead of calling timeOf on objects spread over the heap. An item's time must not change while it
// is here (remove it first, as the response tracker does when an earlier reply comes).
import { firstAbove, firstAtOrAbove } from "../util/sorted-search.js";

export class TimeQueue<T> {
  private items: (T | undefined)[] = [];
  private times: number[] = [];
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

  /** The time of the item at position `i`, as it was when inserted. */
  timeAt(i: number): number {
    return this.times[this.head + i] as number;
  }

  /** Position of the first item with a time after `time`: the number of items at or before it. */
  after(time: number): number {
    return firstAbove(this.times, time, this.head) - this.head;
  }

  /** Items with a time in (from, to]. */
  countIn(from: number, to: number): number {
    return to <= from ? 0 : this.after(to) - this.after(from);
  }

  /** Inserts after the items of the same or an earlier time. */
  insert(item: T): void {
    this.changes++;
    const time = this.timeOf(item);
    const times = this.times;
    if (this.size === 0 || (times[times.length - 1] as number) <= time) {
      this.items.push(item);
      times.push(time);
    } else {
      const at = this.head + this.after(time);
      this.items.splice(at, 0, item);
      times.splice(at, 0, time);
    }
  }

  /**
   * Removes this very item; false when it is not here. Searched from the oldest item of its time:
   * the oldest are the ones removed (forgotten past a cap), and a second of a busy feed may hold
   * thousands of items with the same time.
   */
  remove(item: T): boolean {
    const time = this.timeOf(item);
    const times = this.times;
    for (let i = this.head + this.before(time); i < times.length; i++) {
      if (times[i] !== time) break;
      if (this.items[i] === item) {
        this.removeAt(i);
        return true;
      }
    }
    return false;
  }

  /** Position of the first item with a time at or after `time`. */
  private before(time: number): number {
    return firstAtOrAbove(this.times, time, this.head) - this.head;
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
      this.times.copyWithin(this.head + 1, this.head, index);
      this.items[this.head++] = undefined;
      this.compact();
    } else {
      this.items.splice(index, 1);
      this.times.splice(index, 1);
    }
  }

  /** Gives the freed head slots back once they are the larger part of the array. */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.times = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}
