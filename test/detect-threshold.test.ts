import { describe, expect, it } from "vitest";
import { thresholdDetector } from "../src/detect/threshold.js";

const config = (input: object) => thresholdDetector.schema.parse(input);
const context = { windowMs: 300_000 };

describe("threshold detector", () => {
  it("breaches at the line and quotes the line as expected", () => {
    const detector = thresholdDetector.create(config({ above: 50 }), context);
    const at = detector.evaluate(0, 75);
    // expected = above = 50, factor = 75 / 50 = 1.5
    expect(at).toEqual({ observed: 75, expected: 50, factor: 1.5, score: 1.5, ready: true });
    expect(detector.breaches(at, config({ above: 50 }))).toBe(true);
    expect(detector.breaches(detector.evaluate(0, 50), config({ above: 50 }))).toBe(true);
    expect(detector.breaches(detector.evaluate(0, 49), config({ above: 50 }))).toBe(false);
  });

  it("stays quiet below min_count even above the line", () => {
    const thresholds = config({ above: 5, min_count: 10 });
    const detector = thresholdDetector.create(thresholds, context);
    expect(detector.breaches(detector.evaluate(0, 8), thresholds)).toBe(false);
    expect(detector.breaches(detector.evaluate(0, 10), thresholds)).toBe(true);
  });

  it("applies a stricter level's line", () => {
    const warning = config({ above: 50 });
    const detector = thresholdDetector.create(warning, context);
    const estimate = detector.evaluate(0, 75);
    expect(detector.breaches(estimate, warning)).toBe(true);
    expect(detector.breaches(estimate, config({ above: 100 }))).toBe(false);
  });

  it("is always ready and learns nothing", () => {
    const detector = thresholdDetector.create(config({ above: 50 }), context);
    const before = detector.evaluate(0, 20);
    for (let index = 0; index < 10; index++) detector.learn(index * 300_000, 1_000, false);
    expect(detector.evaluate(0, 20)).toEqual(before);
    expect(before.ready).toBe(true);
  });
});
