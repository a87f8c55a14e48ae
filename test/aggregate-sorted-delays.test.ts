// SortedDelays keeps a multiset sorted and reads an order statistic without some held values: the
// same as sorting what is left and indexing it.
import { describe, expect, it } from "vitest";
import { SortedDelays } from "../src/aggregate/sorted-delays.js";

describe("SortedDelays", () => {
  it("gives the k-th smallest of what is held less a few held values, duplicates included", () => {
    let seed = 3;
    const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    for (let round = 0; round < 3_000; round++) {
      const delays = new SortedDelays();
      const held: number[] = [];
      const size = 1 + Math.floor(random() * 40);
      // Few distinct values, so that duplicates and left-out copies of the answer are common.
      for (let i = 0; i < size; i++) {
        const value = Math.floor(random() * 8) * 1_000;
        delays.add(value);
        held.push(value);
      }
      // Some come and go again.
      for (let i = 0; i < 5; i++) {
        const value = held.splice(Math.floor(random() * held.length), 1)[0] as number;
        expect(delays.remove(value)).toBe(true);
        if (held.length === 0) break;
      }
      expect(delays.remove(-1)).toBe(false);
      if (held.length === 0) continue;
      const shuffled = [...held].sort(() => random() - 0.5);
      const without = shuffled.slice(0, Math.floor(random() * held.length)).sort((a, b) => a - b);
      const left = [...held];
      for (const value of without) left.splice(left.indexOf(value), 1);
      left.sort((a, b) => a - b);
      for (let k = 0; k < left.length; k++)
        expect(delays.kthWithout(k, without), `round ${round} k ${k}`).toBe(left[k]);
      expect(delays.size).toBe(held.length);
    }
  });
});
