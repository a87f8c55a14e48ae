// A set that remembers the most recent (group, key) pairs only: between capacity/2 and capacity of
// them, in O(1) per operation and bounded memory. Two generations instead of an LRU list: no per-key
// bookkeeping. Pairs are kept as a set of keys per group rather than one joined string: joining and
// hashing a fresh string per pair cost more than two look-ups among a handful of groups.
export class GenerationalSet {
  private current = new Generation();
  private previous = new Generation();
  private readonly generationSize: number;

  constructor(capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
  }

  has(group: string, key: string): boolean {
    return this.current.has(group, key) || this.previous.has(group, key);
  }

  /** Adds the pair; returns false when it was already remembered. */
  add(group: string, key: string): boolean {
    if (this.has(group, key)) return false;
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Generation();
    }
    this.current.add(group, key);
    return true;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}

class Generation {
  size = 0;
  private readonly groups = new Map<string, Set<string>>();

  has(group: string, key: string): boolean {
    return this.groups.get(group)?.has(key) ?? false;
  }

  /** Adds a pair known to be absent. */
  add(group: string, key: string): void {
    let keys = this.groups.get(group);
    if (!keys) this.groups.set(group, (keys = new Set()));
    keys.add(key);
    this.size++;
  }
}
