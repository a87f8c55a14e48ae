import { describe, expect, it } from "vitest";
import { ratioDetector } from "../src/detect/ratio.js";

const W = 300_000; // 5-minute windows
const DAY = 288; // windows per day
const context = { windowMs: W };
const config = (input: object) => ratioDetector.schema.parse(input);
const at = (index: number) => index * W;

describe("ratio detector", () => {
  it("is not ready until the baseline window has been learned", () => {
    const detector = ratioDetector.create(config({ baseline: "previous" }), context);
    expect(detector.evaluate(at(0), 30).ready).toBe(false);
    detector.learn(at(0), 10, false);
    // a skipped window (engine down) leaves no previous window to compare with
    expect(detector.evaluate(at(2), 30).ready).toBe(false);
    expect(detector.breaches(detector.evaluate(at(2), 30), config({ baseline: "previous" }))).toBe(false);
  });

  it("compares with the previous window", () => {
    const thresholds = config({ baseline: "previous", factor: 3 });
    const detector = ratioDetector.create(thresholds, context);
    detector.learn(at(0), 10, false);
    const estimate = detector.evaluate(at(1), 30);
    // 30 / 10 = 3
    expect(estimate).toEqual({ observed: 30, expected: 10, factor: 3, score: 3, ready: true });
    expect(detector.breaches(estimate, thresholds)).toBe(true);
    expect(detector.breaches(detector.evaluate(at(1), 29), thresholds)).toBe(false);
  });

  it("compares with the same window yesterday and last week", () => {
    const yesterday = ratioDetector.create(config({ baseline: "yesterday" }), context);
    const lastWeek = ratioDetector.create(config({ baseline: "last_week" }), context);
    for (let index = 0; index < 7 * DAY; index++) {
      const value = index === 5 ? 2 : index === 6 * DAY + 5 ? 4 : 100;
      yesterday.learn(at(index), value, false);
      lastWeek.learn(at(index), value, false);
    }
    // window 7 days + 5: yesterday's same window held 4, last week's held 2
    expect(yesterday.evaluate(at(7 * DAY + 5), 12)).toMatchObject({ expected: 4, factor: 3, ready: true });
    expect(lastWeek.evaluate(at(7 * DAY + 5), 12)).toMatchObject({ expected: 2, factor: 6, ready: true });
    expect(lastWeek.evaluate(at(7 * DAY + 6), 12).expected).toBe(100);
  });

  it("divides by zero_baseline when the baseline is zero", () => {
    const detector = ratioDetector.create(config({ baseline: "previous" }), context);
    detector.learn(at(0), 0, false);
    // 4 / max(0, 1) = 4
    expect(detector.evaluate(at(1), 4)).toMatchObject({ expected: 0, factor: 4 });
    const halved = ratioDetector.create(config({ baseline: "previous", zero_baseline: 2 }), context);
    halved.learn(at(0), 0, false);
    // 4 / max(0, 2) = 2
    expect(halved.evaluate(at(1), 4).factor).toBe(2);
  });

  it("stays quiet below min_count", () => {
    const thresholds = config({ baseline: "previous", min_count: 40 });
    const detector = ratioDetector.create(thresholds, context);
    detector.learn(at(0), 1, false);
    expect(detector.breaches(detector.evaluate(at(1), 30), thresholds)).toBe(false);
    expect(detector.breaches(detector.evaluate(at(1), 40), thresholds)).toBe(true);
  });

  it("keeps comparing with the last normal window while alerting", () => {
    const detector = ratioDetector.create(config({ baseline: "previous" }), context);
    detector.learn(at(0), 10, false);
    detector.learn(at(1), 100, true);
    detector.learn(at(2), 120, true);
    expect(detector.evaluate(at(3), 100)).toMatchObject({ expected: 10, factor: 10 });
    const daily = ratioDetector.create(config({ baseline: "yesterday" }), context);
    daily.learn(at(3), 7, false);
    daily.learn(at(DAY + 3), 500, true); // excluded: keeps day 0's 7 as the baseline of day 2
    expect(daily.evaluate(at(2 * DAY + 3), 21)).toMatchObject({ expected: 7, factor: 3, ready: true });
  });

  it("applies a stricter level's factor", () => {
    const warning = config({ baseline: "previous", factor: 3 });
    const detector = ratioDetector.create(warning, context);
    detector.learn(at(0), 10, false);
    const estimate = detector.evaluate(at(1), 40);
    expect(detector.breaches(estimate, warning)).toBe(true);
    expect(detector.breaches(estimate, config({ baseline: "previous", factor: 5 }))).toBe(false);
  });
});
