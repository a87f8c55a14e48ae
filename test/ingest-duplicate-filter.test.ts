// The duplicate filter remembers (channel, id) pairs as fingerprints in two generations: the same
// answers as remembering the strings themselves, within the same bounds.
import { describe, expect, it } from "vitest";
import { DuplicateFilter } from "../src/ingest/duplicate-filter.js";

const pair = (channel: string, id: string) => ({ channel, id });

/** The filter as it was: the pairs themselves in two generations of Sets. */
class ReferenceFilter {
  private current = new Set<string>();
  private previous = new Set<string>();
  constructor(private readonly generationSize: number) {}
  isFirst({ channel, id }: { channel: string; id: string }): boolean {
    const key = `${channel}\u0000${id}`;
    if (this.current.has(key) || this.previous.has(key)) return false;
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(key);
    return true;
  }
}

describe("duplicate filter", () => {
  it("takes a pair once, per channel, and tells a split between channel and id apart", () => {
    const filter = new DuplicateFilter(100);
    expect(filter.isFirst(pair("twitter", "42"))).toBe(true);
    expect(filter.isFirst(pair("twitter", "42"))).toBe(false);
    expect(filter.isFirst(pair("forum", "42"))).toBe(true);
    expect(filter.isFirst(pair("ab", "c"))).toBe(true);
    expect(filter.isFirst(pair("a", "bc"))).toBe(true);
    expect(filter.isFirst(pair("", "abc"))).toBe(true);
    expect(filter.isFirst(pair("twitter", ""))).toBe(true);
    expect(filter.isFirst(pair("twitter", ""))).toBe(false);
    expect(filter.size).toBe(6);
  });

  it("remembers between capacity/2 and capacity pairs: the oldest generation is forgotten whole", () => {
    const filter = new DuplicateFilter(4); // generations of 2
    for (const id of ["a", "b", "c", "d"]) expect(filter.isFirst(pair("x", id))).toBe(true);
    // a and b were the first generation; adding e starts a third, forgetting them.
    expect(filter.isFirst(pair("x", "a"))).toBe(false);
    expect(filter.isFirst(pair("x", "e"))).toBe(true);
    expect(filter.isFirst(pair("x", "a"))).toBe(true);
    expect(filter.isFirst(pair("x", "c"))).toBe(false);
  });

  it("answers as the set of strings did over a long stream of repeats, across table growth and generations", () => {
    const generation = 5_000;
    const filter = new DuplicateFilter(2 * generation);
    const reference = new ReferenceFilter(generation);
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    let firsts = 0;
    for (let n = 0; n < 60_000; n++) {
      // Ids repeat at every distance: the next one, a recent one, one long forgotten.
      const id = `m${Math.floor(random() * (n + 1) * 0.8)}`;
      const channel = random() < 0.5 ? "twitter" : "forum";
      const expected = reference.isFirst(pair(channel, id));
      expect(filter.isFirst(pair(channel, id)), `${channel} ${id} at ${n}`).toBe(expected);
      if (expected) firsts++;
    }
    expect(firsts).toBeGreaterThan(20_000);
    expect(firsts).toBeLessThan(55_000);
  });
});
