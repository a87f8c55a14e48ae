import { describe, expect, it } from "vitest";
import { WindowRing } from "../src/store/window-ring.js";

const rowOf = (ring: WindowRing, index: number) => [ring.get(index, 0), ring.get(index, 1)];

describe("window ring", () => {
  it("stores rows by window index and zero-fills skipped windows", () => {
    const ring = new WindowRing(2, 10, 2);
    ring.write(100, [1, 2]);
    ring.write(103, [7, 8]);
    expect(ring.first).toBe(100);
    expect(ring.count).toBe(4);
    expect(rowOf(ring, 100)).toEqual([1, 2]);
    expect(rowOf(ring, 101)).toEqual([0, 0]);
    expect(rowOf(ring, 102)).toEqual([0, 0]);
    expect(rowOf(ring, 103)).toEqual([7, 8]);
    expect(ring.get(104, 0)).toBeUndefined();
  });

  it("overwrites a window written twice instead of adding to it", () => {
    const ring = new WindowRing(1, 10);
    ring.write(5, [1]);
    ring.write(5, [3]);
    expect(ring.get(5, 0)).toBe(3);
    expect(ring.count).toBe(1);
  });

  it("grows by doubling up to its bound and then drops the oldest rows", () => {
    const ring = new WindowRing(1, 5, 1);
    for (let index = 0; index < 8; index++) ring.write(index, [index * 10]);
    expect(ring.capacity).toBe(5);
    expect(ring.first).toBe(3);
    expect(ring.count).toBe(5);
    expect([3, 4, 5, 6, 7].map((index) => ring.get(index, 0))).toEqual([30, 40, 50, 60, 70]);
    expect(ring.get(2, 0)).toBeUndefined();
    expect([...ring.rows()]).toEqual([30, 40, 50, 60, 70]);
  });

  it("refuses a window older than its oldest row", () => {
    const ring = new WindowRing(1, 3);
    for (let index = 10; index < 14; index++) ring.write(index, [index]);
    expect(ring.write(10, [99])).toBe(false);
    expect(ring.first).toBe(11);
  });

  it("keeps the overlap and zeros the rest when a write jumps ahead within retention", () => {
    const ring = new WindowRing(1, 4, 4);
    ring.write(0, [1]);
    ring.write(1, [2]);
    ring.write(5, [6]); // retention 4: windows 2..5, of which 2..4 are empty
    expect(ring.first).toBe(2);
    expect([2, 3, 4, 5].map((index) => ring.get(index, 0))).toEqual([0, 0, 0, 6]);
  });

  it("holds only zeros and the new row after a jump longer than its retention", () => {
    const ring = new WindowRing(1, 4);
    ring.write(0, [1]);
    ring.write(100, [2]);
    expect(ring.first).toBe(97);
    expect([97, 98, 99, 100].map((index) => ring.get(index, 0))).toEqual([0, 0, 0, 2]);
  });
});

describe("window ring column widths", () => {
  it("keeps count columns at 4 bytes a value and widens only the column of a value float32 cannot hold", () => {
    const ring = new WindowRing(2, 8, 8);
    ring.write(0, [3, 16_777_216]);
    expect(ring.bytes).toBe(2 * 8 * 4);
    ring.write(1, [0.4, 7]);
    expect(ring.bytes).toBe(8 * 8 + 8 * 4);
    expect(rowOf(ring, 0)).toEqual([3, 16_777_216]);
    expect(rowOf(ring, 1)).toEqual([0.4, 7]);
    ring.write(2, [1, 16_777_217]); // above 2^24: not exact in float32
    expect(ring.bytes).toBe(2 * 8 * 8);
    expect(rowOf(ring, 2)).toEqual([1, 16_777_217]);
    expect([...ring.rows()]).toEqual([3, 16_777_216, 0.4, 7, 1, 16_777_217]);
  });

  it("stays wide when it grows after widening", () => {
    const ring = new WindowRing(1, 100, 2);
    ring.write(0, [0.1]);
    for (let index = 1; index < 10; index++) ring.write(index, [index]);
    expect(ring.capacity).toBeGreaterThanOrEqual(10);
    expect(ring.bytes).toBe(ring.capacity * 8);
    expect(ring.get(0, 0)).toBe(0.1);
  });
});
