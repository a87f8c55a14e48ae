// The demo's seeded random numbers: reproducible streams and distributions with the right moments.
import { describe, expect, it } from "vitest";
import { logFactorial, Random, weightedSampler } from "../examples/demo/random.js";

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

describe("demo Random", () => {
  it("repeats a stream for the same seed and name, and separates names and seeds", () => {
    const draw = (r: Random) => Array.from({ length: 5 }, () => r.nextUint32());
    expect(draw(new Random(1, "a"))).toEqual(draw(new Random(1, "a")));
    expect(draw(new Random(1, "a"))).not.toEqual(draw(new Random(1, "b")));
    expect(draw(new Random(1))).not.toEqual(draw(new Random(2)));
  });

  it("draws uniforms in [0, 1) with mean 1/2 and integers within bounds", () => {
    const r = new Random(42);
    const xs = Array.from({ length: 20_000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(moments(xs).mean).toBeCloseTo(0.5, 2);
    const ints = new Set(Array.from({ length: 2000 }, () => r.int(3, 6)));
    expect([...ints].sort()).toEqual([3, 4, 5, 6]);
  });

  it.each([0.5, 4, 9.9, 10, 30, 120, 2500])("samples Poisson(%d) with mean and variance lambda", (lambda) => {
    const r = new Random(7, `poisson:${lambda}`);
    const xs = Array.from({ length: 20_000 }, () => r.poisson(lambda));
    const { mean, variance } = moments(xs);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    // Standard error of the mean is sqrt(lambda / n); allow 5 of them.
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / xs.length));
    expect(variance / lambda).toBeGreaterThan(0.93);
    expect(variance / lambda).toBeLessThan(1.07);
  });

  it("returns 0 for a Poisson rate of zero", () => {
    expect(new Random(1).poisson(0)).toBe(0);
  });

  it("computes log-factorials exactly below 64 and by Stirling above", () => {
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 12);
    let exact = 0;
    for (let k = 1; k <= 100; k++) exact += Math.log(k);
    expect(logFactorial(100)).toBeCloseTo(exact, 9);
  });

  it("picks weighted items in proportion to their weights", () => {
    const r = new Random(3);
    const sample = weightedSampler([
      ["a", 1],
      ["b", 3],
      ["c", 0],
    ] as const);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 20_000; i++) counts[sample(r)]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.7);
    expect(counts.b / counts.a).toBeLessThan(3.3);
    expect(r.weighted([["only", 1]])).toBe("only");
  });
});
