import { describe, expect, it } from "vitest";
import type { Detector } from "../src/detect/detector.js";
import { type EwmaConfig, ewmaDetector } from "../src/detect/ewma.js";

const W = 300_000;
const context = { windowMs: W };
// alpha 0.5: warm-up of 2/0.5 - 1 = 3 windows
const config = (input: object = {}) => ewmaDetector.schema.parse({ alpha: 0.5, ...input });
const learnAll = (detector: Detector<EwmaConfig>, values: number[]) =>
  values.forEach((value, index) => detector.learn(index * W, value, false));

describe("ewma detector", () => {
  it("is not ready before 2/alpha - 1 windows", () => {
    const detector = ewmaDetector.create(config(), context);
    learnAll(detector, [10, 20]);
    expect(detector.evaluate(2 * W, 100).ready).toBe(false);
    expect(detector.breaches(detector.evaluate(2 * W, 100), config())).toBe(false);
    detector.learn(2 * W, 12, false);
    expect(detector.evaluate(3 * W, 100).ready).toBe(true);
  });

  it("charts the window against the EW mean and sd", () => {
    const thresholds = config({ k: 4 });
    const detector = ewmaDetector.create(thresholds, context);
    learnAll(detector, [10, 20, 12]);
    // weight max(0.5, 1/n): n=1 mean 10, var 0; n=2 w=.5: diff 10, mean 15, var .5(0 + 10·5) = 25;
    // n=3 w=.5: diff -3, mean 13.5, var .5(25 + (-3)(-1.5)) = 14.75, sd = 3.840572873934304
    // z = (30 - 13.5) / 3.840572873934304 = 4.296234062367188; factor = 30 / 13.5
    const estimate = detector.evaluate(3 * W, 30);
    expect(estimate.expected).toBe(13.5);
    expect(estimate.score).toBeCloseTo(4.296234062367188, 12);
    expect(estimate.factor).toBeCloseTo(30 / 13.5, 12);
    expect(detector.breaches(estimate, thresholds)).toBe(true);
  });

  it("uses sd_floor on a flat series and zero_baseline on a zero one", () => {
    const flat = ewmaDetector.create(config(), context);
    learnAll(flat, [5, 5, 5]);
    // sd 0 → 1: z = (8 - 5) / 1 = 3
    expect(flat.evaluate(3 * W, 8).score).toBe(3);
    const zero = ewmaDetector.create(config(), context);
    learnAll(zero, [0, 0, 0]);
    // factor = 3 / max(0, 1) = 3
    expect(zero.evaluate(3 * W, 3)).toMatchObject({ expected: 0, factor: 3, score: 3 });
  });

  it("stays quiet below min_count", () => {
    const thresholds = config({ min_count: 31 });
    const detector = ewmaDetector.create(thresholds, context);
    learnAll(detector, [10, 20, 12]);
    expect(detector.breaches(detector.evaluate(3 * W, 30), thresholds)).toBe(false);
    expect(detector.breaches(detector.evaluate(3 * W, 31), thresholds)).toBe(true);
  });

  it("does not learn excluded windows", () => {
    const detector = ewmaDetector.create(config(), context);
    learnAll(detector, [10, 20, 12]);
    const before = detector.evaluate(4 * W, 30);
    detector.learn(3 * W, 300, true);
    expect(detector.evaluate(4 * W, 30)).toEqual(before);
    detector.learn(4 * W, 300, false);
    expect(detector.evaluate(5 * W, 30).expected).toBe(156.75); // 13.5 + .5 (300 - 13.5)
  });

  it("applies a stricter level's k", () => {
    const warning = config({ k: 4 });
    const detector = ewmaDetector.create(warning, context);
    learnAll(detector, [10, 20, 12]);
    const estimate = detector.evaluate(3 * W, 30); // z = 4.296
    expect(detector.breaches(estimate, warning)).toBe(true);
    expect(detector.breaches(estimate, config({ k: 5 }))).toBe(false);
  });
});
