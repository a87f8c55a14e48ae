import { describe, expect, it } from "vitest";
import type { Detector } from "../src/detect/detector.js";
import { type SeasonalConfig, seasonalDetector } from "../src/detect/seasonal.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// hourly windows and slots, 3 days: each hour-of-day slot holds 3 values and is ready with 2
const config = (input: object = {}) => seasonalDetector.schema.parse({ periods: 3, ...input });
const hourly = { windowMs: HOUR };

/** Learns `days` days where hour h of day d has value(h, d). */
function learnDays(
  detector: Detector<SeasonalConfig>,
  days: number,
  value: (hour: number, day: number) => number,
) {
  for (let day = 0; day < days; day++) {
    for (let hour = 0; hour < 24; hour++) detector.learn(day * DAY + hour * HOUR, value(hour, day), false);
  }
}

/** Hour 9: 10 14 12; hour 2: 2 0 4; hour 12: 1000 1010 990; hour 5: 0 0 0; every other hour 50. */
const PROFILE: Record<number, number[]> = {
  9: [10, 14, 12],
  2: [2, 0, 4],
  12: [1000, 1010, 990],
  5: [0, 0, 0],
};
const profile = (hour: number, day: number): number => PROFILE[hour]?.[day] ?? 50;

describe("seasonal detector", () => {
  it("is not ready until half the periods of the slot are learned", () => {
    const detector = seasonalDetector.create(config(), hourly);
    learnDays(detector, 1, profile);
    expect(detector.evaluate(DAY + 9 * HOUR, 100).ready).toBe(false);
    expect(detector.breaches(detector.evaluate(DAY + 9 * HOUR, 100), config())).toBe(false);
    learnDays(detector, 2, profile);
    expect(detector.evaluate(2 * DAY + 9 * HOUR, 100).ready).toBe(true);
  });

  it("breaches on both factor and robust z against the slot's median and MAD", () => {
    const thresholds = config({ factor: 2, z: 4 });
    const detector = seasonalDetector.create(thresholds, hourly);
    learnDays(detector, 3, profile);
    // hour 9: 10 14 12 → median 12; deviations 2 2 0 → MAD 2; scale 1.4826 × 2
    // z = (30 - 12) / 2.9652 = 6.070416835289357; factor = 30 / 12 = 2.5
    const estimate = detector.evaluate(3 * DAY + 9 * HOUR, 30);
    expect(estimate).toMatchObject({ expected: 12, factor: 2.5, ready: true });
    expect(estimate.score).toBeCloseTo(6.070416835289357, 12);
    expect(detector.breaches(estimate, thresholds)).toBe(true);
  });

  it("keeps low-volume noise quiet: factor without z", () => {
    const detector = seasonalDetector.create(config(), hourly);
    learnDays(detector, 3, profile);
    // hour 2: 2 0 4 → median 2, MAD 2: 8 is 4× the median but z = 6 / 2.9652 = 2.023472278429786
    const estimate = detector.evaluate(3 * DAY + 2 * HOUR, 8);
    expect(estimate.factor).toBe(4);
    expect(estimate.score).toBeCloseTo(2.023472278429786, 12);
    expect(detector.breaches(estimate, config())).toBe(false);
  });

  it("keeps high-volume wobble quiet: z without factor", () => {
    const detector = seasonalDetector.create(config(), hourly);
    learnDays(detector, 3, profile);
    // hour 12: 1000 1010 990 → median 1000, MAD 10: z = 300 / 14.826 = 20.23472278429786, factor 1.3
    const estimate = detector.evaluate(3 * DAY + 12 * HOUR, 1300);
    expect(estimate.score).toBeCloseTo(20.23472278429786, 11);
    expect(estimate.factor).toBe(1.3);
    expect(detector.breaches(estimate, config())).toBe(false);
  });

  it("uses zero_baseline and mad_floor on an empty slot", () => {
    const detector = seasonalDetector.create(config(), hourly);
    learnDays(detector, 3, profile);
    // hour 5: 0 0 0 → factor = 5 / max(0, 1) = 5, z = 5 / mad_floor 1 = 5
    const estimate = detector.evaluate(3 * DAY + 5 * HOUR, 5);
    expect(estimate).toMatchObject({ expected: 0, factor: 5, score: 5 });
    expect(detector.breaches(estimate, config())).toBe(true);
  });

  it("stays quiet below min_count", () => {
    const thresholds = config({ min_count: 31 });
    const detector = seasonalDetector.create(thresholds, hourly);
    learnDays(detector, 3, profile);
    expect(detector.breaches(detector.evaluate(3 * DAY + 9 * HOUR, 30), thresholds)).toBe(false);
    expect(detector.breaches(detector.evaluate(3 * DAY + 9 * HOUR, 31), thresholds)).toBe(true);
  });

  it("does not let excluded windows move the slot, which stays filled", () => {
    const detector = seasonalDetector.create(config(), hourly);
    learnDays(detector, 3, profile);
    const before = detector.evaluate(4 * DAY + 9 * HOUR, 30);
    detector.learn(3 * DAY + 9 * HOUR, 30, true); // keeps day 0's 10 in the slot
    expect(detector.evaluate(4 * DAY + 9 * HOUR, 30)).toEqual(before);
    const learning = seasonalDetector.create(config(), hourly);
    learnDays(learning, 3, profile);
    learning.learn(3 * DAY + 9 * HOUR, 30, false); // 14 12 30 → median 14
    expect(learning.evaluate(4 * DAY + 9 * HOUR, 30).expected).toBe(14);
  });

  it("pools the windows of a slot and tells the days of the week apart", () => {
    // 5-minute windows in 1-hour slots, 1 day: hour 2 holds the 12 values 0..11, median 5.5
    const pooled = seasonalDetector.create(config({ periods: 1, slot: "1h" }), { windowMs: 5 * MINUTE });
    for (let index = 0; index < 288; index++) {
      pooled.learn(index * 5 * MINUTE, index >= 24 && index < 36 ? index - 24 : 100, false);
    }
    expect(pooled.evaluate(DAY + 2 * HOUR + 55 * MINUTE, 7)).toMatchObject({ expected: 5.5, ready: true });
    // weekly period, hourly slots: hour 10 of each day of the week is its own slot
    const weekly = seasonalDetector.create(config({ period: "week", periods: 1 }), hourly);
    for (let index = 0; index < 168; index++) weekly.learn(index * HOUR, Math.floor(index / 24), false);
    expect(weekly.evaluate(7 * DAY + 2 * DAY + 10 * HOUR, 7).expected).toBe(2);
    expect(weekly.evaluate(7 * DAY + 5 * DAY + 10 * HOUR, 7).expected).toBe(5);
  });

  it("applies a stricter level's factor or z", () => {
    const warning = config();
    const detector = seasonalDetector.create(warning, hourly);
    learnDays(detector, 3, profile);
    const estimate = detector.evaluate(3 * DAY + 9 * HOUR, 30); // factor 2.5, z 6.07
    expect(detector.breaches(estimate, warning)).toBe(true);
    expect(detector.breaches(estimate, config({ factor: 3 }))).toBe(false);
    expect(detector.breaches(estimate, config({ z: 7 }))).toBe(false);
  });

  it("refuses windows that do not tile the slot", () => {
    expect(() => seasonalDetector.create(config(), { windowMs: 7 * MINUTE })).toThrow(/divide/);
  });
});
