import { median, medianAbsoluteDeviation, sampleVariance } from "simple-statistics";
import { describe, expect, it } from "vitest";
import { HistoryRing, type RingListener } from "../src/detect/history-ring.js";
import { SlotHistory } from "../src/detect/slot-history.js";
import { slotLayout } from "../src/detect/slots.js";
import { SortedValues } from "../src/detect/sorted-values.js";
import { seededRandom } from "./helpers/seeded-random.js";

const HOUR = 3_600_000;

const recorder = () => {
  const events: string[] = [];
  const listener: RingListener = {
    add: (value, position) => events.push(`+${value}@${position}`),
    remove: (value, position) => events.push(`-${value}@${position}`),
  };
  return { events, listener };
};

describe("history ring", () => {
  it("addresses windows by index and evicts the value one capacity earlier", () => {
    const { events, listener } = recorder();
    const ring = new HistoryRing(3, listener);
    [10, 11, 12, 13].forEach((value, index) => ring.push(index, value));
    expect(events).toEqual(["+10@0", "+11@1", "+12@2", "-10@0", "+13@0"]);
    expect([ring.get(0), ring.get(1), ring.get(2), ring.get(3)]).toEqual([undefined, 11, 12, 13]);
    expect(ring.filled).toBe(3);
  });

  it("clears skipped windows, at most one capacity of them", () => {
    const { events, listener } = recorder();
    const ring = new HistoryRing(3, listener);
    ring.push(0, 1);
    ring.push(1, 2);
    ring.push(3, 4); // window 2 skipped: nothing there; window 0's slot is reused by 3
    expect(ring.get(1)).toBe(2);
    expect(ring.get(2)).toBeUndefined();
    ring.push(100, 9); // a long gap empties the ring
    expect(ring.filled).toBe(1);
    expect(events.slice(-3)).toEqual(["-2@1", "-4@0", "+9@1"]);
  });

  it("keeps the old value when a window is excluded, and ignores windows that are not newer", () => {
    const { events, listener } = recorder();
    const ring = new HistoryRing(2, listener);
    ring.push(0, 5);
    ring.push(1, 6);
    ring.push(2, undefined); // excluded: window 0's value stays where window 2 would go
    expect(ring.get(2)).toBe(5);
    expect(ring.push(2, 7)).toBe(false);
    expect(ring.push(1, 7)).toBe(false);
    expect(events).toEqual(["+5@0", "+6@1"]);
  });
});

describe("history and sorted values widths", () => {
  it("hold counts in float32 and widen at the first value float32 cannot hold; every value reads back as learned", () => {
    const ring = new HistoryRing(4, recorder().listener);
    const sorted = new SortedValues(4);
    for (const [index, value] of [
      [0, 3],
      [1, 16_777_216],
    ] as const) {
      ring.push(index, value);
      sorted.insert(value);
    }
    expect(ring.values).toBeInstanceOf(Float32Array);
    ring.push(2, 0.4);
    sorted.insert(0.4);
    expect(ring.values).toBeInstanceOf(Float64Array);
    expect([0, 1, 2].map((index) => ring.get(index))).toEqual([3, 16_777_216, 0.4]);
    expect(sorted.toArray()).toEqual([0.4, 3, 16_777_216]);
    sorted.remove(16_777_216);
    expect(sorted.median()).toBe(1.7);
  });
});

describe("sorted values", () => {
  it("keeps runs that share one array apart, and widens the array for all of them", () => {
    const [a, b, c] = SortedValues.runs(3, 4) as [SortedValues, SortedValues, SortedValues];
    for (const value of [5, 1, 3, 2]) a.insert(value);
    for (const value of [9, 7]) b.insert(value);
    c.insert(0.25);
    b.insert(0.1);
    a.remove(3);
    expect([a.toArray(), b.toArray(), c.toArray()]).toEqual([[1, 2, 5], [0.1, 7, 9], [0.25]]);
    expect([a.median(), b.median(), c.median()]).toEqual([2, 7, 0.25]);
    expect(b.mad()).toBe(2);
  });

  it("finds median and MAD of a hand-computed set", () => {
    const values = new SortedValues(8);
    // 9 10 11 12 13: median 11, deviations 2 1 0 1 2 → sorted 0 1 1 2 2, MAD 1
    for (const value of [12, 9, 11, 13, 10]) values.insert(value);
    expect(values.toArray()).toEqual([9, 10, 11, 12, 13]);
    expect(values.median()).toBe(11);
    expect(values.mad()).toBe(1);
    // + 20: median (11+12)/2 = 11.5, deviations .5 .5 1.5 1.5 2.5 8.5 → MAD (1.5+1.5)/2 = 1.5
    values.insert(20);
    expect(values.median()).toBe(11.5);
    expect(values.mad()).toBe(1.5);
    expect(values.remove(20)).toBe(true);
    expect(values.remove(20)).toBe(false);
    expect(values.toArray()).toEqual([9, 10, 11, 12, 13]);
  });

  it("agrees with simple-statistics on a sliding window of random, tied and skewed data", () => {
    const next = seededRandom(42);
    const values = new SortedValues(25);
    const window: number[] = [];
    for (let step = 0; step < 3_000; step++) {
      const value = step % 7 === 0 ? Math.floor(next() * 4) : Math.round(next() ** 3 * 200) / 4;
      if (window.length === 25) values.remove(window.shift() as number);
      window.push(value);
      values.insert(value);
      expect(values.median()).toBe(median(window));
      expect(values.mad()).toBe(medianAbsoluteDeviation(window));
    }
  });
});

describe("slot history", () => {
  it("keeps per-slot means and a pooled dispersion in step with the ring", () => {
    const next = seededRandom(7);
    const layout = slotLayout(HOUR, 3 * 24 * HOUR, "day", 2 * HOUR); // 12 slots of 2 windows, 3 days
    const history = new SlotHistory(layout);
    const learned: number[] = [];
    for (let index = 0; index < 24 * 10; index++) {
      const value = Math.floor(next() * 30) + (index % 24 < 8 ? 0 : 20);
      history.learn(index * HOUR, value);
      learned.push(value);
    }
    const recent = learned.slice(-72);
    const bySlot = Array.from({ length: 12 }, (_, slot) =>
      recent.filter((_value, offset) => Math.floor(((240 - 72 + offset) % 24) / 2) === slot),
    );
    let excess = 0;
    let spread = 0;
    bySlot.forEach((values, slot) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(history.samples(slot)).toBe(6);
      expect(history.mean(slot)).toBeCloseTo(mean, 9);
      excess += (values.length - 1) * (sampleVariance(values) - mean);
      spread += (values.length - 1) * mean * mean;
    });
    expect(history.dispersion()).toBeCloseTo(Math.max(0, excess / spread), 9);
  });

  it("refuses a slot that windows cannot tile", () => {
    expect(() => slotLayout(7 * 60_000, 86_400_000, "day", HOUR)).toThrow(/divide/);
  });
});
