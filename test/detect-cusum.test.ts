import { describe, expect, it } from "vitest";
import { type CusumConfig, cusumDetector } from "../src/detect/cusum.js";
import type { Detector } from "../src/detect/detector.js";

const W = 300_000;
const context = { windowMs: W };
// warm-up 10m = 2 windows; a 30-day half-life makes alpha = 1 - 2^(-1/8640) ≈ 8e-5, so over these
// few windows the baseline weight is 1/n: the exact running mean and population variance.
const config = (input: object = {}) =>
  cusumDetector.schema.parse({ warmup: "10m", half_life: "30d", k: 0.5, h: 3, ...input });

/** Learns 9 11: mean 10, population variance 1, sd 1 (= sd_floor), all exact in binary. */
function warmedUp(input: object = {}): { detector: Detector<CusumConfig>; next: number } {
  const detector = cusumDetector.create(config(input), context);
  [9, 11].forEach((value, index) => detector.learn(index * W, value, false));
  return { detector, next: 2 * W };
}

describe("cusum detector", () => {
  it("is not ready and does not accumulate during the warm-up", () => {
    const detector = cusumDetector.create(config(), context);
    detector.learn(0, 9, false);
    expect(detector.evaluate(W, 100)).toMatchObject({ ready: false, score: 0 });
    expect(detector.breaches(detector.evaluate(W, 100), config())).toBe(false);
    detector.learn(W, 11, false);
    // S starts from 0: z = (12 - 10)/1 = 2, S = 0 + 2 - .5 = 1.5
    expect(detector.evaluate(2 * W, 12)).toMatchObject({ ready: true, expected: 10, score: 1.5 });
  });

  it("accumulates through excluded windows while the baseline stays put", () => {
    const thresholds = config();
    const { detector, next } = warmedUp();
    // z = (12 - 10)/1 = 2: S = 0 + 2 - .5 = 1.5 < h = 3
    const first = detector.evaluate(next, 12);
    expect(first.score).toBeCloseTo(1.5, 12);
    expect(detector.breaches(first, thresholds)).toBe(false);
    detector.learn(next, 12, true);
    // baseline still mean 10, sd 1: S = 1.5 + 2 - .5 = 3 >= h
    const second = detector.evaluate(next + W, 12);
    expect(second.expected).toBeCloseTo(10, 12);
    expect(second.score).toBeCloseTo(3, 12);
    expect(detector.breaches(second, thresholds)).toBe(true);
  });

  it("moves the baseline on windows that are not excluded", () => {
    const { detector, next } = warmedUp();
    detector.learn(next, 12, false);
    // S = 1.5; baseline n=3, w=1/3: diff 2, mean 10 + 2/3, var (2/3)(1 + 2·2/3) = 14/9 (the
    // population variance of 9 11 12); z = (12 - 32/3)/√(14/9) = 1.0690449676: S = 1.5 + z - .5
    const estimate = detector.evaluate(next + W, 12);
    expect(estimate.expected).toBeCloseTo(32 / 3, 12);
    expect(estimate.score).toBeCloseTo(1 + 4 / 3 / Math.sqrt(14 / 9), 12);
  });

  it("evaluates without committing S", () => {
    const { detector, next } = warmedUp();
    const once = detector.evaluate(next, 12);
    detector.evaluate(next, 50);
    expect(detector.evaluate(next, 12)).toEqual(once);
  });

  it("caps S so it drains within (cap - h)/k windows once the burn stops", () => {
    const { detector, next } = warmedUp({ cap: 4 });
    for (let index = 0; index < 5; index++) detector.learn(next + index * W, 30, true);
    expect(detector.evaluate(next + 5 * W, 30).score).toBe(4);
    // back to normal (z = 0): S = 4 - .5 = 3.5, then 3, then 2.5 < h
    expect(detector.evaluate(next + 5 * W, 10).score).toBeCloseTo(3.5, 12);
    detector.learn(next + 5 * W, 10, false);
    detector.learn(next + 6 * W, 10, false);
    // (the mean stays 10 and the sd under sd_floor, so z is exactly 0)
    expect(detector.evaluate(next + 7 * W, 10).score).toBeCloseTo(2.5, 12);
  });

  it("uses sd_floor and zero_baseline on a flat zero series", () => {
    const detector = cusumDetector.create(config(), context);
    [0, 0].forEach((value, index) => detector.learn(index * W, value, false));
    // sd 0 → 1: z = 3, S = 3 - .5 = 2.5; factor = 3 / max(0, 1) = 3
    expect(detector.evaluate(2 * W, 3)).toMatchObject({ expected: 0, factor: 3, score: 2.5 });
  });

  it("stays quiet below min_count", () => {
    const thresholds = config({ min_count: 13 });
    const { detector, next } = warmedUp({ min_count: 13 });
    detector.learn(next, 12, true);
    expect(detector.breaches(detector.evaluate(next + W, 12), thresholds)).toBe(false);
    expect(detector.breaches(detector.evaluate(next + W, 13), thresholds)).toBe(true);
  });

  it("applies a stricter level's h", () => {
    const warning = config();
    const { detector, next } = warmedUp();
    detector.learn(next, 12, true);
    const estimate = detector.evaluate(next + W, 12); // S = 3
    expect(detector.breaches(estimate, warning)).toBe(true);
    expect(detector.breaches(estimate, config({ h: 5 }))).toBe(false);
  });
});

describe("cusum detector with seasonality", () => {
  it("keeps one baseline per hour of the day", () => {
    // hourly windows, 1-day warm-up: each slot judges from its 2nd update; a 30-day half-life keeps the
    // weight at 1/n here (alpha = 1 - 2^(-1d/(30d × 1)) ≈ 0.023), so slot means and variances are exact
    const hourly = cusumDetector.schema.parse({
      seasonality: "daily",
      half_life: "30d",
      warmup: "1d",
      k: 0.5,
    });
    const detector = cusumDetector.create(hourly, { windowMs: 3_600_000 });
    for (let index = 0; index < 48; index++) {
      const value = index % 24 === 3 ? (index < 24 ? 9 : 11) : 100;
      expect(detector.evaluate(index * 3_600_000, value).ready).toBe(false);
      detector.learn(index * 3_600_000, value, false);
    }
    // hour 3: 9 and 11 → mean 10, population sd 1: z = (12 - 10)/1 = 2, S = 2 - .5 = 1.5
    expect(detector.evaluate((48 + 3) * 3_600_000, 12)).toMatchObject({
      ready: true,
      expected: 10,
      score: 1.5,
    });
    // hour 4: 100 and 100 → 12 is far below: S = 0
    expect(detector.evaluate((48 + 4) * 3_600_000, 12)).toMatchObject({ expected: 100, score: 0 });
  });

  it("refuses windows that do not tile the slot", () => {
    const hourly = cusumDetector.schema.parse({ seasonality: "daily" });
    expect(() => cusumDetector.create(hourly, { windowMs: 7 * 60_000 })).toThrow(/divide/);
  });
});
