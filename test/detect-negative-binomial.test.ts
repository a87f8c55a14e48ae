import { describe, expect, it } from "vitest";
import type { Detector } from "../src/detect/detector.js";
import { type NegativeBinomialConfig, negativeBinomialDetector } from "../src/detect/negative-binomial.js";

const HOUR = 3_600_000;
const W = 300_000;
const config = (input: object = {}) => negativeBinomialDetector.schema.parse({ baseline: "20m", ...input }); // 4 windows
const learnAll = (detector: Detector<NegativeBinomialConfig>, values: number[], width = W) =>
  values.forEach((value, index) => detector.learn(index * width, value, false));

describe("negative_binomial detector", () => {
  it("is not ready until half the baseline is learned", () => {
    const detector = negativeBinomialDetector.create(config(), { windowMs: W });
    detector.learn(0, 3, false);
    expect(detector.evaluate(W, 50).ready).toBe(false);
    expect(detector.breaches(detector.evaluate(W, 50), config())).toBe(false);
  });

  it("fits mean and variance by moments and gives the NB tail", () => {
    const thresholds = config({ p_value: 0.2 });
    const detector = negativeBinomialDetector.create(thresholds, { windowMs: W });
    learnAll(detector, [0, 0, 3, 5]);
    // mean 2; deviations -2 -2 1 3 → s² = 18/3 = 6; α = (6 - 2)/2² = 1 → r = 1, p = 1/(1 + 2) = 1/3:
    // geometric, P(X>=5) = (2/3)^5 = 32/243 = 0.131687242798354
    const estimate = detector.evaluate(4 * W, 5);
    expect(estimate).toMatchObject({ expected: 2, factor: 2.5, ready: true });
    expect(estimate.pValue).toBeCloseTo(32 / 243, 14);
    expect(estimate.score).toBeCloseTo(-Math.log10(32 / 243), 12);
    expect(detector.breaches(estimate, thresholds)).toBe(true);
  });

  it("matches the size-2 closed form", () => {
    const detector = negativeBinomialDetector.create(config(), { windowMs: W });
    learnAll(detector, [1, 1, 1, 5]);
    // mean 2, s² = (1 + 1 + 1 + 9)/3 = 4; α = (4 - 2)/4 = .5 → r = 2, p = 1/2:
    // P(X>=k) = (k+2)/2^(k+1), P(X>=4) = 6/32 = 0.1875
    expect(detector.evaluate(4 * W, 4).pValue).toBeCloseTo(0.1875, 14);
  });

  it("falls back to Poisson when the variance does not exceed the mean", () => {
    const detector = negativeBinomialDetector.create(config(), { windowMs: W });
    learnAll(detector, [2, 2, 2, 2]);
    // s² = 0 <= 2: P(X>=5 | λ=2) = 1 - e^-2 (1 + 2 + 2 + 4/3 + 2/3) = 1 - 7e^-2 = 0.0526530173437111
    expect(detector.evaluate(4 * W, 5).pValue).toBeCloseTo(0.0526530173437111, 14);
  });

  it("tests a zero baseline at the zero_baseline mean", () => {
    const detector = negativeBinomialDetector.create(config(), { windowMs: W });
    learnAll(detector, [0, 0, 0, 0]);
    // mean 0 → 1, no dispersion: P(X>=5 | λ=1) = 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24) = 0.00365984682734377
    const estimate = detector.evaluate(4 * W, 5);
    expect(estimate).toMatchObject({ expected: 0, factor: 5 });
    expect(estimate.pValue).toBeCloseTo(0.00365984682734377, 15);
  });

  it("stays quiet below min_count", () => {
    const thresholds = config({ p_value: 0.2, min_count: 6 });
    const detector = negativeBinomialDetector.create(thresholds, { windowMs: W });
    learnAll(detector, [0, 0, 3, 5]);
    expect(detector.breaches(detector.evaluate(4 * W, 5), thresholds)).toBe(false);
    expect(detector.breaches(detector.evaluate(4 * W, 6), thresholds)).toBe(true);
  });

  it("does not let excluded windows move mean or variance", () => {
    const detector = negativeBinomialDetector.create(config(), { windowMs: W });
    learnAll(detector, [0, 0, 3, 5]);
    const before = detector.evaluate(5 * W, 5);
    detector.learn(4 * W, 40, true);
    expect(detector.evaluate(5 * W, 5)).toEqual(before);
  });

  it("takes the mean per slot and pools the dispersion over slots", () => {
    // hourly windows, daily seasonality over 2 days: 24 slots of 2 values
    const thresholds = config({ baseline: "2d", seasonality: "daily", p_value: 0.5 });
    const detector = negativeBinomialDetector.create(thresholds, { windowMs: HOUR });
    const day = (first: boolean) =>
      Array.from({ length: 24 }, (_, hour) =>
        hour === 3 ? (first ? 0 : 4) : hour === 4 ? (first ? 1 : 3) : 0,
      );
    learnAll(detector, [...day(true), ...day(false)], HOUR);
    // slot 3: 0, 4 → m 2, (n-1)s² = 8: excess 8 - 2 = 6, spread 4; slot 4: 1, 3 → m 2, (n-1)s² = 2:
    // excess 0, spread 4; every other slot is 0, 0 and adds nothing. α = 6 / 8 = .75.
    // hour 4: m 2, r = 1/.75 = 4/3, p = 1/(1 + .75·2) = .4; P(0) = .4^(4/3) = 0.294722519891231,
    // P(1) = P(0)·(4/3)·.6 = 0.235778015912985, P(2) = P(1)·(7/3)/2·.6 = 0.165044611139089,
    // P(X>=3) = 1 - (sum) = 0.304454853056695
    const estimate = detector.evaluate((48 + 4) * HOUR, 3);
    expect(estimate).toMatchObject({ expected: 2, ready: true });
    expect(estimate.pValue).toBeCloseTo(0.304454853056695, 13);
    // an empty slot is tested at zero_baseline 1 with the pooled α: r = 4/3, p = 1/1.75;
    // P(X>=1) = 1 - (1/1.75)^(4/3) = 1 - 0.474186590494996
    expect(detector.evaluate((48 + 10) * HOUR, 1).pValue).toBeCloseTo(1 - 0.474186590494996, 13);
  });

  it("applies a stricter level's p_value", () => {
    const warning = config({ p_value: 0.2 });
    const detector = negativeBinomialDetector.create(warning, { windowMs: W });
    learnAll(detector, [0, 0, 3, 5]);
    const estimate = detector.evaluate(4 * W, 5); // p = 0.1317
    expect(detector.breaches(estimate, warning)).toBe(true);
    expect(detector.breaches(estimate, config({ p_value: 0.1 }))).toBe(false);
  });
});
