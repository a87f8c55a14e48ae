import { describe, expect, it } from "vitest";
import type { Detector } from "../src/detect/detector.js";
import { type PoissonConfig, poissonDetector } from "../src/detect/poisson.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const W = 5 * MINUTE;
const config = (input: object = {}) => poissonDetector.schema.parse({ baseline: "20m", ...input }); // 4 windows
const learnAll = (detector: Detector<PoissonConfig>, values: number[], width = W) =>
  values.forEach((value, index) => detector.learn(index * width, value, false));

// P(X>=5 | λ=1) = 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24) = 0.00365984682734377
const P5_GIVEN_1 = 0.00365984682734377;

describe("poisson detector", () => {
  it("is not ready until half the baseline is learned", () => {
    const detector = poissonDetector.create(config(), { windowMs: W });
    detector.learn(0, 1, false);
    expect(detector.evaluate(W, 50)).toMatchObject({ ready: false, expected: 1 });
    expect(detector.breaches(detector.evaluate(W, 50), config())).toBe(false);
    detector.learn(W, 1, false);
    expect(detector.evaluate(2 * W, 50).ready).toBe(true);
  });

  it("gives the exact Poisson tail of the baseline mean", () => {
    const thresholds = config({ p_value: 0.01 });
    const detector = poissonDetector.create(thresholds, { windowMs: W });
    learnAll(detector, [0, 2]);
    const estimate = detector.evaluate(2 * W, 5);
    expect(estimate.expected).toBe(1);
    expect(estimate.factor).toBe(5);
    expect(estimate.pValue).toBeCloseTo(P5_GIVEN_1, 15);
    expect(estimate.score).toBeCloseTo(2.43653709040652, 11); // -log10 p
    expect(detector.breaches(estimate, thresholds)).toBe(true);
    // a window below the mean: P(X>=2 | λ=5) = 1 - 6e^-5 = 0.959572318005487
    const busy = poissonDetector.create(config(), { windowMs: W });
    learnAll(busy, [4, 6]);
    expect(busy.evaluate(2 * W, 2).pValue).toBeCloseTo(0.959572318005487, 13);
  });

  it("tests a zero baseline at the zero_baseline rate", () => {
    const detector = poissonDetector.create(config(), { windowMs: W });
    learnAll(detector, [0, 0]);
    // λ = 0 → tested at max(0, 1) = 1: P(X>=5 | 1); factor 5 / 1
    expect(detector.evaluate(2 * W, 5)).toMatchObject({ expected: 0, factor: 5 });
    expect(detector.evaluate(2 * W, 5).pValue).toBeCloseTo(P5_GIVEN_1, 15);
    const lower = poissonDetector.create(config({ zero_baseline: 0.5 }), { windowMs: W });
    learnAll(lower, [0, 0]);
    // P(X>=5 | .5) = 1 - e^-.5 (1 + .5 + .125 + .0208333 + .0026042) = 0.000172115629955893
    expect(lower.evaluate(2 * W, 5).pValue).toBeCloseTo(0.000172115629955893, 15);
  });

  it("stays quiet below min_count", () => {
    const thresholds = config({ p_value: 0.01, min_count: 6 });
    const detector = poissonDetector.create(thresholds, { windowMs: W });
    learnAll(detector, [1, 1]);
    expect(detector.breaches(detector.evaluate(2 * W, 5), thresholds)).toBe(false);
    expect(detector.breaches(detector.evaluate(2 * W, 6), thresholds)).toBe(true);
  });

  it("averages the last baseline span only", () => {
    const detector = poissonDetector.create(config(), { windowMs: W });
    learnAll(detector, [1, 1, 1, 1, 9]);
    // window 0 has left the 4-window baseline: (1 + 1 + 1 + 9) / 4 = 3
    expect(detector.evaluate(5 * W, 3).expected).toBe(3);
  });

  it("does not let excluded windows move the rate", () => {
    const detector = poissonDetector.create(config(), { windowMs: W });
    learnAll(detector, [1, 1]);
    detector.learn(2 * W, 20, true);
    expect(detector.evaluate(3 * W, 5).expected).toBe(1);
    detector.learn(3 * W, 20, false);
    expect(detector.evaluate(4 * W, 5).expected).toBe(22 / 3);
  });

  it("uses the same hour of the day with daily seasonality", () => {
    // 1-hour windows, 2-day baseline: each hour-of-day slot holds 2 values and is ready with 1
    const detector = poissonDetector.create(config({ baseline: "2d", seasonality: "daily", p_value: 0.01 }), {
      windowMs: HOUR,
    });
    const day = Array.from({ length: 24 }, (_, hour) => (hour === 3 ? 1 : 10));
    learnAll(detector, [...day, ...day], HOUR);
    const night = detector.evaluate((48 + 3) * HOUR, 5);
    const day4 = detector.evaluate((48 + 4) * HOUR, 5);
    expect(night).toMatchObject({ expected: 1, ready: true });
    expect(night.pValue).toBeCloseTo(P5_GIVEN_1, 15);
    expect(day4.expected).toBe(10);
    expect(detector.breaches(night, config({ p_value: 0.01 }))).toBe(true);
    expect(detector.breaches(day4, config({ p_value: 0.01 }))).toBe(false);
  });

  it("pools the windows of a slot, and tells the days of the week apart", () => {
    // 5-minute windows, 1-hour slots, 1-day baseline: hour 2 holds the 12 values 0..11, mean 5.5
    const daily = poissonDetector.create(config({ baseline: "1d", seasonality: "daily", slot: "1h" }), {
      windowMs: W,
    });
    learnAll(
      daily,
      Array.from({ length: 288 }, (_, index) => (index >= 24 && index < 36 ? index - 24 : 100)),
    );
    expect(daily.evaluate(288 * W + 2 * HOUR + 55 * MINUTE, 7)).toMatchObject({ expected: 5.5, ready: true });
    // hourly windows, weekly seasonality: hour 10 of each day of the week is its own slot
    const weekly = poissonDetector.create(config({ baseline: "1w", seasonality: "weekly" }), {
      windowMs: HOUR,
    });
    learnAll(
      weekly,
      Array.from({ length: 168 }, (_, index) => Math.floor(index / 24)),
      HOUR,
    );
    expect(weekly.evaluate((168 + 24 * 2 + 10) * HOUR, 7).expected).toBe(2);
    expect(weekly.evaluate((168 + 24 * 5 + 10) * HOUR, 7).expected).toBe(5);
  });

  it("keeps a seasonal slot filled through a crisis longer than the baseline", () => {
    const detector = poissonDetector.create(config({ baseline: "1d", seasonality: "daily" }), {
      windowMs: HOUR,
    });
    learnAll(detector, Array(24).fill(1), HOUR);
    for (let index = 24; index < 72; index++) detector.learn(index * HOUR, 50, true);
    expect(detector.evaluate(72 * HOUR, 5)).toMatchObject({ expected: 1, ready: true });
  });

  it("applies a stricter level's p_value", () => {
    const warning = config({ p_value: 0.01 });
    const detector = poissonDetector.create(warning, { windowMs: W });
    learnAll(detector, [1, 1]);
    const estimate = detector.evaluate(2 * W, 5); // p = 0.00366
    expect(detector.breaches(estimate, warning)).toBe(true);
    expect(detector.breaches(estimate, config({ p_value: 0.001 }))).toBe(false);
  });
});
