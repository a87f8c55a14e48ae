import { describe, expect, it } from "vitest";
import type { Detector } from "../src/detect/detector.js";
import { type RobustZConfig, robustZDetector } from "../src/detect/robust-z.js";

const W = 300_000;
const context = { windowMs: W };
const config = (input: object = {}) => robustZDetector.schema.parse({ window: "50m", ...input }); // 10 windows
const learnAll = (detector: Detector<RobustZConfig>, values: number[], from = 0) =>
  values.forEach((value, offset) => detector.learn((from + offset) * W, value, false));

describe("robust_z detector", () => {
  it("is not ready until half the window is learned", () => {
    const detector = robustZDetector.create(config(), context);
    learnAll(detector, [10, 12, 11, 13]);
    expect(detector.evaluate(4 * W, 100).ready).toBe(false);
    expect(detector.breaches(detector.evaluate(4 * W, 100), config())).toBe(false);
    detector.learn(4 * W, 9, false);
    expect(detector.evaluate(5 * W, 100).ready).toBe(true);
  });

  it("scores against the median and 1.4826 × MAD", () => {
    const thresholds = config({ z: 5 });
    const detector = robustZDetector.create(thresholds, context);
    learnAll(detector, [10, 12, 11, 13, 9]);
    // sorted 9 10 11 12 13: median 11; deviations 2 1 0 1 2 → MAD 1
    // z = (20 - 11) / (1.4826 × 1) = 6.070416835289357; factor = 20 / 11
    const estimate = detector.evaluate(5 * W, 20);
    expect(estimate.expected).toBe(11);
    expect(estimate.score).toBeCloseTo(6.070416835289357, 12);
    expect(estimate.factor).toBeCloseTo(20 / 11, 12);
    expect(detector.breaches(estimate, thresholds)).toBe(true);
  });

  it("uses mad_floor when the history is flat", () => {
    const detector = robustZDetector.create(config(), context);
    learnAll(detector, [5, 5, 5, 5, 5]);
    // MAD 0 → scale = mad_floor = 1: z = (8 - 5) / 1 = 3
    expect(detector.evaluate(5 * W, 8).score).toBe(3);
    const wider = robustZDetector.create(config({ mad_floor: 2 }), context);
    learnAll(wider, [5, 5, 5, 5, 5]);
    expect(wider.evaluate(5 * W, 8).score).toBe(1.5);
  });

  it("divides by zero_baseline when the median is zero", () => {
    const detector = robustZDetector.create(config(), context);
    learnAll(detector, [0, 0, 0, 0, 0]);
    // factor = 3 / max(0, 1) = 3; z = 3 / mad_floor 1 = 3
    expect(detector.evaluate(5 * W, 3)).toMatchObject({ expected: 0, factor: 3, score: 3, ready: true });
  });

  it("stays quiet below min_count", () => {
    const thresholds = config({ min_count: 25 });
    const detector = robustZDetector.create(thresholds, context);
    learnAll(detector, [10, 12, 11, 13, 9]);
    expect(detector.breaches(detector.evaluate(5 * W, 20), thresholds)).toBe(false);
    expect(detector.breaches(detector.evaluate(5 * W, 25), thresholds)).toBe(true);
  });

  it("forgets values older than the window", () => {
    const detector = robustZDetector.create(config(), context);
    learnAll(detector, Array(10).fill(100));
    learnAll(detector, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10);
    // only 1..10 remain: median 5.5; deviations 4.5 3.5 2.5 1.5 .5 .5 1.5 2.5 3.5 4.5 → MAD 2.5
    // z = (10 - 5.5) / (1.4826 × 2.5) = 1.2140833670578715
    const estimate = detector.evaluate(20 * W, 10);
    expect(estimate.expected).toBe(5.5);
    expect(estimate.score).toBeCloseTo(1.2140833670578715, 12);
  });

  it("does not let excluded windows move the median or evict the window", () => {
    const detector = robustZDetector.create(config(), context);
    learnAll(detector, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const before = detector.evaluate(10 * W, 50);
    detector.learn(10 * W, 1_000, true);
    detector.learn(11 * W, 1_000, true);
    // had window 10 been learned it would have evicted the 1 (median 6) and added 1 000
    expect(detector.evaluate(12 * W, 50)).toEqual(before);
    const learning = robustZDetector.create(config(), context);
    learnAll(learning, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1_000]);
    expect(learning.evaluate(11 * W, 50).expected).toBe(6.5); // 2..10 and 1 000
  });

  it("evaluates without changing state", () => {
    const detector = robustZDetector.create(config(), context);
    learnAll(detector, [10, 12, 11, 13, 9]);
    const first = detector.evaluate(5 * W, 20);
    detector.evaluate(5 * W, 1_000);
    expect(detector.evaluate(5 * W, 20)).toEqual(first);
  });

  it("applies a stricter level's z", () => {
    const warning = config({ z: 5 });
    const detector = robustZDetector.create(warning, context);
    learnAll(detector, [10, 12, 11, 13, 9]);
    const estimate = detector.evaluate(5 * W, 20); // z = 6.07
    expect(detector.breaches(estimate, warning)).toBe(true);
    expect(detector.breaches(estimate, config({ z: 7 }))).toBe(false);
  });
});
