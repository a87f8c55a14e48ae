// levelFor, the smallest window value that breaches: hand-computed levels per detector, and the
// boundary it promises — the level breaches, one unit below it does not — checked through the
// detector's own evaluate and breaches after warming it with history.
import { describe, expect, it } from "vitest";
import { Random } from "../examples/demo/random.js";
import { cusumDetector } from "../src/detect/cusum.js";
import type { Detector } from "../src/detect/detector.js";
import { ewmaDetector } from "../src/detect/ewma.js";
import { negativeBinomialDetector } from "../src/detect/negative-binomial.js";
import { poissonDetector } from "../src/detect/poisson.js";
import { ratioDetector } from "../src/detect/ratio.js";
import { robustZDetector } from "../src/detect/robust-z.js";
import { seasonalDetector } from "../src/detect/seasonal.js";
import { thresholdDetector } from "../src/detect/threshold.js";
import { volumeSpikeDetector } from "../src/detect/volume-spike.js";

const W = 300_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const context = { windowMs: W };

/** Learns `values` one window each from window 0; returns the time of the next window. */
function warm<Config>(detector: Detector<Config>, values: readonly number[], width = W): number {
  values.forEach((value, index) => detector.learn(index * width, value, false));
  return values.length * width;
}

/** The level at `time` for `thresholds`, from the estimate of an ordinary value as the engine would have it. */
function levelAt<Config>(detector: Detector<Config>, time: number, thresholds: Config): number | undefined {
  return detector.levelFor?.(detector.evaluate(time, 0), thresholds);
}

/**
 * The promise of levelFor: the level breaches and a unit below it does not; for values that need not
 * be whole, neither does a hair below it (the count detectors judge a fraction as its ceiling).
 */
function expectBoundary<Config>(
  detector: Detector<Config>,
  time: number,
  thresholds: Config,
  { whole = false } = {},
): number {
  const level = levelAt(detector, time, thresholds);
  if (level === undefined) throw new Error("no level");
  const at = (value: number) => detector.breaches(detector.evaluate(time, value), thresholds);
  expect(at(level)).toBe(true);
  expect(at(level - 1)).toBe(false);
  if (!whole) expect(at(level * (1 - 1e-12))).toBe(false);
  return level;
}

describe("threshold levelFor", () => {
  const config = (input: object) => thresholdDetector.schema.parse(input);

  it("is the line, or the volume floor when higher", () => {
    const detector = thresholdDetector.create(config({ above: 30 }), context);
    expect(expectBoundary(detector, 0, config({ above: 30 }))).toBe(30);
    expect(expectBoundary(detector, 0, config({ above: 30, min_count: 40 }))).toBe(40);
    expect(expectBoundary(detector, 0, config({ above: 120 }))).toBe(120);
  });
});

describe("ratio levelFor", () => {
  const config = (input: object = {}) => ratioDetector.schema.parse({ baseline: "previous", ...input });

  it("is factor × the baseline window, floored at zero_baseline, or min_count when higher", () => {
    const detector = ratioDetector.create(config(), context);
    const time = warm(detector, [8]);
    expect(expectBoundary(detector, time, config({ factor: 3 }))).toBe(24);
    expect(expectBoundary(detector, time, config({ factor: 5 }))).toBe(40);
    expect(expectBoundary(detector, time, config({ factor: 3, min_count: 30 }))).toBe(30);
    const silent = ratioDetector.create(config(), context);
    // baseline 0: the factor divides by zero_baseline 1, so 3 × 1
    expect(expectBoundary(silent, warm(silent, [0]), config({ factor: 3 }))).toBe(3);
  });

  it("has no level before the baseline window is learned", () => {
    expect(levelAt(ratioDetector.create(config(), context), 0, config())).toBeUndefined();
  });

  it("breaches at a level whose factor rounds below the line", () => {
    // 2.3 × 7.7 = 17.709999999999997, and that / 7.7 < 2.3 in floating point: the level moves up a bit.
    const detector = ratioDetector.create(config(), context);
    const time = warm(detector, [7.7]);
    const product = 2.3 * 7.7;
    expect(product / 7.7).toBeLessThan(2.3);
    expect(expectBoundary(detector, time, config({ factor: 2.3 }))).toBeCloseTo(17.71, 12);
  });
});

describe("robust_z levelFor", () => {
  const config = (input: object = {}) => robustZDetector.schema.parse({ window: "50m", ...input });

  it("is median + z × 1.4826 × MAD, or min_count when higher", () => {
    const detector = robustZDetector.create(config(), context);
    const time = warm(detector, [10, 12, 11, 13, 9]);
    // median 11, MAD 1: 11 + 5 × 1.4826 = 18.413; at z 8, 11 + 11.8608 = 22.8608
    expect(expectBoundary(detector, time, config({ z: 5 }))).toBeCloseTo(18.413, 9);
    expect(expectBoundary(detector, time, config({ z: 8 }))).toBeCloseTo(22.8608, 9);
    expect(expectBoundary(detector, time, config({ z: 5, min_count: 25 }))).toBe(25);
  });

  it("uses mad_floor on a flat history", () => {
    const detector = robustZDetector.create(config(), context);
    const time = warm(detector, [5, 5, 5, 5, 5]);
    expect(expectBoundary(detector, time, config({ z: 5 }))).toBe(10);
  });

  it("has no level until half the window is learned", () => {
    const detector = robustZDetector.create(config(), context);
    expect(levelAt(detector, warm(detector, [10, 12, 11, 13]), config())).toBeUndefined();
  });
});

describe("ewma levelFor", () => {
  const config = (input: object = {}) => ewmaDetector.schema.parse({ alpha: 0.5, ...input });

  it("is mean + k × sd, or min_count when higher", () => {
    const detector = ewmaDetector.create(config(), context);
    // warm-up 2/0.5 - 1 = 3 values. 10: mean 10, variance 0; 14 (weight 1/2): mean 12, variance
    // ½(0 + 4 × 2) = 4; 12 (weight ½): mean 12, variance ½ × 4 = 2. (4√2)/√2 rounds below 4.
    const time = warm(detector, [10, 14, 12]);
    expect(expectBoundary(detector, time, config({ k: 4 }))).toBeCloseTo(12 + 4 * Math.SQRT2, 12);
    expect(expectBoundary(detector, time, config({ k: 6 }))).toBeCloseTo(12 + 6 * Math.SQRT2, 12);
    expect(expectBoundary(detector, time, config({ k: 4, min_count: 30 }))).toBe(30);
  });

  it("uses sd_floor when the history is flat", () => {
    const detector = ewmaDetector.create(config({ sd_floor: 2 }), context);
    expect(expectBoundary(detector, warm(detector, [7, 7, 7]), config({ k: 4, sd_floor: 2 }))).toBe(15);
  });

  it("has no level during the warm-up", () => {
    const detector = ewmaDetector.create(config(), context);
    expect(levelAt(detector, warm(detector, [10, 14]), config())).toBeUndefined();
  });
});

describe("seasonal levelFor", () => {
  // hourly windows and slots over 3 days: hour 9 is 10, 14, 12 (median 12, MAD 2), the rest 1000, 1010, 990
  const config = (input: object = {}) => seasonalDetector.schema.parse({ periods: 3, ...input });
  const hourly = { windowMs: HOUR };
  function warmed() {
    const detector = seasonalDetector.create(config(), hourly);
    for (let day = 0; day < 3; day++) {
      for (let hour = 0; hour < 24; hour++) {
        const value = hour === 9 ? [10, 14, 12][day] : [1000, 1010, 990][day];
        detector.learn(day * DAY + hour * HOUR, value ?? 0, false);
      }
    }
    return detector;
  }

  it("is the higher of factor × median and median + z × scale, per slot", () => {
    const detector = warmed();
    const nine = 3 * DAY + 9 * HOUR;
    const noon = 3 * DAY + 12 * HOUR;
    // hour 9: factor 2 → 24 beats z 4 → 12 + 4 × 2.9652 = 23.8608
    expect(expectBoundary(detector, nine, config())).toBe(24);
    // … and with factor 1.5 (18) the z line is the level (whose z rounds to 3.9999999999999996)
    expect(expectBoundary(detector, nine, config({ factor: 1.5 }))).toBeCloseTo(23.8608, 9);
    // noon: median 1000, MAD 10; factor 2 → 2000 beats 1000 + 4 × 14.826
    expect(expectBoundary(detector, noon, config())).toBe(2000);
    expect(expectBoundary(detector, noon, config({ factor: 1.01 }))).toBeCloseTo(1059.304, 9);
    expect(expectBoundary(detector, nine, config({ min_count: 50 }))).toBe(50);
  });
});

describe("count-surprise levelFor", () => {
  const poisson = (input: object = {}) => poissonDetector.schema.parse({ baseline: "20m", ...input });
  const negativeBinomial = (input: object = {}) =>
    negativeBinomialDetector.schema.parse({ baseline: "20m", ...input });

  it("poisson: the smallest count whose tail is at most p_value", () => {
    const detector = poissonDetector.create(poisson(), context);
    const time = warm(detector, [4, 4, 4, 4]);
    // λ 4: P(X ≥ 13) = 2.737e-4, P(X ≥ 14) = 7.633e-5
    expect(expectBoundary(detector, time, poisson(), { whole: true })).toBe(14);
    expect(expectBoundary(detector, time, poisson({ min_count: 20 }), { whole: true })).toBe(20);
  });

  it("poisson: a silent series is judged at zero_baseline", () => {
    const detector = poissonDetector.create(poisson(), context);
    const time = warm(detector, [0, 0, 0, 0]);
    // λ floored at 1: P(X ≥ 6) = 5.942e-4, P(X ≥ 7) = 8.324e-5
    expect(expectBoundary(detector, time, poisson(), { whole: true })).toBe(7);
  });

  it("negative_binomial: the geometric tail (2/3)^k reaches 0.01 at k = 12", () => {
    const detector = negativeBinomialDetector.create(negativeBinomial(), context);
    // mean 2, s² 6: α = 1, r = 1, p = 1/3, so P(X ≥ k) = (2/3)^k; (2/3)^11 = 0.0116, (2/3)^12 = 0.0077
    const time = warm(detector, [0, 0, 3, 5]);
    expect(expectBoundary(detector, time, negativeBinomial({ p_value: 0.01 }), { whole: true })).toBe(12);
  });

  it("agrees with a count-by-count search over evaluate and breaches", () => {
    const random = new Random(7, "level-for");
    for (const [create, config] of [
      [poissonDetector.create, poisson],
      [negativeBinomialDetector.create, negativeBinomial],
    ] as const) {
      for (const mean of [0.3, 3, 40, 900]) {
        const values = Array.from({ length: 4 }, () => random.poisson(mean) + random.poisson(mean / 2));
        for (const p_value of [0.3, 1e-4, 1e-12]) {
          const detector = create(config(), context);
          const time = warm(detector, values);
          const thresholds = config({ p_value });
          let first = 0;
          while (!detector.breaches(detector.evaluate(time, first), thresholds)) first++;
          expect(expectBoundary(detector, time, thresholds, { whole: true })).toBe(first);
        }
      }
    }
  });

  it("has no level until half the baseline is learned", () => {
    const detector = poissonDetector.create(poisson(), context);
    expect(levelAt(detector, warm(detector, [4]), poisson())).toBeUndefined();
  });
});

describe("detectors without a level", () => {
  it("cusum and volume_spike do not invert their smoothed breach into one window's value", () => {
    expect(cusumDetector.create(cusumDetector.schema.parse({}), context).levelFor).toBeUndefined();
    expect(
      volumeSpikeDetector.create(volumeSpikeDetector.schema.parse({}), context).levelFor,
    ).toBeUndefined();
  });
});
