// A set that remembers the most recent keys only: between capacity/2 and capacity of them, in O(1)
// per operation and bounded memory. Two generations instead of an LRU list: no per-key bookkeeping.
export class GenerationalSet {
  private current = new Set<string>();
  private previous = new Set<string>();
  private readonly generationSize: number;

  constructor(capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  /** Adds `key`; returns false when it was already remembered. */
  add(key: string): boolean {
    if (this.has(key)) return false;
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(key);
    return true;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
