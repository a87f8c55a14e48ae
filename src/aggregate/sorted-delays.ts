// A multiset of numbers kept sorted, for a median read at every window close without sorting the
// period's values again: values come and go one at a time (a binary search and one move of the array
// tail), and an order statistic can leave out a few values that are held but not asked about.

import { firstAbove } from "../util/sorted-search.js";

export class SortedDelays {
  private readonly values: number[] = [];

  get size(): number {
    return this.values.length;
  }

  add(value: number): void {
    const { values } = this;
    const at = firstAbove(values, value);
    if (at === values.length) values.push(value);
    else values.splice(at, 0, value);
  }

  /** Removes one copy of `value`; false when it is not held. */
  remove(value: number): boolean {
    const { values } = this;
    const at = firstAbove(values, value) - 1;
    if (at < 0 || values[at] !== value) return false;
    if (at === values.length - 1) values.pop();
    else values.splice(at, 1);
    return true;
  }

  /**
   * The `k`-th smallest (0-based) of the values held less `without`, sorted ascending, each of which
   * is held. Walks `without` once: each left-out value at or below the current candidate moves the
   * candidate one place up.
   */
  kthWithout(k: number, without: readonly number[]): number {
    const { values } = this;
    let at = k;
    for (const value of without) {
      if (value > (values[at] as number)) break;
      at++;
    }
    return values[at] as number;
  }
}
